//! # Attribution
//!
//! Proof of Attribution on-chain (OpenLedger whitepaper §2.2, the pipeline of §2.2.4 steps 2 and
//! 3): every paid answer is recorded with the data that shaped it, and that data's contributors
//! are paid. What is checked here and what is not yet: docs/trust-model.md.
//!
//! - Workers, the nodes that serve inference, register with OPEN at stake and the models they
//!   serve — only models whose owner approved them, or opened the model to any worker with a
//!   stake of the owner's choosing ([`ServingPolicy`]). Governance may slash a worker found
//!   cheating; a worker that leaves waits an unbonding period, during which it can still be
//!   slashed and disputed, before it gets its stake back.
//! - Once it has answered a request held in escrow by the fee pallet, the worker settles it with
//!   a signed extrinsic: the output token count, the hash of the answer and the influence score
//!   of each training contribution on it (DataInf, computed by the node). Only a worker the
//!   user named in the request may settle it, and the input token count is the one the user
//!   signed. Contributions must be in the training set registered for the served version;
//!   only positive influence is kept and paid, pro rata (w_i = I_i / Σ_j I_j over I > 0); the
//!   share of one withdrawn or slashed since training goes to the treasury. The settling worker
//!   gets the compute share of the owner's part that the owner set.
//! - With every answer the worker hands the user a signed [`Receipt`]. For
//!   [`Config::DisputeWindow`] blocks after a settlement the user can hold the worker to it: a
//!   receipt that differs from the settlement ([`Pallet::dispute_receipt`]) slashes the worker
//!   and refunds the user the fee in full; a settlement of a request the worker never answered
//!   is challenged with a bond ([`Pallet::challenge_unanswered`]) and the worker must reveal the
//!   prompt (matching the hash the user signed: it had it) and the answer (matching the settled
//!   output hash: the user gets it) within [`Config::ResponsePeriod`], or be slashed the same
//!   way. What a user can prove: docs/trust-model.md.
//! - The settlement charges the fee and pays the split through [`InferenceEscrow`], and leaves an
//!   [`AttributionRecord`]: model and version, request, tokens, answer hash, fee breakdown,
//!   contributions with their weights and payments, block. Records are indexed by request, by
//!   model and by contributor, and each contribution's and contributor's earnings are kept.
//! - A worker with several answers ready settles them in one `settle_batch`: one signature
//!   check, one fee payment and one extrinsic's base weight for all of them; each settlement
//!   succeeds or fails on its own.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod disputes;
pub mod runtime_api;
mod settlement;
mod types;
pub mod weights;

