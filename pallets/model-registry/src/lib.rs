//! # Model registry
//!
//! Carries a specialized model from idea to deployment (OpenLedger whitepaper §2.3.1, §4.1–4.4,
//! §5.2.3, §6.1):
//!
//! 1. A creator proposes a model: its purpose, base model, target Datanets, intended use and
//!    inference rates `R_in`, `R_out` per 1000 tokens. A proposal deposit is held and a platform
//!    fee paid to the treasury; governance opens a gOPEN vote on it.
//! 2. The vote's outcome arrives through [`OnModelDecision`]: approved models become `Approved`
//!    and their deposit is returned; rejected ones become `Rejected` and their deposit is slashed
//!    or returned, as configured.
//! 3. The owner opens data collection (`CollectingData`). Anyone may move the model on to
//!    `Training` once its Datanets hold enough accepted data with enough credibility (thresholds
//!    set by governance).
//! 4. The owner registers each trained adapter as a version, deploys one (`Deployed`: that
//!    version is the one served) and may later retire the model.
//! 5. Anyone may stake OPEN on a deployed model; stakers share its fees (fee-split pallet).
//!
//! ## Versions carry what settlement checks
//!
//! Attribution pays the contributors a version was trained on, and fees are counted in the
//! version's tokens. So a version records the tokenizer's hash and its whole training set, not
//! only a root the owner could make up: the ids must be strictly ascending, accepted in one of
//! the model's Datanets, as many as `training_data_count`, and their binary Merkle root (the one
//! the node's training manifest computes, [`training_data_root`]) must be `training_data_root`.
//! They are stored one key each ([`TrainingSet`]) so that [`ModelInspect::trained_on`] is one
//! read, paid for by a deposit per id that is never returned: versions are permanent.
//!
//! ## Staking settles in O(1)
//!
//! A settlement pays the stakers' share into one pot ([`ModelInspect::staking_pot`]) and credits
//! the model's reward pool ([`ModelInspect::reward_stakers`]): a reward-per-stake accumulator,
//! as in Synthetix' StakingRewards. Each staker's rewards are worked out from it when their stake
//! changes or they claim, so a settlement does the same work however many stake, no staker cap
//! can be filled by dust accounts to lock others out ([`Config::MinModelStake`] keeps positions
//! worth their storage), and stake that arrives after a reward earns nothing of it. Unstaked OPEN
//! stops earning at once but stays held for [`Config::ModelUnbondingPeriod`] blocks, so that
//! stake cannot hop in for a fee and straight out again.
//!
//! Models, their versions and stakes are served by the [`runtime_api::ModelRegistryApi`] runtime
//! API.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod inspect;
pub mod runtime_api;
mod staking;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
mod types;
pub mod weights;

pub use openledger_primitives::{
	ContributionId, DataThresholds, DatanetId, DatanetInspect, ModelGovernance, ModelId,
	ModelInspect, OnModelDecision, ProposalId, ServedModel,
};
pub use types::*;
pub use weights::WeightInfo;

/// Fixed-point scale of the reward-per-stake accumulator: 10¹⁸ per unit of stake.
pub const REWARD_SCALE: u128 = 1_000_000_000_000_000_000;

/// The binary Merkle root (blake2-256) of a training set, as the node's training manifest
/// computes it: leaves are the ids as u64 little-endian bytes in the order given (ascending, for
/// a valid set); the empty set has the zero root.
pub fn training_data_root(ids: &[ContributionId]) -> sp_core::H256 {
	binary_merkle_tree::merkle_root::<sp_runtime::traits::BlakeTwo256, _>(
		ids.iter().map(|id| id.to_le_bytes()),
	)
}

