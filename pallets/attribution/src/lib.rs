//! # Attribution
//!
//! Proof of Attribution on-chain (OpenLedger whitepaper §2.2, the pipeline of §2.2.4 steps 2 and
//! 3): every paid answer is recorded with the data that shaped it, and that data's contributors
//! are paid. What is checked here and what is not yet: docs/trust-model.md.
//!
//! - Workers, the nodes that serve inference, register with OPEN at stake and the models they
//!   serve. Governance may slash a worker found cheating; a worker that leaves waits an
//!   unbonding period, during which it can still be slashed, before it gets its stake back.
//! - Once it has answered a request held in escrow by the fee pallet, the worker settles it with
//!   a signed extrinsic: the token counts, the hash of the answer and the influence score of
//!   each training contribution on it (DataInf, computed by the node). Contributions must be
//!   accepted in a Datanet the model trains on; only positive influence is kept and paid,
//!   pro rata (w_i = I_i / Σ_j I_j over I > 0).
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
pub mod runtime_api;
mod types;
pub mod weights;

pub use openledger_primitives::{
	ContributionId, ContributionInspect, InferenceEscrow, ModelId, ModelInspect, RequestId,
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
			tokens::Precision,
			Imbalance, OnUnbalanced,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{
		traits::{Saturating, Zero},
		Perbill,
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A worker's stake, slashable until withdrawn.
		WorkerStake,
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

		/// Most stakers a model may have (the benchmarks' range for [`Pallet::settle`]).
		#[pallet::constant]
		type MaxStakersPerModel: Get<u32>;

		/// Most settlements one [`Pallet::settle_batch`] may carry.
		#[pallet::constant]
		type MaxSettlementsPerBatch: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up what the benchmarks need from other pallets.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
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

	/// Workers a chain starts with (a development chain's demo worker): account, stake, models.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub workers: Vec<(T::AccountId, BalanceOf<T>, Vec<ModelId>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
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
		/// A contribution from a Datanet the model does not train on.
		ContributionNotInModel,
		/// The model has more stakers than the settlement's witness.
		StakersWitnessTooLow,
		/// An amount of zero.
		ZeroAmount,
		/// A batch with no settlement in it.
		EmptyBatch,
		/// More settlements than one batch may carry.
		TooManySettlements,
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
			let bounded = Self::served_models(&models)?;
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
			let bounded = Self::served_models(&models)?;
			Workers::<T>::try_mutate(&who, |maybe| -> DispatchResult {
				let worker = maybe.as_mut().ok_or(Error::<T>::NotWorker)?;
				ensure!(worker.unbonding_until.is_none(), Error::<T>::Unbonding);
				worker.models = bounded;
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

		/// Settle a request the worker has answered: charge its fee, pay the split and record
		/// which contributions made the answer. `influences` are (contribution, I); those with
		/// I ≤ 0 are checked but neither kept nor paid. `stakers_witness` is at least the
		/// model's number of stakers (it prices the call).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::settle(influences.len() as u32, *stakers_witness))]
		#[allow(clippy::too_many_arguments)]
		pub fn settle(
			origin: OriginFor<T>,
			request: RequestId,
			tokens_in: u32,
			tokens_out: u32,
			output_hash: H256,
			influences: Vec<(ContributionId, i128)>,
			stakers_witness: u32,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let settlement = Settlement {
				request,
				tokens_in,
				tokens_out,
				output_hash,
				influences,
				stakers_witness,
			};
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
	}

	impl<T: Config> Pallet<T> {
		/// What [`Pallet::settle`] is charged for `settlement` before it runs.
		pub fn settlement_weight(settlement: &Settlement) -> Weight {
			T::WeightInfo::settle(
				settlement.influences.len().try_into().unwrap_or(u32::MAX),
				settlement.stakers_witness,
			)
		}

		/// What [`Pallet::settle_batch`] is charged before it runs: its settlements' weights.
		pub fn settle_batch_weight(settlements: &[Settlement]) -> Weight {
			settlements
				.iter()
				.fold(Weight::zero(), |sum, s| sum.saturating_add(Self::settlement_weight(s)))
		}

		/// Settles one answered request for worker `who`; returns its actual weight.
		fn do_settle(who: &T::AccountId, settlement: &Settlement) -> Result<Weight, DispatchError> {
			let Settlement {
				request,
				tokens_in,
				tokens_out,
				output_hash,
				ref influences,
				stakers_witness,
			} = *settlement;
			let worker = Workers::<T>::get(who).ok_or(Error::<T>::NotWorker)?;
			ensure!(worker.unbonding_until.is_none(), Error::<T>::Unbonding);
			ensure!(worker.stake >= T::MinWorkerStake::get(), Error::<T>::StakeTooLow);
			ensure!(!Records::<T>::contains_key(request), Error::<T>::AlreadySettled);
			let pending = T::Escrow::pending(&request).ok_or(Error::<T>::UnknownRequest)?;
			ensure!(worker.models.contains(&pending.model), Error::<T>::NotServingModel);
			let model = T::Models::served(pending.model).ok_or(Error::<T>::ModelNotServed)?;
			ensure!(model.stakers <= stakers_witness, Error::<T>::StakersWitnessTooLow);
			ensure!(
				influences.len() <= T::MaxContributionsPerOutput::get() as usize,
				Error::<T>::TooManyContributions
			);

			let mut attributed = Vec::with_capacity(influences.len());
			for (i, (contribution, influence)) in influences.iter().enumerate() {
				ensure!(
					!influences.iter().take(i).any(|(other, _)| other == contribution),
					Error::<T>::DuplicateContribution
				);
				let (datanet, contributor) = T::Contributions::accepted(*contribution)
					.ok_or(Error::<T>::UnknownContribution)?;
				ensure!(
					T::Models::trains_on(pending.model, datanet),
					Error::<T>::ContributionNotInModel
				);
				if let Ok(influence) = u128::try_from(*influence) {
					if influence > 0 {
						attributed.push(AttributedContribution {
							contribution: *contribution,
							contributor,
							influence,
							weight: Perbill::zero(),
							paid: Zero::zero(),
						});
					}
				}
			}
			let payees: Vec<(T::AccountId, u128)> =
				attributed.iter().map(|c| (c.contributor.clone(), c.influence)).collect();
			let settlement = T::Escrow::settle(&request, tokens_in, tokens_out, &payees)?;

			let total_influence =
				attributed.iter().fold(0u128, |sum, c| sum.saturating_add(c.influence));
			for (entry, paid) in attributed.iter_mut().zip(settlement.per_contributor) {
				entry.weight = Perbill::from_rational(entry.influence, total_influence);
				entry.paid = paid;
			}
			let contributions: BoundedVec<_, T::MaxContributionsPerOutput> =
				attributed.try_into().map_err(|_| Error::<T>::TooManyContributions)?;
			Self::index_record(request, pending.model, &contributions);

			let count = contributions.len() as u32;
			Self::deposit_event(Event::InferenceAttributed {
				request,
				model: pending.model,
				version: model.version,
				worker: who.clone(),
				output_hash,
				fee: settlement.breakdown.fee,
				contributions: count,
			});
			Records::<T>::insert(
				request,
				AttributionRecord {
					model: pending.model,
					version: model.version,
					request,
					user: pending.user,
					worker: who.clone(),
					tokens_in,
					tokens_out,
					output_hash,
					breakdown: settlement.breakdown,
					contributions,
					settled_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Ok(T::WeightInfo::settle(influences.len() as u32, model.stakers))
		}

		fn served_models(
			models: &[ModelId],
		) -> Result<BoundedVec<ModelId, T::MaxModelsPerWorker>, DispatchError> {
			let bounded: BoundedVec<ModelId, T::MaxModelsPerWorker> =
				models.to_vec().try_into().map_err(|_| Error::<T>::TooManyModels)?;
			for (i, model) in bounded.iter().enumerate() {
				ensure!(
					!bounded.iter().take(i).any(|other| other == model),
					Error::<T>::DuplicateModel
				);
				ensure!(T::Models::served(*model).is_some(), Error::<T>::ModelNotServed);
			}
			Ok(bounded)
		}

		/// Index a new record by model and by contributor, and credit earnings.
		fn index_record(
			request: RequestId,
			model: ModelId,
			contributions: &[AttributedContribution<T::AccountId, BalanceOf<T>>],
		) {
			let n = ModelRecordCount::<T>::get(model);
			ModelRecords::<T>::insert(model, n, request);
			ModelRecordCount::<T>::insert(model, n.saturating_add(1));

			for (i, entry) in contributions.iter().enumerate() {
				ContributionEarnings::<T>::mutate(entry.contribution, |e| {
					e.total = e.total.saturating_add(entry.paid);
					e.outputs = e.outputs.saturating_add(1);
				});
				// An account with several contributions behind one answer counts it once.
				let first_of_account =
					!contributions.iter().take(i).any(|c| c.contributor == entry.contributor);
				ContributorEarnings::<T>::mutate(&entry.contributor, |e| {
					e.total = e.total.saturating_add(entry.paid);
					if first_of_account {
						ContributorRecords::<T>::insert(&entry.contributor, e.outputs, request);
						e.outputs = e.outputs.saturating_add(1);
					}
				});
			}
		}

		/// A page of a model's records.
		pub fn model_records(
			model: ModelId,
			from: u64,
			limit: u32,
		) -> Vec<(RequestId, RecordOf<T>)> {
			let end = from.saturating_add(u64::from(limit.min(runtime_api::MAX_PAGE)));
			(from..end.min(ModelRecordCount::<T>::get(model)))
				.filter_map(|n| ModelRecords::<T>::get(model, n))
				.filter_map(|id| Records::<T>::get(id).map(|r| (id, r)))
				.collect()
		}

		/// A page of the records an account's data contributed to.
		pub fn contributor_records(
			who: &T::AccountId,
			from: u64,
			limit: u32,
		) -> Vec<(RequestId, RecordOf<T>)> {
			let end = from.saturating_add(u64::from(limit.min(runtime_api::MAX_PAGE)));
			(from..end.min(ContributorEarnings::<T>::get(who).outputs))
				.filter_map(|n| ContributorRecords::<T>::get(who, n))
				.filter_map(|id| Records::<T>::get(id).map(|r| (id, r)))
				.collect()
		}
	}

	/// What the benchmarks need from other pallets.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// A deployed model with `stakers` stakers.
		fn served_model(stakers: u32) -> ModelId;
		/// `n` accepted contributions from distinct, existing contributors, in a Datanet
		/// `model` trains on.
		fn contributions(model: ModelId, n: u32) -> Vec<ContributionId>;
		/// A request for `model`, held in escrow with a max fee that covers any answer.
		fn pending_request(model: ModelId) -> RequestId;
	}
}