pub use openledger_primitives::{
	receipt_digest, ContributionId, ContributionInspect, InferenceEscrow, ModelId, ModelInspect,
	Receipt, RequestId,
};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, Inspect, Mutate, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
			Imbalance, OnUnbalanced,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::traits::{BlakeTwo256, Hash, IdentifyAccount, Saturating, Verify, Zero};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A worker's stake, slashable until withdrawn.
		WorkerStake,
		/// A user's bond behind a challenge of a settlement, lost to the worker if it answers.
		ChallengeBond,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The OPEN token.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;

		/// Requests in escrow, and how they are paid (the fee pallet).
		type Escrow: InferenceEscrow<Self::AccountId, BalanceOf<Self>>;

		/// Deployed models and the Datanets they train on.
		type Models: ModelInspect<Self::AccountId, BalanceOf<Self>>;

		/// Accepted contributions and their contributors.
		type Contributions: ContributionInspect<Self::AccountId>;

		/// Where slashed worker stake goes (the treasury in the runtime).
		type OnSlash: OnUnbalanced<CreditOf<Self>>;

		/// May slash a worker (root on the runtime, i.e. governance).
		type SlashOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Signatures of receipts, by the worker's key.
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>> + Parameter;

		/// Blocks after a settlement during which its user may dispute it.
		#[pallet::constant]
		type DisputeWindow: Get<BlockNumberFor<Self>>;

		/// Blocks a challenged worker has to reveal the prompt and the answer.
		#[pallet::constant]
		type ResponsePeriod: Get<BlockNumberFor<Self>>;

		/// Slashed from a worker whose settlement was shown wrong, beyond the fee refunded.
		#[pallet::constant]
		type DisputePenalty: Get<BalanceOf<Self>>;

		/// Held from a user who challenges a settlement as unanswered; the worker's if it answers.
		#[pallet::constant]
		type ChallengeBond: Get<BalanceOf<Self>>;

		/// Longest prompt or answer a challenged worker reveals, in bytes.
		#[pallet::constant]
		type MaxRevealLen: Get<u32>;

		/// Most workers a model's owner may approve one by one.
		#[pallet::constant]
		type MaxApprovedWorkers: Get<u32>;

		/// Least stake a worker needs to settle.
		#[pallet::constant]
		type MinWorkerStake: Get<BalanceOf<Self>>;

		/// Blocks a leaving worker's stake stays slashable before it can be withdrawn.
		#[pallet::constant]
		type WorkerUnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Most models one worker may serve.
		#[pallet::constant]
		type MaxModelsPerWorker: Get<u32>;

		/// Most contributions one settlement may attribute an answer to.
		#[pallet::constant]
		type MaxContributionsPerOutput: Get<u32>;

		/// Most settlements one [`Pallet::settle_batch`] may carry.
		#[pallet::constant]
		type MaxSettlementsPerBatch: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up what the benchmarks need from other pallets.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::Signature>;
	}

	/// Registered workers.
	#[pallet::storage]
	pub type Workers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, WorkerOf<T>>;

	/// The attribution record of every settled request.
	#[pallet::storage]
	pub type Records<T: Config> = StorageMap<_, Identity, RequestId, RecordOf<T>>;

	/// How many records each model has.
	#[pallet::storage]
	pub type ModelRecordCount<T> = StorageMap<_, Twox64Concat, ModelId, u64, ValueQuery>;

	/// Index: a model's records in settlement order.
	#[pallet::storage]
	pub type ModelRecords<T> =
		StorageDoubleMap<_, Twox64Concat, ModelId, Twox64Concat, u64, RequestId>;

	/// What each account has earned as a contributor; `outputs` also numbers
	/// [`ContributorRecords`].
	#[pallet::storage]
	pub type ContributorEarnings<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Earnings<BalanceOf<T>>, ValueQuery>;

	/// Index: the answers each account's data contributed to, in settlement order.
	#[pallet::storage]
	pub type ContributorRecords<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, u64, RequestId>;

	/// What each contribution has earned.
	#[pallet::storage]
	pub type ContributionEarnings<T: Config> =
		StorageMap<_, Twox64Concat, ContributionId, Earnings<BalanceOf<T>>, ValueQuery>;

	/// How each model's owner lets workers serve it.
	#[pallet::storage]
	pub type ServingPolicies<T: Config> =
		StorageMap<_, Twox64Concat, ModelId, ServingPolicy<BalanceOf<T>>, ValueQuery>;

	/// Workers a model's owner approved to serve it.
	#[pallet::storage]
	pub type ApprovedWorkers<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ModelId, Blake2_128Concat, T::AccountId, ()>;

	/// How many workers each model's owner approved.
	#[pallet::storage]
	pub type ApprovedWorkerCount<T> = StorageMap<_, Twox64Concat, ModelId, u32, ValueQuery>;

	/// Disputes of settlements, by request.
	#[pallet::storage]
	pub type Disputes<T: Config> = StorageMap<_, Identity, RequestId, DisputeOf<T>>;

	/// Index: each worker's settlements challenged as unanswered, with their deadlines, so that
	/// the worker's node finds and answers them.
	#[pallet::storage]
	pub type OpenChallenges<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Identity, RequestId, BlockNumberFor<T>>;

	/// Dispute window and response period that replace [`Config::DisputeWindow`] and
	/// [`Config::ResponsePeriod`] on this chain: set at genesis, so that development chains
	/// decide in blocks what a public network gives days for. Never longer than the constants,
	/// so that the worker unbonding period still outlasts them.
	#[pallet::storage]
	pub type DisputePeriodOverrides<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, BlockNumberFor<T>), OptionQuery>;

	/// Workers a chain starts with (a development chain's demo worker): account, stake, models;
	/// and the workers the models' owners approved first: (model, worker).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub workers: Vec<(T::AccountId, BalanceOf<T>, Vec<ModelId>)>,
		pub approved: Vec<(ModelId, T::AccountId)>,
		/// `(dispute window, response period)` in blocks, for development chains.
		pub dispute_periods: Option<(BlockNumberFor<T>, BlockNumberFor<T>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some((window, response)) = self.dispute_periods {
				assert!(
					window <= T::DisputeWindow::get() && response <= T::ResponsePeriod::get(),
					"dispute periods may only be shortened"
				);
				DisputePeriodOverrides::<T>::put((window, response));
			}
			for (model, worker) in &self.approved {
				let owner = T::Models::served(*model).map(|m| m.owner);
				assert!(owner.is_some(), "genesis approval: model {model} is not deployed");
				if let Some(owner) = owner {
					let origin = frame_system::RawOrigin::Signed(owner).into();
					let approved = Pallet::<T>::approve_worker(origin, *model, worker.clone());
					assert!(approved.is_ok(), "genesis approval: {approved:?}");
				}
			}
			for (who, stake, models) in &self.workers {
				let origin = frame_system::RawOrigin::Signed(who.clone()).into();
				let registered = Pallet::<T>::register_worker(origin, *stake, models.clone());
				assert!(registered.is_ok(), "genesis worker: {registered:?}");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A worker registered with this stake and these models.
		WorkerRegistered { worker: T::AccountId, stake: BalanceOf<T>, models: Vec<ModelId> },
		/// A worker changed the models it serves.
		WorkerModelsSet { worker: T::AccountId, models: Vec<ModelId> },
		/// A worker added stake.
		WorkerBonded { worker: T::AccountId, amount: BalanceOf<T> },
		/// A worker is leaving; its stake can be withdrawn from block `until`.
		WorkerUnbonding { worker: T::AccountId, until: BlockNumberFor<T> },
		/// A worker took its stake back and is gone.
		WorkerWithdrawn { worker: T::AccountId, amount: BalanceOf<T> },
		/// Governance slashed a worker.
		WorkerSlashed { worker: T::AccountId, amount: BalanceOf<T> },
		/// An answer was paid for and attributed to `contributions` contributions.
		InferenceAttributed {
			request: RequestId,
			model: ModelId,
			version: u32,
			worker: T::AccountId,
			output_hash: H256,
			fee: BalanceOf<T>,
			contributions: u32,
		},
		/// A settlement of a batch was refused (and left no trace); the others stand.
		SettlementFailed { request: RequestId, error: DispatchError },
		/// A worker's batch was processed: `settled` settlements went through, `failed` did not.
		BatchSettled { worker: T::AccountId, settled: u32, failed: u32 },
		/// A model's owner approved a worker to serve it.
		WorkerApproved { model: ModelId, worker: T::AccountId },
		/// A model's owner withdrew a worker's approval.
		WorkerRevoked { model: ModelId, worker: T::AccountId },
		/// A model's owner set how workers may serve it.
		ServingPolicySet { model: ModelId, policy: ServingPolicy<BalanceOf<T>> },
		/// A user challenged a settlement as unanswered; the worker must answer by `deadline`.
		SettlementChallenged {
			request: RequestId,
			worker: T::AccountId,
			deadline: BlockNumberFor<T>,
		},
		/// The challenged worker revealed the prompt and the answer (in the extrinsic).
		ChallengeAnswered { request: RequestId, worker: T::AccountId },
		/// A settlement was shown wrong: the worker was slashed and the user refunded.
		DisputeUpheld {
			request: RequestId,
			worker: T::AccountId,
			slashed: BalanceOf<T>,
			refunded: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a worker.
		AlreadyRegistered,
		/// The account is not a registered worker.
		NotWorker,
		/// The worker's stake is below the minimum.
		StakeTooLow,
		/// Not enough free OPEN for the stake.
		InsufficientBalance,
		/// More models than a worker may serve.
		TooManyModels,
		/// A model named twice.
		DuplicateModel,
		/// The model is not deployed.
		ModelNotServed,
		/// The worker is leaving and settles nothing more.
		Unbonding,
		/// The worker has not asked to leave.
		NotUnbonding,
		/// The unbonding period has not passed.
		StillUnbonding,
		/// No request in escrow may be settled under this id (unknown or expired).
		UnknownRequest,
		/// The request was already settled.
		AlreadySettled,
		/// The worker does not serve the request's model.
		NotServingModel,
		/// More contributions than one settlement may carry.
		TooManyContributions,
		/// A contribution named twice.
		DuplicateContribution,
		/// A contribution that does not exist or is not accepted.
		UnknownContribution,
		/// A contribution the served version was not trained on.
		ContributionNotInVersion,
		/// The version the worker answered with is no longer the deployed one.
		VersionNotServed,
		/// The user's request does not name this worker.
		NotChosenByUser,
		/// The model's owner has not let this worker serve it.
		NotApprovedForModel,
		/// Only the model's owner may do this.
		NotModelOwner,
		/// The model's owner approved as many workers as allowed.
		TooManyApprovedWorkers,
		/// The worker is not approved for the model.
		NotApproved,
		/// No settlement has this request id.
		UnknownRecord,
		/// The settlement's dispute window has passed.
		DisputeWindowClosed,
		/// The settlement was already disputed, or is being.
		AlreadyDisputed,
		/// The receipt's signature is not the settling worker's.
		BadReceiptSignature,
		/// The receipt agrees with the settlement: nothing to dispute.
		ReceiptMatchesSettlement,
		/// Only the user who paid may challenge a settlement.
		NotRequester,
		/// Only the worker that settled may answer a challenge.
		NotSettlingWorker,
		/// The settlement is not challenged.
		NoOpenChallenge,
		/// The challenge's deadline has passed.
		ChallengeExpired,
		/// The challenge's deadline has not passed.
		ChallengeOngoing,
		/// The revealed prompt does not hash to the prompt hash the user signed.
		PromptMismatch,
		/// The revealed answer does not hash to the settled output hash.
		AnswerMismatch,
		/// Not enough free OPEN for the bond.
		InsufficientBond,
		/// An amount of zero.
		ZeroAmount,
		/// A batch with no settlement in it.
		EmptyBatch,
		/// More settlements than one batch may carry.
		TooManySettlements,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			// A worker must not be able to withdraw its stake before a dispute of its last
			// settlement is decided.
			assert!(
				T::WorkerUnbondingPeriod::get()
					> T::DisputeWindow::get().saturating_add(T::ResponsePeriod::get()),
				"the worker unbonding period must outlast the dispute window and response period"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Become a worker serving `models`, holding `stake`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_worker(models.len() as u32))]
		pub fn register_worker(
			origin: OriginFor<T>,
			stake: BalanceOf<T>,
			models: Vec<ModelId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Workers::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
			ensure!(stake >= T::MinWorkerStake::get(), Error::<T>::StakeTooLow);
			let bounded = Self::served_models(&who, stake, &models)?;
			T::Currency::hold(&HoldReason::WorkerStake.into(), &who, stake)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			Workers::<T>::insert(
				&who,
				Worker {
					stake,
					models: bounded,
					registered_at: frame_system::Pallet::<T>::block_number(),
					unbonding_until: None,
				},
			);
			Self::deposit_event(Event::WorkerRegistered { worker: who, stake, models });
			Ok(())
		}

		/// Replace the models a worker serves.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_worker_models(models.len() as u32))]
		pub fn set_worker_models(origin: OriginFor<T>, models: Vec<ModelId>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Workers::<T>::try_mutate(&who, |maybe| -> DispatchResult {
				let worker = maybe.as_mut().ok_or(Error::<T>::NotWorker)?;
				ensure!(worker.unbonding_until.is_none(), Error::<T>::Unbonding);
				worker.models = Self::served_models(&who, worker.stake, &models)?;
				Ok(())
			})?;
			Self::deposit_event(Event::WorkerModelsSet { worker: who, models });
			Ok(())
		}

		/// Add to a worker's stake (e.g. back over the minimum after a slash).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Workers::<T>::try_mutate(&who, |maybe| -> DispatchResult {
				let worker = maybe.as_mut().ok_or(Error::<T>::NotWorker)?;
				ensure!(worker.unbonding_until.is_none(), Error::<T>::Unbonding);
				T::Currency::hold(&HoldReason::WorkerStake.into(), &who, amount)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
				worker.stake = worker.stake.saturating_add(amount);
				Ok(())
			})?;
			Self::deposit_event(Event::WorkerBonded { worker: who, amount });
			Ok(())
		}

		/// Stop serving: the worker settles nothing more, and its stake stays slashable for the
		/// unbonding period.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::unregister_worker())]
		pub fn unregister_worker(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let until = frame_system::Pallet::<T>::block_number()
				.saturating_add(T::WorkerUnbondingPeriod::get());
			Workers::<T>::try_mutate(&who, |maybe| -> DispatchResult {
				let worker = maybe.as_mut().ok_or(Error::<T>::NotWorker)?;
				ensure!(worker.unbonding_until.is_none(), Error::<T>::Unbonding);
				worker.unbonding_until = Some(until);
				Ok(())
			})?;
			Self::deposit_event(Event::WorkerUnbonding { worker: who, until });
			Ok(())
		}

		/// Take back the stake of a worker whose unbonding period has passed.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::withdraw_worker())]
		pub fn withdraw_worker(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let worker = Workers::<T>::get(&who).ok_or(Error::<T>::NotWorker)?;
			let until = worker.unbonding_until.ok_or(Error::<T>::NotUnbonding)?;
			ensure!(frame_system::Pallet::<T>::block_number() >= until, Error::<T>::StillUnbonding);
			// Its stake answers for a challenge under way, however long the unbonding was.
			ensure!(
				OpenChallenges::<T>::iter_prefix(&who).next().is_none(),
				Error::<T>::ChallengeOngoing
			);
			let amount = T::Currency::release(
				&HoldReason::WorkerStake.into(),
				&who,
				worker.stake,
				Precision::BestEffort,
			)?;
			Workers::<T>::remove(&who);
			Self::deposit_event(Event::WorkerWithdrawn { worker: who, amount });
			Ok(())
		}

		/// Settle a request the worker has answered with `version` of the model (still the
		/// deployed one): charge its fee (for the input tokens the
		/// user's request carries and `tokens_out`), pay the split and record which
		/// contributions made the answer. `influences` are (contribution, I); those with I ≤ 0
		/// are checked but neither kept nor paid.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::settle(influences.len() as u32))]
		pub fn settle(
			origin: OriginFor<T>,
			request: RequestId,
			version: u32,
			tokens_out: u32,
			output_hash: H256,
			influences: Vec<(ContributionId, i128)>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let settlement = Settlement { request, version, tokens_out, output_hash, influences };
			Ok(Some(Self::do_settle(&who, &settlement)?).into())
		}

		/// Slash up to `amount` of a worker's stake to the treasury. Governance only.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::slash_worker())]
		pub fn slash_worker(
			origin: OriginFor<T>,
			worker: T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			T::SlashOrigin::ensure_origin(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let mut info = Workers::<T>::get(&worker).ok_or(Error::<T>::NotWorker)?;
			let (credit, _) = <T::Currency as BalancedHold<T::AccountId>>::slash(
				&HoldReason::WorkerStake.into(),
				&worker,
				amount.min(info.stake),
			);
			let slashed = credit.peek();
			T::OnSlash::on_unbalanced(credit);
			info.stake = info.stake.saturating_sub(slashed);
			Workers::<T>::insert(&worker, info);
			Self::deposit_event(Event::WorkerSlashed { worker, amount: slashed });
			Ok(())
		}

		/// Settle several answered requests at once (see [`Pallet::settle`]). Each settlement is
		/// applied on its own: one that is refused leaves no trace and is reported in a
		/// `SettlementFailed` event, the others stand. Weighs what its settlements weigh; it
		/// saves the per-extrinsic costs (signature, nonce, fee payment, base weight).
		#[pallet::call_index(7)]
		#[pallet::weight(Pallet::<T>::settle_batch_weight(settlements))]
		pub fn settle_batch(
			origin: OriginFor<T>,
			settlements: Vec<Settlement>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(!settlements.is_empty(), Error::<T>::EmptyBatch);
			ensure!(
				settlements.len() <= T::MaxSettlementsPerBatch::get() as usize,
				Error::<T>::TooManySettlements
			);
			let mut used = Weight::zero();
			let (mut settled, mut failed) = (0u32, 0u32);
			for settlement in &settlements {
				match frame_support::storage::with_storage_layer(|| {
					Self::do_settle(&who, settlement)
				}) {
					Ok(weight) => {
						used = used.saturating_add(weight);
						settled = settled.saturating_add(1);
					}
					Err(error) => {
						// How far it got before failing is not known: charge it in full.
						used = used.saturating_add(Self::settlement_weight(settlement));
						failed = failed.saturating_add(1);
						Self::deposit_event(Event::SettlementFailed {
							request: settlement.request,
							error,
						});
					}
				}
			}
			Self::deposit_event(Event::BatchSettled { worker: who, settled, failed });
			Ok(Some(used).into())
		}

		/// Let `worker` serve the model. The model's owner only.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::approve_worker())]
		pub fn approve_worker(
			origin: OriginFor<T>,
			model: ModelId,
			worker: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_owner(model, &who)?;
			if !ApprovedWorkers::<T>::contains_key(model, &worker) {
				let count = ApprovedWorkerCount::<T>::get(model);
				ensure!(count < T::MaxApprovedWorkers::get(), Error::<T>::TooManyApprovedWorkers);
				ApprovedWorkers::<T>::insert(model, &worker, ());
				ApprovedWorkerCount::<T>::insert(model, count.saturating_add(1));
			}
			Self::deposit_event(Event::WorkerApproved { model, worker });
			Ok(())
		}

		/// Withdraw a worker's approval: from now on it settles nothing of the model (unless the
		/// model is open to its stake). The model's owner only.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::revoke_worker())]
		pub fn revoke_worker(
			origin: OriginFor<T>,
			model: ModelId,
			worker: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_owner(model, &who)?;
			ensure!(ApprovedWorkers::<T>::contains_key(model, &worker), Error::<T>::NotApproved);
			ApprovedWorkers::<T>::remove(model, &worker);
			ApprovedWorkerCount::<T>::mutate(model, |count| *count = count.saturating_sub(1));
			Self::deposit_event(Event::WorkerRevoked { model, worker });
			Ok(())
		}

		/// Set how workers may serve the model: open to any worker with at least
		/// `open_to_stake` (or to approved workers only), and the settling worker's share of the
		/// owner's part of each fee. The model's owner only.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_serving_policy())]
		pub fn set_serving_policy(
			origin: OriginFor<T>,
			model: ModelId,
			policy: ServingPolicy<BalanceOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_owner(model, &who)?;
			ServingPolicies::<T>::insert(model, policy);
			Self::deposit_event(Event::ServingPolicySet { model, policy });
			Ok(())
		}

		/// Prove a settlement wrong with a receipt its worker signed that differs from it (model,
		/// version, adapter, token counts or output hash): the worker is slashed the fee and
		/// [`Config::DisputePenalty`], the user refunded the fee in full. Anyone may submit the
		/// receipt; the refund goes to the user who paid.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::dispute_receipt())]
		pub fn dispute_receipt(
			origin: OriginFor<T>,
			receipt: Receipt,
			signature: T::Signature,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let record = Records::<T>::get(receipt.request).ok_or(Error::<T>::UnknownRecord)?;
			Self::ensure_disputable(&record)?;
			match Disputes::<T>::get(receipt.request) {
				Some(Dispute::Upheld { .. }) => return Err(Error::<T>::AlreadyDisputed.into()),
				// A challenge under way is overtaken by the proof: its bond goes back first.
				Some(Dispute::Challenged { by, bond, .. }) => {
					Self::release_bond(&by, bond);
					OpenChallenges::<T>::remove(&record.worker, receipt.request);
				}
				// A revealed answer does not make a receipt with other token counts right.
				Some(Dispute::Answered { .. }) | None => {}
			}
			let digest = receipt_digest(&Self::genesis_hash(), &receipt);
			ensure!(signature.verify(&digest[..], &record.worker), Error::<T>::BadReceiptSignature);
			ensure!(
				!Self::receipt_matches(&receipt, &record),
				Error::<T>::ReceiptMatchesSettlement
			);
			Self::uphold(receipt.request, &record);
			Ok(())
		}

		/// Challenge a settlement of one's request as never answered, holding
		/// [`Config::ChallengeBond`]. The settling worker has [`Config::ResponsePeriod`] blocks to
		/// reveal the prompt and the answer ([`Pallet::answer_challenge`]): then the bond is its;
		/// else [`Pallet::resolve_challenge`] slashes it and refunds the user. The user who paid
		/// only, within the dispute window.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::challenge_unanswered())]
		pub fn challenge_unanswered(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Records::<T>::get(request).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(record.user == who, Error::<T>::NotRequester);
			Self::ensure_disputable(&record)?;
			ensure!(!Disputes::<T>::contains_key(request), Error::<T>::AlreadyDisputed);
			let bond = T::ChallengeBond::get();
			if !bond.is_zero() {
				T::Currency::hold(&HoldReason::ChallengeBond.into(), &who, bond)
					.map_err(|_| Error::<T>::InsufficientBond)?;
			}
			let deadline =
				frame_system::Pallet::<T>::block_number().saturating_add(Self::response_period());
			Disputes::<T>::insert(request, Dispute::Challenged { by: who, bond, deadline });
			OpenChallenges::<T>::insert(&record.worker, request, deadline);
			Self::deposit_event(Event::SettlementChallenged {
				request,
				worker: record.worker,
				deadline,
			});
			Ok(())
		}

		/// Answer a challenge by revealing the prompt (it must hash to the prompt hash the user
		/// signed, which shows the worker had it) and the answer (it must hash to the settled
		/// output hash; the user reads it from this extrinsic). The settling worker only, before
		/// the deadline; the challenger's bond is then the worker's.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::answer_challenge(
			prompt.len().saturating_add(answer.len()) as u32
		))]
		pub fn answer_challenge(
			origin: OriginFor<T>,
			request: RequestId,
			prompt: BoundedVec<u8, T::MaxRevealLen>,
			answer: BoundedVec<u8, T::MaxRevealLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Records::<T>::get(request).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(record.worker == who, Error::<T>::NotSettlingWorker);
			let Some(Dispute::Challenged { by, bond, deadline }) = Disputes::<T>::get(request)
			else {
				return Err(Error::<T>::NoOpenChallenge.into());
			};
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now <= deadline, Error::<T>::ChallengeExpired);
			ensure!(BlakeTwo256::hash(&prompt) == record.prompt_hash, Error::<T>::PromptMismatch);
			ensure!(BlakeTwo256::hash(&answer) == record.output_hash, Error::<T>::AnswerMismatch);
			if !bond.is_zero() {
				// Best effort: if the worker's account cannot take it, the bond goes back.
				let paid = T::Currency::transfer_on_hold(
					&HoldReason::ChallengeBond.into(),
					&by,
					&who,
					bond,
					Precision::BestEffort,
					Restriction::Free,
					Fortitude::Polite,
				);
				if paid.is_err() {
					Self::release_bond(&by, bond);
				}
			}
			Disputes::<T>::insert(request, Dispute::Answered { at: now });
			OpenChallenges::<T>::remove(&who, request);
			Self::deposit_event(Event::ChallengeAnswered { request, worker: who });
			Ok(())
		}

		/// Decide a challenge whose worker did not answer by the deadline: the worker is slashed
		/// the fee and [`Config::DisputePenalty`], the user refunded the fee and their bond.
		/// Anyone may call it.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::resolve_challenge())]
		pub fn resolve_challenge(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			ensure_signed(origin)?;
			let record = Records::<T>::get(request).ok_or(Error::<T>::UnknownRecord)?;
			let Some(Dispute::Challenged { by, bond, deadline }) = Disputes::<T>::get(request)
			else {
				return Err(Error::<T>::NoOpenChallenge.into());
			};
			ensure!(
				frame_system::Pallet::<T>::block_number() > deadline,
				Error::<T>::ChallengeOngoing
			);
			Self::release_bond(&by, bond);
			OpenChallenges::<T>::remove(&record.worker, request);
			Self::uphold(request, &record);
			Ok(())
		}
	}

	/// What the benchmarks need from other pallets.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId, Signature> {
		/// A deployed model with a staker, owned by `owner`.
		fn served_model(owner: &AccountId) -> ModelId;
		/// `n` accepted contributions from distinct, existing contributors, in the training set
		/// of `model`'s served version.
		fn contributions(model: ModelId, n: u32) -> Vec<ContributionId>;
		/// A request for `model` by `user`, naming `worker`, held in escrow with a max fee that
		/// covers any answer.
		fn pending_request(model: ModelId, user: &AccountId, worker: &AccountId) -> RequestId;
		/// A fresh account and its signature over `payload`.
		fn sign(payload: &[u8]) -> (AccountId, Signature);
	}
}