// `register_version` takes a version's whole provenance, argument by argument (the lint fires on
// the call's generated constructor, out of reach of an attribute on the call).
#[allow(clippy::too_many_arguments)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, Inspect, Mutate, MutateHold},
			tokens::{Precision, Preservation},
			Imbalance, OnUnbalanced,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_core::{H256, U256};
	use sp_runtime::traits::{Saturating, Zero};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit behind a model proposal, settled by the governance vote.
		ProposalDeposit,
		/// OPEN staked on a model, active or unbonding.
		ModelStake,
		/// The deposit for a version's stored training set: never released, as versions are
		/// permanent.
		TrainingSetDeposit,
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

		/// Where slashed deposits go (the treasury in the runtime).
		type OnSlash: OnUnbalanced<CreditOf<Self>>;

		/// Receives platform fees (the treasury's account).
		type FeeDestination: Get<Self::AccountId>;

		/// The Datanets a model may target and whose data condition it must meet.
		type Datanets: DatanetInspect;

		/// Votes on proposed models.
		type Governance: ModelGovernance<Self::AccountId>;

		/// The data condition for leaving CollectingData.
		type Thresholds: DataThresholds;

		/// May retire any model (root on the runtime).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Derives the staking pot: the account that holds stakers' rewards until claimed.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Deposit held from a model's creator until the vote on it ends.
		#[pallet::constant]
		type ProposalDeposit: Get<BalanceOf<Self>>;

		/// Platform fee paid to [`Config::FeeDestination`] for each model proposal.
		#[pallet::constant]
		type ProposalFee: Get<BalanceOf<Self>>;

		/// Whether a rejected model's deposit is slashed (else it is returned).
		#[pallet::constant]
		type SlashRejectedDeposit: Get<bool>;

		/// Longest purpose, base model identifier or intended use, in bytes.
		#[pallet::constant]
		type MaxTextLen: Get<u32>;

		/// Most Datanets one model may train on.
		#[pallet::constant]
		type MaxDatanetsPerModel: Get<u32>;

		/// Most evaluation scores one version may carry.
		#[pallet::constant]
		type MaxEvalScores: Get<u32>;

		/// Most versions one model may register.
		#[pallet::constant]
		type MaxVersions: Get<u32>;

		/// Most contributions one version may be trained on.
		#[pallet::constant]
		type MaxTrainingSet: Get<u32>;

		/// Held from the owner for each contribution id a version stores; never released.
		#[pallet::constant]
		type TrainingSetDepositPerItem: Get<BalanceOf<Self>>;

		/// Least active stake an account may have on a model (else none): a position must be
		/// worth its storage, so that dust accounts cannot bloat it.
		#[pallet::constant]
		type MinModelStake: Get<BalanceOf<Self>>;

		/// Blocks unstaked OPEN stays held, earning nothing, before it can be withdrawn.
		#[pallet::constant]
		type ModelUnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Most unbonding chunks one account may have on one model at once.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up what the benchmarks need from other pallets.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// The id the next model gets.
	#[pallet::storage]
	pub type NextModelId<T> = StorageValue<_, ModelId, ValueQuery>;

	/// Every model with its lifecycle state.
	#[pallet::storage]
	pub type Models<T: Config> = StorageMap<_, Twox64Concat, ModelId, ModelOf<T>>;

	/// The model a governance proposal decides, to route the decision back.
	#[pallet::storage]
	pub type ModelOfProposal<T> = StorageMap<_, Twox64Concat, ProposalId, ModelId>;

	/// Every registered version of every model, numbered from 0 per model.
	#[pallet::storage]
	pub type Versions<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ModelId, Twox64Concat, VersionId, VersionOf<T>>;

	/// The contributions each version was trained on, one key each: `trained_on` is one read.
	/// At most [`Config::MaxTrainingSet`] per version, each paid for by
	/// [`Config::TrainingSetDepositPerItem`].
	#[pallet::storage]
	pub type TrainingSet<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		(ModelId, VersionId),
		Twox64Concat,
		ContributionId,
		(),
		OptionQuery,
	>;

	/// Each account's stake on each model; removed once it holds nothing (no stake, nothing
	/// unbonding, no rewards).
	#[pallet::storage]
	pub type ModelStakes<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ModelId,
		Blake2_128Concat,
		T::AccountId,
		StakePositionOf<T>,
	>;

	/// Each model's reward per unit of active stake since it was first staked on, scaled by
	/// [`REWARD_SCALE`]; only ever grows.
	#[pallet::storage]
	pub type RewardPerStake<T> = StorageMap<_, Twox64Concat, ModelId, U256, ValueQuery>;

	/// A model at genesis: owner, purpose, base model, Datanets, intended use, `R_in`, `R_out`, and
	/// its versions (the last one is deployed).
	pub type GenesisModel<T> = (
		<T as frame_system::Config>::AccountId,
		Vec<u8>,
		Vec<u8>,
		Vec<DatanetId>,
		Vec<u8>,
		BalanceOf<T>,
		BalanceOf<T>,
		Vec<GenesisVersion>,
	);
	/// A version at genesis, in `register_version`'s order: adapter hash, base model hash,
	/// tokenizer hash, training-data root, training-data count, config hash, evaluation scores
	/// (metric, value in millionths), and the training set (contribution ids, ascending, accepted
	/// in the model's Datanets by their genesis). Its training-set deposit is held from the owner.
	pub type GenesisVersion = (
		[u8; 32],
		[u8; 32],
		[u8; 32],
		[u8; 32],
		u32,
		[u8; 32],
		Vec<(Vec<u8>, u64)>,
		Vec<ContributionId>,
	);

	/// Models a chain starts with (a development chain's demo model): proposed, approved by the
	/// genesis, trained and deployed through the pallet's own calls (but for the data condition,
	/// which the genesis vouches for). Their governance proposal stays open; closing it later
	/// changes nothing, as the model is no longer `Proposed`.
	///
	/// The genesis also opens the staking pot: it is given a provider reference and, if it holds
	/// less than the existential deposit, the shortfall is minted into it, so that a reward of
	/// any size can be paid in and claims never take it below what is owed.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub models: Vec<GenesisModel<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let pot = Pallet::<T>::pot();
			frame_system::Pallet::<T>::inc_providers(&pot);
			let ed = T::Currency::minimum_balance();
			let free = T::Currency::balance(&pot);
			if free < ed {
				let minted = T::Currency::mint_into(&pot, ed.saturating_sub(free));
				assert!(minted.is_ok(), "staking pot: {minted:?}");
			}

			for (owner, purpose, base, datanets, intended_use, rate_in, rate_out, versions) in
				&self.models
			{
				let signed =
					|| -> OriginFor<T> { frame_system::RawOrigin::Signed(owner.clone()).into() };
				let model = NextModelId::<T>::get();
				let proposed = Pallet::<T>::propose(
					signed(),
					purpose.clone(),
					base.clone(),
					datanets.clone(),
					intended_use.clone(),
					*rate_in,
					*rate_out,
				);
				assert!(proposed.is_ok(), "genesis model {model}: {proposed:?}");
				<Pallet<T> as OnModelDecision>::on_model_decision(model, true);
				let started = Pallet::<T>::start_data_collection(signed(), model);
				assert!(started.is_ok(), "genesis model {model}: {started:?}");
				// Governance's data thresholds are not built yet (it comes later in the
				// runtime): the genesis vouches for its own data and moves the model on.
				Models::<T>::mutate(model, |info| {
					if let Some(info) = info {
						info.status = ModelStatus::Training;
					}
				});
				for (adapter, base_hash, tokenizer, root, count, config, scores, set) in versions {
					let scores = scores
						.iter()
						.map(|(metric, value)| EvalScore {
							metric: metric.clone().try_into().unwrap_or_default(),
							value_micros: *value,
						})
						.collect();
					let registered = Pallet::<T>::register_version(
						signed(),
						model,
						H256(*adapter),
						H256(*base_hash),
						H256(*tokenizer),
						H256(*root),
						*count,
						H256(*config),
						scores,
						set.clone(),
					);
					assert!(registered.is_ok(), "genesis model {model}: {registered:?}");
				}
				if let Some(last) = versions.len().checked_sub(1) {
					let deployed = Pallet::<T>::deploy(signed(), model, last as VersionId);
					assert!(deployed.is_ok(), "genesis model {model}: {deployed:?}");
				}
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A model was proposed; governance votes on it in `proposal`.
		ModelProposed { model: ModelId, owner: T::AccountId, proposal: ProposalId },
		/// A model changed state.
		StatusChanged { model: ModelId, status: ModelStatus },
		/// A rejected model's deposit was slashed.
		DepositSlashed { model: ModelId, amount: BalanceOf<T> },
		/// A trained adapter was registered as a version.
		VersionRegistered { model: ModelId, version: VersionId, adapter_hash: H256 },
		/// A version is now the one served.
		Deployed { model: ModelId, version: VersionId },
		/// OPEN staked on a model.
		Staked { model: ModelId, who: T::AccountId, amount: BalanceOf<T> },
		/// OPEN unstaked from a model: it earns nothing from now and is held until `unlocks_at`.
		Unstaked {
			model: ModelId,
			who: T::AccountId,
			amount: BalanceOf<T>,
			unlocks_at: BlockNumberFor<T>,
		},
		/// Unbonded OPEN released to the account.
		Withdrawn { model: ModelId, who: T::AccountId, amount: BalanceOf<T> },
		/// A staker's rewards paid out of the staking pot.
		RewardsClaimed { model: ModelId, who: T::AccountId, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No model has this id.
		UnknownModel,
		/// No version has this number.
		UnknownVersion,
		/// A target Datanet does not exist.
		UnknownDatanet,
		/// Only the model's owner may do this.
		NotOwner,
		/// The model is not in a state that allows this.
		InvalidStatus,
		/// A text field is longer than allowed.
		TooLong,
		/// A model must target at least one Datanet.
		NoDatanets,
		/// More target Datanets than allowed, or one named twice.
		BadDatanets,
		/// More evaluation scores than allowed.
		TooManyScores,
		/// The model holds as many versions as allowed.
		TooManyVersions,
		/// A version must be trained on at least one contribution.
		NoTrainingData,
		/// The model's Datanets do not yet meet the data condition.
		DataConditionNotMet,
		/// Not enough free OPEN for the deposit, fee or stake.
		InsufficientBalance,
		/// An amount of zero.
		ZeroAmount,
		/// More than the account has staked on the model.
		InsufficientStake,
		/// An id or total would overflow.
		Overflow,
		/// A training set larger than [`Config::MaxTrainingSet`].
		TooManyContributions,
		/// The training set's length is not `training_data_count`.
		TrainingCountMismatch,
		/// The training set is not strictly ascending (out of order or an id twice).
		BadTrainingSet,
		/// The training set's Merkle root is not `training_data_root`.
		TrainingRootMismatch,
		/// A contribution of the training set is not accepted in any of the model's Datanets.
		ContributionNotInModel,
		/// The active stake left would be neither zero nor at least [`Config::MinModelStake`].
		StakeBelowMinimum,
		/// As many unbonding chunks as allowed; withdraw the unbonded ones first.
		TooManyUnbondingChunks,
		/// Nothing has finished unbonding.
		NothingToWithdraw,
		/// No rewards to claim.
		NothingToClaim,
		/// Nobody has active stake on the model to reward.
		NoStakers,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Propose a model. Holds the proposal deposit, pays the platform fee and opens the
		/// governance vote.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::propose(datanets.len() as u32))]
		pub fn propose(
			origin: OriginFor<T>,
			purpose: Vec<u8>,
			base_model: Vec<u8>,
			datanets: Vec<DatanetId>,
			intended_use: Vec<u8>,
			rate_in: BalanceOf<T>,
			rate_out: BalanceOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let purpose = Self::text(purpose)?;
			let base_model = Self::text(base_model)?;
			let intended_use = Self::text(intended_use)?;
			ensure!(!datanets.is_empty(), Error::<T>::NoDatanets);
			let datanets: BoundedVec<DatanetId, T::MaxDatanetsPerModel> =
				datanets.try_into().map_err(|_| Error::<T>::BadDatanets)?;
			for (i, d) in datanets.iter().enumerate() {
				ensure!(T::Datanets::exists(*d), Error::<T>::UnknownDatanet);
				ensure!(
					!datanets.iter().skip(i.saturating_add(1)).any(|other| other == d),
					Error::<T>::BadDatanets
				);
			}

			let id = NextModelId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let deposit = T::ProposalDeposit::get();
			let fee = T::ProposalFee::get();
			if !fee.is_zero() {
				T::Currency::transfer(
					&owner,
					&T::FeeDestination::get(),
					fee,
					Preservation::Preserve,
				)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			}
			if !deposit.is_zero() {
				T::Currency::hold(&HoldReason::ProposalDeposit.into(), &owner, deposit)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
			}
			let proposal = T::Governance::propose_model(&owner, id)?;

			Models::<T>::insert(
				id,
				Model {
					owner: owner.clone(),
					purpose,
					base_model,
					datanets,
					intended_use,
					rate_in,
					rate_out,
					deposit,
					proposal,
					status: ModelStatus::Proposed,
					created_at: frame_system::Pallet::<T>::block_number(),
					versions: 0,
					deployed_version: None,
					total_stake: Zero::zero(),
					stakers: 0,
				},
			);
			ModelOfProposal::<T>::insert(proposal, id);
			NextModelId::<T>::put(next);
			Self::deposit_event(Event::ModelProposed { model: id, owner, proposal });
			Ok(())
		}

		/// Open data collection for an approved model. Owner only.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::start_data_collection())]
		pub fn start_data_collection(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::transition(model, Some(&who), ModelStatus::Approved, ModelStatus::CollectingData)
		}

		/// Move a model from CollectingData to Training once every target Datanet has the
		/// credibility governance asks for and together they hold enough accepted contributions.
		/// Anyone may call it.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::start_training(T::MaxDatanetsPerModel::get()))]
		pub fn start_training(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			ensure_signed(origin)?;
			let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
			ensure!(info.status == ModelStatus::CollectingData, Error::<T>::InvalidStatus);
			ensure!(Self::data_condition_met(&info), Error::<T>::DataConditionNotMet);
			Self::transition(model, None, ModelStatus::CollectingData, ModelStatus::Training)
		}

		/// Register a trained adapter as a new version, with its provenance. Owner only, while
		/// training or deployed (retraining).
		///
		/// `training_set` is every contribution it was trained on, strictly ascending, each
		/// accepted in one of the model's Datanets; there must be `training_data_count` of them
		/// and their Merkle root ([`training_data_root`]) must be `training_data_root`. They are
		/// stored, and [`Config::TrainingSetDepositPerItem`] per id is held from the owner for
		/// good (versions are permanent).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::register_version(
			eval_scores.len() as u32,
			training_set.len() as u32,
		))]
		pub fn register_version(
			origin: OriginFor<T>,
			model: ModelId,
			adapter_hash: H256,
			base_model_hash: H256,
			tokenizer_hash: H256,
			training_data_root: H256,
			training_data_count: u32,
			config_hash: H256,
			eval_scores: Vec<EvalScore>,
			training_set: Vec<ContributionId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
			ensure!(info.owner == who, Error::<T>::NotOwner);
			ensure!(
				matches!(info.status, ModelStatus::Training | ModelStatus::Deployed),
				Error::<T>::InvalidStatus
			);
			ensure!(training_data_count > 0, Error::<T>::NoTrainingData);
			ensure!(info.versions < T::MaxVersions::get(), Error::<T>::TooManyVersions);
			let eval_scores: BoundedVec<EvalScore, T::MaxEvalScores> =
				eval_scores.try_into().map_err(|_| Error::<T>::TooManyScores)?;
			let set: BoundedVec<ContributionId, T::MaxTrainingSet> =
				training_set.try_into().map_err(|_| Error::<T>::TooManyContributions)?;
			ensure!(
				u32::try_from(set.len()).is_ok_and(|n| n == training_data_count),
				Error::<T>::TrainingCountMismatch
			);
			ensure!(set.windows(2).all(|w| w.first() < w.get(1)), Error::<T>::BadTrainingSet);
			ensure!(
				crate::training_data_root(&set) == training_data_root,
				Error::<T>::TrainingRootMismatch
			);
			for id in set.iter() {
				ensure!(
					T::Datanets::accepted_in(*id).is_some_and(|d| info.datanets.contains(&d)),
					Error::<T>::ContributionNotInModel
				);
			}
			let deposit = T::TrainingSetDepositPerItem::get()
				.checked_mul(&BalanceOf::<T>::from(training_data_count))
				.ok_or(Error::<T>::Overflow)?;
			if !deposit.is_zero() {
				T::Currency::hold(&HoldReason::TrainingSetDeposit.into(), &who, deposit)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
			}

			let version = info.versions;
			info.versions = version.checked_add(1).ok_or(Error::<T>::Overflow)?;
			for id in set.iter() {
				TrainingSet::<T>::insert((model, version), id, ());
			}
			Versions::<T>::insert(
				model,
				version,
				Version {
					adapter_hash,
					base_model_hash,
					tokenizer_hash,
					training_data_root,
					training_data_count,
					config_hash,
					eval_scores,
					registered_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Models::<T>::insert(model, info);
			Self::deposit_event(Event::VersionRegistered { model, version, adapter_hash });
			Ok(())
		}

		/// Serve `version` of the model. Owner only; from Training, or to switch versions of a
		/// deployed model.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::deploy())]
		pub fn deploy(origin: OriginFor<T>, model: ModelId, version: VersionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
			ensure!(info.owner == who, Error::<T>::NotOwner);
			ensure!(
				matches!(info.status, ModelStatus::Training | ModelStatus::Deployed),
				Error::<T>::InvalidStatus
			);
			ensure!(Versions::<T>::contains_key(model, version), Error::<T>::UnknownVersion);
			let was = info.status;
			info.status = ModelStatus::Deployed;
			info.deployed_version = Some(version);
			Models::<T>::insert(model, info);
			if was != ModelStatus::Deployed {
				Self::deposit_event(Event::StatusChanged { model, status: ModelStatus::Deployed });
			}
			Self::deposit_event(Event::Deployed { model, version });
			Ok(())
		}

		/// Retire a model: it is no longer served. Its owner or the admin origin; stakers keep
		/// their stake until they unstake, and their rewards until they claim.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::retire())]
		pub fn retire(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let by_admin = T::AdminOrigin::try_origin(origin.clone()).is_ok();
			let mut info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
			if !by_admin {
				let who = ensure_signed(origin)?;
				ensure!(info.owner == who, Error::<T>::NotOwner);
			}
			ensure!(
				matches!(
					info.status,
					ModelStatus::Approved
						| ModelStatus::CollectingData
						| ModelStatus::Training
						| ModelStatus::Deployed
				),
				Error::<T>::InvalidStatus
			);
			info.status = ModelStatus::Retired;
			info.deployed_version = None;
			Models::<T>::insert(model, info);
			Self::deposit_event(Event::StatusChanged { model, status: ModelStatus::Retired });
			Ok(())
		}

		/// Stake OPEN on a deployed model. It earns a share of the model's stakers' fees from
		/// the next reward on; the account's active stake must come to at least
		/// [`Config::MinModelStake`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::stake())]
		pub fn stake(origin: OriginFor<T>, model: ModelId, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let mut info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
			ensure!(info.status == ModelStatus::Deployed, Error::<T>::InvalidStatus);
			let mut position = Self::settled(model, &who);
			let was_active = !position.active.is_zero();
			position.active = position.active.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			ensure!(position.active >= T::MinModelStake::get(), Error::<T>::StakeBelowMinimum);
			info.total_stake = info.total_stake.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			if !was_active {
				info.stakers = info.stakers.saturating_add(1);
			}
			T::Currency::hold(&HoldReason::ModelStake.into(), &who, amount)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			ModelStakes::<T>::insert(model, &who, position);
			Models::<T>::insert(model, info);
			Self::deposit_event(Event::Staked { model, who, amount });
			Ok(())
		}

		/// Unstake OPEN from a model, in any state: it stops earning at once and stays held for
		/// [`Config::ModelUnbondingPeriod`] blocks, then `withdraw_unbonded` frees it. The active
		/// stake left must be zero or at least [`Config::MinModelStake`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::unstake())]
		pub fn unstake(
			origin: OriginFor<T>,
			model: ModelId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let mut info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
			let mut position = Self::settled(model, &who);
			ensure!(amount <= position.active, Error::<T>::InsufficientStake);
			position.active = position.active.saturating_sub(amount);
			ensure!(
				position.active.is_zero() || position.active >= T::MinModelStake::get(),
				Error::<T>::StakeBelowMinimum
			);
			let unlocks_at = frame_system::Pallet::<T>::block_number()
				.saturating_add(T::ModelUnbondingPeriod::get());
			match position.unbonding.last_mut() {
				Some(last) if last.unlocks_at == unlocks_at => {
					last.amount = last.amount.checked_add(&amount).ok_or(Error::<T>::Overflow)?
				}
				_ => position
					.unbonding
					.try_push(UnbondingChunk { amount, unlocks_at })
					.map_err(|_| Error::<T>::TooManyUnbondingChunks)?,
			}
			info.total_stake = info.total_stake.saturating_sub(amount);
			if position.active.is_zero() {
				info.stakers = info.stakers.saturating_sub(1);
			}
			ModelStakes::<T>::insert(model, &who, position);
			Models::<T>::insert(model, info);
			Self::deposit_event(Event::Unstaked { model, who, amount, unlocks_at });
			Ok(())
		}

		/// Release the caller's OPEN on a model whose unbonding period has passed.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut position =
				ModelStakes::<T>::get(model, &who).ok_or(Error::<T>::NothingToWithdraw)?;
			let now = frame_system::Pallet::<T>::block_number();
			let mut amount = BalanceOf::<T>::zero();
			position.unbonding.retain(|chunk| {
				let unbonded = chunk.unlocks_at <= now;
				if unbonded {
					amount = amount.saturating_add(chunk.amount);
				}
				!unbonded
			});
			ensure!(!amount.is_zero(), Error::<T>::NothingToWithdraw);
			T::Currency::release(&HoldReason::ModelStake.into(), &who, amount, Precision::Exact)?;
			Self::store(model, &who, position);
			Self::deposit_event(Event::Withdrawn { model, who, amount });
			Ok(())
		}

		/// Pay the caller the rewards their stake on a model has earned, out of the staking
		/// pot.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::claim_rewards())]
		pub fn claim_rewards(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut position = Self::settled(model, &who);
			let amount = core::mem::take(&mut position.pending);
			ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
			// The pot holds its existential deposit besides what is owed (see the genesis), so
			// keeping it alive never keeps an owed reward back, and a pot that is never reaped
			// never loses dust that is still owed.
			T::Currency::transfer(&Self::pot(), &who, amount, Preservation::Preserve)?;
			Self::store(model, &who, position);
			Self::deposit_event(Event::RewardsClaimed { model, who, amount });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		fn text(bytes: Vec<u8>) -> Result<BoundedVec<u8, T::MaxTextLen>, Error<T>> {
			bytes.try_into().map_err(|_| Error::<T>::TooLong)
		}

		fn transition(
			model: ModelId,
			owner: Option<&T::AccountId>,
			from: ModelStatus,
			to: ModelStatus,
		) -> DispatchResult {
			Models::<T>::try_mutate(model, |maybe| -> DispatchResult {
				let info = maybe.as_mut().ok_or(Error::<T>::UnknownModel)?;
				if let Some(who) = owner {
					ensure!(info.owner == *who, Error::<T>::NotOwner);
				}
				ensure!(info.status == from, Error::<T>::InvalidStatus);
				info.status = to;
				Ok(())
			})?;
			Self::deposit_event(Event::StatusChanged { model, status: to });
			Ok(())
		}

		/// The OpenLedger whitepaper's "enough data is collected" (§5.2.3): every target Datanet is
		/// at least as credible as governance asks, and together they hold enough accepted
		/// contributions.
		pub fn data_condition_met(info: &ModelOf<T>) -> bool {
			let min_credibility = T::Thresholds::min_credibility();
			let mut accepted: u64 = 0;
			for datanet in info.datanets.iter() {
				match T::Datanets::quality(*datanet) {
					Some((count, credibility)) if credibility >= min_credibility => {
						accepted = accepted.saturating_add(u64::from(count))
					}
					_ => return false,
				}
			}
			accepted >= u64::from(T::Thresholds::min_accepted_contributions())
		}

		/// The deployed version of a model that is being served.
		pub fn deployed(model: ModelId) -> Option<(ModelOf<T>, VersionId)> {
			let info = Models::<T>::get(model)?;
			let version = info.deployed_version?;
			(info.status == ModelStatus::Deployed).then_some((info, version))
		}

		/// A page of a model's versions, from `from`, at most `limit` (capped at
		/// [`runtime_api::MAX_PAGE`]), in registration order.
		pub fn versions_page(
			model: ModelId,
			from: VersionId,
			limit: u32,
		) -> Vec<(VersionId, VersionOf<T>)> {
			let count = Models::<T>::get(model).map(|m| m.versions).unwrap_or(0);
			let end = from.saturating_add(limit.min(runtime_api::MAX_PAGE)).min(count);
			(from..end).filter_map(|v| Versions::<T>::get(model, v).map(|info| (v, info))).collect()
		}

		fn settle_deposit(model: ModelId, info: &ModelOf<T>, approved: bool) {
			if info.deposit.is_zero() {
				return;
			}
			let reason = HoldReason::ProposalDeposit.into();
			if approved || !T::SlashRejectedDeposit::get() {
				// Best effort: the hold is this pallet's own and cannot be missing.
				let _ =
					T::Currency::release(&reason, &info.owner, info.deposit, Precision::BestEffort);
			} else {
				let (credit, _) = <T::Currency as BalancedHold<T::AccountId>>::slash(
					&reason,
					&info.owner,
					info.deposit,
				);
				let amount = credit.peek();
				T::OnSlash::on_unbalanced(credit);
				Self::deposit_event(Event::DepositSlashed { model, amount });
			}
		}
	}

	/// What the benchmarks need from the Datanets pallet.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper {
		/// A Datanet (the `index`-th the benchmark asks for) that meets the data thresholds
		/// on its own.
		fn datanet_meeting_thresholds(index: u32) -> DatanetId;
		/// `n` new contributions accepted in `datanet`, ascending.
		fn accepted_contributions(datanet: DatanetId, n: u32) -> Vec<ContributionId>;
	}

	impl<T: Config> OnModelDecision for Pallet<T> {
		fn on_model_decision(model: ModelId, approved: bool) {
			let Some(mut info) = Models::<T>::get(model) else { return };
			if info.status != ModelStatus::Proposed {
				return;
			}
			Self::settle_deposit(model, &info, approved);
			let status = if approved { ModelStatus::Approved } else { ModelStatus::Rejected };
			info.status = status;
			Models::<T>::insert(model, info);
			Self::deposit_event(Event::StatusChanged { model, status });
		}
	}
}
