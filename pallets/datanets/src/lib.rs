//! # Datanets
//!
//! A Datanet is a community dataset for one domain. Contributors submit data points to it; the data
//! itself stays off-chain (the node keeps it, addressed by its blake2-256 hash), while the chain keeps
//! each contribution's provenance forever: who, when, which content, how large, with what stake, and
//! what curation decided.
//!
//! - Contributors stake OPEN on each contribution (a `fungible` hold). Curators (the Datanet's owner
//!   and the curators it names) accept a contribution with a quality score, reject it (the stake is
//!   released) or slash it (the stake goes to the slash handler: the treasury in the runtime).
//! - The credibility of a Datanet is eq. 4 of the OpenLedger whitepaper (§2.3.1),
//!   `C(D) = Σ w_i · f(x_i, y_i)`, over its accepted contributions, with `f` the curated quality
//!   score and `w_i = stake_i / Σ_j stake_j` the staking weight. It is kept as exact integer sums
//!   and read as a [`Perbill`] rounded down. When no accepted contribution carries stake, the
//!   weights are equal (docs/formulas.md).
//! - Queries (a Datanet with its size and credibility, a Datanet's or a contributor's contributions)
//!   are served by the [`runtime_api::DatanetsApi`] runtime API.

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
			OnUnbalanced, UnixTime,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{traits::Zero, Perbill};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit for a Datanet's on-chain storage, returned to the owner on close.
		DatanetDeposit,
		/// Stake backing a contribution's quality, slashed if the contribution is fraudulent.
		ContributionStake,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The OPEN token: stakes and deposits are holds on it.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons, of which this pallet's are a part.
		type RuntimeHoldReason: From<HoldReason>;

		/// Where slashed stake goes (the treasury in the runtime; dropped, i.e. burnt, if `()`).
		type OnSlash: OnUnbalanced<CreditOf<Self>>;

		/// Wall-clock time, to timestamp contributions.
		type UnixTime: UnixTime;

		/// Deposit held from a Datanet's owner for as long as the Datanet exists.
		#[pallet::constant]
		type DatanetDeposit: Get<BalanceOf<Self>>;

		/// Longest name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// Longest domain or schema tag, in bytes.
		#[pallet::constant]
		type MaxTagLen: Get<u32>;

		/// Longest description, in bytes.
		#[pallet::constant]
		type MaxDescriptionLen: Get<u32>;

		/// Longest metadata of one contribution, in bytes.
		#[pallet::constant]
		type MaxMetadataLen: Get<u32>;

		/// Most curators a Datanet may name besides its owner.
		#[pallet::constant]
		type MaxCurators: Get<u32>;

		/// Most contributions one Datanet may hold.
		#[pallet::constant]
		type MaxContributionsPerDatanet: Get<u32>;

		/// Largest content a contribution may point at, in bytes.
		#[pallet::constant]
		type MaxContentSize: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The id the next Datanet gets.
	#[pallet::storage]
	pub type NextDatanetId<T> = StorageValue<_, DatanetId, ValueQuery>;

	/// The id the next contribution gets; contribution ids are global and never reused.
	#[pallet::storage]
	pub type NextContributionId<T> = StorageValue<_, ContributionId, ValueQuery>;

	/// Every Datanet, with its rules and running statistics.
	#[pallet::storage]
	pub type Datanets<T: Config> = StorageMap<_, Blake2_128Concat, DatanetId, DatanetOf<T>>;

	/// Every contribution ever made, with its provenance and curation status.
	#[pallet::storage]
	pub type Contributions<T: Config> =
		StorageMap<_, Twox64Concat, ContributionId, ContributionOf<T>>;

	/// Index: the contributions of each Datanet.
	#[pallet::storage]
	pub type DatanetContributions<T> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		DatanetId,
		Twox64Concat,
		ContributionId,
		(),
		OptionQuery,
	>;

	/// Index: the contributions of each contributor.
	#[pallet::storage]
	pub type ContributorContributions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		ContributionId,
		(),
		OptionQuery,
	>;

	/// Index: content hashes already in a Datanet, so that the same data cannot be counted twice.
	#[pallet::storage]
	pub type ContentIndex<T> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		DatanetId,
		Identity,
		H256,
		ContributionId,
		OptionQuery,
	>;

	/// A Datanet at genesis: owner, name, domain, description, schema, minimum stake, and its
	/// contributions.
	pub type GenesisDatanet<T> = (
		<T as frame_system::Config>::AccountId,
		Vec<u8>,
		Vec<u8>,
		Vec<u8>,
		Vec<u8>,
		BalanceOf<T>,
		Vec<GenesisContribution<T>>,
	);
	/// A contribution at genesis, accepted by the Datanet's owner: contributor, blake2-256 of the
	/// content, size, metadata, stake, quality in parts per billion.
	pub type GenesisContribution<T> =
		(<T as frame_system::Config>::AccountId, [u8; 32], u32, Vec<u8>, BalanceOf<T>, u32);

	/// Datanets a chain starts with (a development chain's demo data), created, filled and
	/// curated through the pallet's own calls, so that they hold exactly as if sent later.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub datanets: Vec<GenesisDatanet<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let signed = |who: &T::AccountId| -> OriginFor<T> {
				frame_system::RawOrigin::Signed(who.clone()).into()
			};
			for (owner, name, domain, description, schema, min_stake, contributions) in
				&self.datanets
			{
				let datanet = NextDatanetId::<T>::get();
				let created = Pallet::<T>::create_datanet(
					signed(owner),
					name.clone(),
					domain.clone(),
					description.clone(),
					schema.clone(),
					*min_stake,
					Vec::new(),
				);
				assert!(created.is_ok(), "genesis Datanet {datanet}: {created:?}");
				for (who, hash, size, metadata, stake, quality) in contributions {
					let id = NextContributionId::<T>::get();
					let added = Pallet::<T>::contribute(
						signed(who),
						datanet,
						H256(*hash),
						*size,
						metadata.clone(),
						*stake,
					);
					assert!(added.is_ok(), "genesis contribution {id}: {added:?}");
					let accepted =
						Pallet::<T>::accept(signed(owner), id, Perbill::from_parts(*quality));
					assert!(accepted.is_ok(), "genesis contribution {id}: {accepted:?}");
				}
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A Datanet was created.
		DatanetCreated { datanet: DatanetId, owner: T::AccountId },
		/// A Datanet's contribution rules changed.
		RulesUpdated { datanet: DatanetId, min_stake: BalanceOf<T>, curators: u32 },
		/// A contribution was submitted and awaits curation.
		Contributed {
			datanet: DatanetId,
			contribution: ContributionId,
			contributor: T::AccountId,
			content_hash: H256,
			stake: BalanceOf<T>,
		},
		/// A curator accepted a contribution with a quality score.
		Accepted { contribution: ContributionId, curator: T::AccountId, quality: Perbill },
		/// A curator changed the quality score of an accepted contribution.
		QualityUpdated { contribution: ContributionId, curator: T::AccountId, quality: Perbill },
		/// A curator rejected a contribution; its stake was released.
		Rejected { contribution: ContributionId, curator: T::AccountId },
		/// A curator slashed a contribution's stake.
		Slashed { contribution: ContributionId, curator: T::AccountId, amount: BalanceOf<T> },
		/// A contributor withdrew a contribution; it no longer counts and its stake was released.
		Withdrawn { contribution: ContributionId, contributor: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No Datanet has this id.
		UnknownDatanet,
		/// No contribution has this id.
		UnknownContribution,
		/// Only the Datanet's owner may do this.
		NotOwner,
		/// Only the Datanet's owner or one of its curators may do this.
		NotCurator,
		/// Only the contribution's contributor may do this.
		NotContributor,
		/// A name must not be empty.
		EmptyName,
		/// A name, tag, description or metadata is longer than allowed.
		TooLong,
		/// More curators than allowed.
		TooManyCurators,
		/// The same curator is named twice.
		DuplicateCurator,
		/// The Datanet holds as many contributions as allowed.
		DatanetFull,
		/// The stake is below the Datanet's minimum.
		StakeTooLow,
		/// The content is empty or larger than allowed.
		BadContentSize,
		/// This content is already in the Datanet.
		DuplicateContent,
		/// The contribution is not in a state that allows this.
		InvalidStatus,
		/// The free balance does not cover the stake or deposit.
		InsufficientBalance,
		/// An id or a running total would overflow.
		Overflow,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a Datanet owned by the caller, holding the Datanet deposit.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_datanet(curators.len() as u32))]
		pub fn create_datanet(
			origin: OriginFor<T>,
			name: Vec<u8>,
			domain: Vec<u8>,
			description: Vec<u8>,
			schema: Vec<u8>,
			min_stake: BalanceOf<T>,
			curators: Vec<T::AccountId>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			ensure!(!name.is_empty(), Error::<T>::EmptyName);
			let name: BoundedVec<u8, T::MaxNameLen> = Self::bounded(name)?;
			let domain: BoundedVec<u8, T::MaxTagLen> = Self::bounded(domain)?;
			let description: BoundedVec<u8, T::MaxDescriptionLen> = Self::bounded(description)?;
			let schema: BoundedVec<u8, T::MaxTagLen> = Self::bounded(schema)?;
			let curators = Self::checked_curators(curators)?;

			let id = NextDatanetId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let deposit = T::DatanetDeposit::get();
			T::Currency::hold(&HoldReason::DatanetDeposit.into(), &owner, deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;

			Datanets::<T>::insert(
				id,
				Datanet {
					owner: owner.clone(),
					name,
					domain,
					description,
					schema,
					rules: ContributionRules { min_stake, curators },
					deposit,
					created_at: frame_system::Pallet::<T>::block_number(),
					stats: DatanetStats::default(),
				},
			);
			NextDatanetId::<T>::put(next);
			Self::deposit_event(Event::DatanetCreated { datanet: id, owner });
			Ok(())
		}

		/// Change a Datanet's minimum stake and curators. Owner only; applies to new
		/// contributions and curation decisions from now on.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_rules(curators.len() as u32))]
		pub fn update_rules(
			origin: OriginFor<T>,
			datanet: DatanetId,
			min_stake: BalanceOf<T>,
			curators: Vec<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let curators = Self::checked_curators(curators)?;
			Datanets::<T>::try_mutate(datanet, |maybe| -> DispatchResult {
				let net = maybe.as_mut().ok_or(Error::<T>::UnknownDatanet)?;
				ensure!(net.owner == who, Error::<T>::NotOwner);
				let count = curators.len() as u32;
				net.rules = ContributionRules { min_stake, curators };
				Self::deposit_event(Event::RulesUpdated { datanet, min_stake, curators: count });
				Ok(())
			})
		}

		/// Submit a data point: the blake2-256 hash of its content (which the contributor hands
		/// to a node's content store), its size and metadata, with `stake` held until curation.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::contribute(metadata.len() as u32))]
		pub fn contribute(
			origin: OriginFor<T>,
			datanet: DatanetId,
			content_hash: H256,
			size: u32,
			metadata: Vec<u8>,
			stake: BalanceOf<T>,
		) -> DispatchResult {
			let contributor = ensure_signed(origin)?;
			let metadata: BoundedVec<u8, T::MaxMetadataLen> = Self::bounded(metadata)?;
			ensure!(size > 0 && size <= T::MaxContentSize::get(), Error::<T>::BadContentSize);

			let mut net = Datanets::<T>::get(datanet).ok_or(Error::<T>::UnknownDatanet)?;
			ensure!(stake >= net.rules.min_stake, Error::<T>::StakeTooLow);
			ensure!(
				net.stats.contributions < T::MaxContributionsPerDatanet::get(),
				Error::<T>::DatanetFull
			);
			ensure!(
				!ContentIndex::<T>::contains_key(datanet, content_hash),
				Error::<T>::DuplicateContent
			);

			let id = NextContributionId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			net.stats.contributions =
				net.stats.contributions.checked_add(1).ok_or(Error::<T>::Overflow)?;
			net.stats.pending = net.stats.pending.checked_add(1).ok_or(Error::<T>::Overflow)?;
			if !stake.is_zero() {
				T::Currency::hold(&HoldReason::ContributionStake.into(), &contributor, stake)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
			}

			Contributions::<T>::insert(
				id,
				Contribution {
					datanet,
					contributor: contributor.clone(),
					content_hash,
					size,
					metadata,
					stake,
					status: ContributionStatus::Pending,
					quality: Perbill::zero(),
					submitted_at: frame_system::Pallet::<T>::block_number(),
					timestamp_ms: T::UnixTime::now().as_millis().try_into().unwrap_or(u64::MAX),
					curator: None,
				},
			);
			DatanetContributions::<T>::insert(datanet, id, ());
			ContributorContributions::<T>::insert(&contributor, id, ());
			ContentIndex::<T>::insert(datanet, content_hash, id);
			Datanets::<T>::insert(datanet, net);
			NextContributionId::<T>::put(next);
			Self::deposit_event(Event::Contributed {
				datanet,
				contribution: id,
				contributor,
				content_hash,
				stake,
			});
			Ok(())
		}

		/// Accept a pending contribution with a quality score `f(x, y)` in [0, 1]. Its stake stays
		/// held: it is the contribution's weight in the Datanet's credibility.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::accept())]
		pub fn accept(
			origin: OriginFor<T>,
			contribution: ContributionId,
			quality: Perbill,
		) -> DispatchResult {
			let curator = ensure_signed(origin)?;
			let (mut item, mut net) = Self::curated(contribution, &curator)?;
			ensure!(item.status == ContributionStatus::Pending, Error::<T>::InvalidStatus);
			net.stats.pending = net.stats.pending.saturating_sub(1);
			net.stats
				.try_add_accepted(stake_units::<T>(item.stake), quality)
				.ok_or(Error::<T>::Overflow)?;
			item.status = ContributionStatus::Accepted;
			item.quality = quality;
			item.curator = Some(curator.clone());
			Datanets::<T>::insert(item.datanet, net);
			Contributions::<T>::insert(contribution, item);
			Self::deposit_event(Event::Accepted { contribution, curator, quality });
			Ok(())
		}

		/// Re-score an accepted contribution, e.g. after validation of models trained on it.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_quality())]
		pub fn set_quality(
			origin: OriginFor<T>,
			contribution: ContributionId,
			quality: Perbill,
		) -> DispatchResult {
			let curator = ensure_signed(origin)?;
			let (mut item, mut net) = Self::curated(contribution, &curator)?;
			ensure!(item.status == ContributionStatus::Accepted, Error::<T>::InvalidStatus);
			let stake = stake_units::<T>(item.stake);
			net.stats.remove_accepted(stake, item.quality);
			net.stats.try_add_accepted(stake, quality).ok_or(Error::<T>::Overflow)?;
			item.quality = quality;
			item.curator = Some(curator.clone());
			Datanets::<T>::insert(item.datanet, net);
			Contributions::<T>::insert(contribution, item);
			Self::deposit_event(Event::QualityUpdated { contribution, curator, quality });
			Ok(())
		}

		/// Reject a pending contribution: it never counts, and its stake is released.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::reject())]
		pub fn reject(origin: OriginFor<T>, contribution: ContributionId) -> DispatchResult {
			let curator = ensure_signed(origin)?;
			let (mut item, mut net) = Self::curated(contribution, &curator)?;
			ensure!(item.status == ContributionStatus::Pending, Error::<T>::InvalidStatus);
			Self::release_stake(&item)?;
			net.stats.pending = net.stats.pending.saturating_sub(1);
			item.status = ContributionStatus::Rejected;
			item.curator = Some(curator.clone());
			Datanets::<T>::insert(item.datanet, net);
			Contributions::<T>::insert(contribution, item);
			Self::deposit_event(Event::Rejected { contribution, curator });
			Ok(())
		}

		/// Slash a fraudulent contribution, pending or already accepted: its stake goes to the
		/// slash handler and it stops counting.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::slash())]
		pub fn slash(origin: OriginFor<T>, contribution: ContributionId) -> DispatchResult {
			let curator = ensure_signed(origin)?;
			let (mut item, mut net) = Self::curated(contribution, &curator)?;
			match item.status {
				ContributionStatus::Pending => {
					net.stats.pending = net.stats.pending.saturating_sub(1)
				}
				ContributionStatus::Accepted => {
					net.stats.remove_accepted(stake_units::<T>(item.stake), item.quality)
				}
				_ => return Err(Error::<T>::InvalidStatus.into()),
			}
			let (credit, _missing) = <T::Currency as BalancedHold<T::AccountId>>::slash(
				&HoldReason::ContributionStake.into(),
				&item.contributor,
				item.stake,
			);
			let amount = frame_support::traits::Imbalance::peek(&credit);
			T::OnSlash::on_unbalanced(credit);
			item.status = ContributionStatus::Slashed;
			item.quality = Perbill::zero();
			item.curator = Some(curator.clone());
			Datanets::<T>::insert(item.datanet, net);
			Contributions::<T>::insert(contribution, item);
			Self::deposit_event(Event::Slashed { contribution, curator, amount });
			Ok(())
		}

		/// Withdraw one's own contribution, pending or accepted: it stops counting (its provenance
		/// record stays) and its stake is released.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		pub fn withdraw(origin: OriginFor<T>, contribution: ContributionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut item =
				Contributions::<T>::get(contribution).ok_or(Error::<T>::UnknownContribution)?;
			ensure!(item.contributor == who, Error::<T>::NotContributor);
			let mut net = Datanets::<T>::get(item.datanet).ok_or(Error::<T>::UnknownDatanet)?;
			match item.status {
				ContributionStatus::Pending => {
					net.stats.pending = net.stats.pending.saturating_sub(1)
				}
				ContributionStatus::Accepted => {
					net.stats.remove_accepted(stake_units::<T>(item.stake), item.quality)
				}
				_ => return Err(Error::<T>::InvalidStatus.into()),
			}
			Self::release_stake(&item)?;
			item.status = ContributionStatus::Withdrawn;
			Datanets::<T>::insert(item.datanet, net);
			Contributions::<T>::insert(contribution, item);
			Self::deposit_event(Event::Withdrawn { contribution, contributor: who });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		fn bounded<S: Get<u32>>(bytes: Vec<u8>) -> Result<BoundedVec<u8, S>, Error<T>> {
			bytes.try_into().map_err(|_| Error::<T>::TooLong)
		}

		fn checked_curators(
			curators: Vec<T::AccountId>,
		) -> Result<BoundedVec<T::AccountId, T::MaxCurators>, DispatchError> {
			let curators: BoundedVec<T::AccountId, T::MaxCurators> =
				curators.try_into().map_err(|_| Error::<T>::TooManyCurators)?;
			for (i, c) in curators.iter().enumerate() {
				ensure!(
					!curators.iter().skip(i.saturating_add(1)).any(|other| other == c),
					Error::<T>::DuplicateCurator
				);
			}
			Ok(curators)
		}

		/// The contribution and its Datanet, if `who` may curate it.
		fn curated(
			contribution: ContributionId,
			who: &T::AccountId,
		) -> Result<(ContributionOf<T>, DatanetOf<T>), DispatchError> {
			let item =
				Contributions::<T>::get(contribution).ok_or(Error::<T>::UnknownContribution)?;
			let net = Datanets::<T>::get(item.datanet).ok_or(Error::<T>::UnknownDatanet)?;
			ensure!(net.is_curator(who), Error::<T>::NotCurator);
			Ok((item, net))
		}

		fn release_stake(item: &ContributionOf<T>) -> DispatchResult {
			if !item.stake.is_zero() {
				T::Currency::release(
					&HoldReason::ContributionStake.into(),
					&item.contributor,
					item.stake,
					Precision::BestEffort,
				)?;
			}
			Ok(())
		}

		/// A Datanet with its statistics and credibility.
		pub fn datanet(id: DatanetId) -> Option<DatanetOf<T>> {
			Datanets::<T>::get(id)
		}

		/// The credibility `C(D)` of a Datanet (OpenLedger whitepaper §2.3.1, eq. 4), rounded down
		/// to a billionth.
		pub fn credibility(id: DatanetId) -> Option<Perbill> {
			Datanets::<T>::get(id).map(|net| net.stats.credibility())
		}

		/// Whether a contribution is accepted and counts (for the model registry and attribution).
		pub fn is_accepted(id: ContributionId) -> bool {
			Contributions::<T>::get(id).is_some_and(|c| c.status == ContributionStatus::Accepted)
		}

		/// Up to `limit` contributions of a Datanet with ids from `from`, in id order.
		pub fn datanet_contributions(
			datanet: DatanetId,
			from: ContributionId,
			limit: u32,
		) -> Vec<(ContributionId, ContributionOf<T>)> {
			let mut ids: Vec<ContributionId> = DatanetContributions::<T>::iter_key_prefix(datanet)
				.filter(|id| *id >= from)
				.collect();
			Self::page(&mut ids, limit)
		}

		/// Up to `limit` contributions of a contributor with ids from `from`, in id order.
		pub fn contributor_contributions(
			who: &T::AccountId,
			from: ContributionId,
			limit: u32,
		) -> Vec<(ContributionId, ContributionOf<T>)> {
			let mut ids: Vec<ContributionId> = ContributorContributions::<T>::iter_key_prefix(who)
				.filter(|id| *id >= from)
				.collect();
			Self::page(&mut ids, limit)
		}

		// Storage iterates in hash order; sort so that pages are stable and in submission order.
		fn page(
			ids: &mut [ContributionId],
			limit: u32,
		) -> Vec<(ContributionId, ContributionOf<T>)> {
			ids.sort_unstable();
			ids.iter()
				.take(limit.min(runtime_api::MAX_PAGE) as usize)
				.filter_map(|id| Contributions::<T>::get(id).map(|c| (*id, c)))
				.collect()
		}
	}

	/// A stake as a plain integer of the token's smallest unit, for the credibility sums.
	pub(crate) fn stake_units<T: Config>(stake: BalanceOf<T>) -> u128 {
		sp_runtime::traits::UniqueSaturatedInto::<u128>::unique_saturated_into(stake)
	}
}

impl<T: Config> openledger_primitives::DatanetInspect for Pallet<T> {
	fn exists(datanet: DatanetId) -> bool {
		Datanets::<T>::contains_key(datanet)
	}

	fn quality(datanet: DatanetId) -> Option<(u32, sp_runtime::Perbill)> {
		Datanets::<T>::get(datanet).map(|net| (net.stats.accepted, net.stats.credibility()))
	}

	fn accepted_in(contribution: ContributionId) -> Option<DatanetId> {
		Contributions::<T>::get(contribution)
			.filter(|c| c.status == ContributionStatus::Accepted)
			.map(|c| c.datanet)
	}
}

impl<T: Config> openledger_primitives::ContributionInspect<T::AccountId> for Pallet<T> {
	fn accepted(contribution: ContributionId) -> Option<(DatanetId, T::AccountId)> {
		Contributions::<T>::get(contribution)
			.filter(|c| c.status == ContributionStatus::Accepted)
			.map(|c| (c.datanet, c.contributor))
	}
}
