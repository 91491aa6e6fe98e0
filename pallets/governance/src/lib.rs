//! # Governance (gOPEN)
//!
//! Holders stake OPEN to get gOPEN: voting power 1:1, not transferable (the OPEN stays in the
//! staker's account under a `fungible` hold). Unstaking goes through an unbonding period.
//!
//! gOPEN holders vote, token-weighted, on proposals:
//! - a proposed model (opened by the model registry through [`ModelGovernance`]): passing moves
//!   the model to Approved, and the registry returns or slashes the creator's deposit;
//! - a protocol parameter (the fee split, the platform fee, the data thresholds), with a deposit
//!   held from the proposer: passing sets the parameter.
//!
//! A vote of `amount` (up to one's gOPEN) freezes that amount until the proposal closes: it cannot
//! be unstaked. The same gOPEN may vote on several proposals at once; within one proposal a new
//! vote replaces the old one, so nothing is counted twice. After the voting period anyone may
//! close the proposal: it passes when turnout reaches the quorum (a share of all gOPEN) and the
//! ayes exceed the approval threshold (a share of the votes cast).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod types;
pub mod weights;

pub use openledger_primitives::{
	DataThresholds, FeeSplit, ModelGovernance, ModelId, OnModelDecision, PlatformFee, ProposalId,
	ProtocolParameters,
};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, Inspect, Mutate, MutateFreeze, MutateHold},
			tokens::Precision,
			Imbalance, OnUnbalanced,
		},
	};
	use frame_system::pallet_prelude::*;
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
		/// OPEN staked for gOPEN, including stake that is unbonding.
		Staked,
		/// The deposit behind a parameter proposal.
		ProposalDeposit,
	}

	/// Why this pallet freezes funds.
	#[pallet::composite_enum]
	pub enum FreezeReason {
		/// gOPEN voting on a proposal that has not closed.
		Voting,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The OPEN token.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateFreeze<Self::AccountId, Id = Self::RuntimeFreezeReason>;

		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;

		/// The runtime's freeze reasons.
		type RuntimeFreezeReason: From<FreezeReason>;

		/// Where slashed proposal deposits go (the treasury in the runtime).
		type OnSlash: OnUnbalanced<CreditOf<Self>>;

		/// Told the outcome of every vote on a model.
		type ModelDecision: OnModelDecision;

		/// May set parameters without a vote (root on the runtime: for emergencies and dev).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Blocks between unstaking and the OPEN being free again.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Blocks a proposal stays open for votes.
		#[pallet::constant]
		type VotingPeriod: Get<BlockNumberFor<Self>>;

		/// Share of all gOPEN that must vote for a proposal to be decided.
		#[pallet::constant]
		type Quorum: Get<Perbill>;

		/// Share of the votes cast that the ayes must exceed for a proposal to pass.
		#[pallet::constant]
		type ApprovalThreshold: Get<Perbill>;

		/// Deposit held from the proposer of a parameter change.
		#[pallet::constant]
		type ProposalDeposit: Get<BalanceOf<Self>>;

		/// Whether a failed parameter proposal's deposit is slashed (else it is returned).
		#[pallet::constant]
		type SlashRejectedDeposit: Get<bool>;

		/// Most unbonding chunks an account may have at once.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// Most open proposals an account may vote on at once.
		#[pallet::constant]
		type MaxVotesPerAccount: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Each account's gOPEN, unbonding OPEN and open votes.
	#[pallet::storage]
	pub type Stakes<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, StakeOf<T>>;

	/// All gOPEN (active stake, not unbonding).
	#[pallet::storage]
	pub type TotalStake<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// The id the next proposal gets.
	#[pallet::storage]
	pub type NextProposalId<T> = StorageValue<_, ProposalId, ValueQuery>;

	/// Every proposal, open or closed.
	#[pallet::storage]
	pub type Proposals<T: Config> = StorageMap<_, Twox64Concat, ProposalId, ProposalOf<T>>;

	/// Votes cast on open proposals; removed when the voter unlocks after the close.
	#[pallet::storage]
	pub type Votes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ProposalId, Blake2_128Concat, T::AccountId, VoteOf<T>>;

	/// The protocol parameters in force.
	#[pallet::storage]
	pub type Parameters<T: Config> = StorageValue<_, ParametersOf<T>, ValueQuery>;

	/// Voting and unbonding periods that replace [`Config::VotingPeriod`] and
	/// [`Config::UnbondingPeriod`] on this chain: set at genesis, so that development chains
	/// decide in blocks what a public network decides in days.
	#[pallet::storage]
	pub type PeriodOverrides<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, BlockNumberFor<T>), OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub parameters: ParametersOf<T>,
		/// `(voting period, unbonding period)` in blocks, for development chains.
		pub periods: Option<(BlockNumberFor<T>, BlockNumberFor<T>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(self.parameters.fee_split.is_complete(), "fee split must add up to one");
			Parameters::<T>::put(self.parameters.clone());
			if let Some(periods) = self.periods {
				PeriodOverrides::<T>::put(periods);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// OPEN staked; the account's gOPEN grew by `amount`.
		Staked { who: T::AccountId, amount: BalanceOf<T> },
		/// gOPEN given up; the OPEN is free at block `unlocks_at`.
		Unbonding { who: T::AccountId, amount: BalanceOf<T>, unlocks_at: BlockNumberFor<T> },
		/// Unbonded OPEN released to the account.
		Withdrawn { who: T::AccountId, amount: BalanceOf<T> },
		/// A proposal was opened.
		Proposed {
			proposal: ProposalId,
			proposer: T::AccountId,
			subject: SubjectOf<T>,
			ends_at: BlockNumberFor<T>,
		},
		/// A vote was cast or replaced.
		Voted { proposal: ProposalId, who: T::AccountId, aye: bool, amount: BalanceOf<T> },
		/// A proposal closed.
		Closed {
			proposal: ProposalId,
			approved: bool,
			ayes: BalanceOf<T>,
			nays: BalanceOf<T>,
			turnout_quorum: BalanceOf<T>,
		},
		/// A protocol parameter changed.
		ParameterSet { change: ChangeOf<T> },
		/// A parameter proposal's deposit was slashed after the proposal failed.
		DepositSlashed { proposal: ProposalId, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// An amount of zero.
		ZeroAmount,
		/// Not enough free OPEN to stake or to cover the deposit.
		InsufficientBalance,
		/// More than the account's gOPEN.
		InsufficientStake,
		/// The amount is frozen by votes on open proposals.
		LockedByVotes,
		/// Too many unbonding chunks; withdraw the matured ones first.
		TooManyUnbondingChunks,
		/// Nothing has finished unbonding.
		NothingToWithdraw,
		/// No proposal has this id.
		UnknownProposal,
		/// The proposal is closed.
		ProposalClosed,
		/// The voting period has ended.
		VotingEnded,
		/// The voting period has not ended yet.
		VotingOngoing,
		/// The account votes on too many open proposals.
		TooManyVotes,
		/// A fee split whose shares do not add up to one.
		InvalidFeeSplit,
		/// An id or total would overflow.
		Overflow,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Stake `amount` OPEN for as much gOPEN.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::stake())]
		pub fn stake(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let mut stake = Stakes::<T>::get(&who).unwrap_or_default();
			stake.active = stake.active.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			let total = TotalStake::<T>::get().checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			T::Currency::hold(&HoldReason::Staked.into(), &who, amount)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			Stakes::<T>::insert(&who, stake);
			TotalStake::<T>::put(total);
			Self::deposit_event(Event::Staked { who, amount });
			Ok(())
		}

		/// Give up `amount` gOPEN; the OPEN unbonds for [`Config::UnbondingPeriod`] blocks.
		/// Amounts frozen by votes on open proposals cannot be unstaked.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unstake(T::MaxVotesPerAccount::get()))]
		pub fn unstake(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let mut stake = Stakes::<T>::get(&who).ok_or(Error::<T>::InsufficientStake)?;
			Self::prune_votes(&mut stake);
			ensure!(amount <= stake.active, Error::<T>::InsufficientStake);
			let remaining = stake.active.saturating_sub(amount);
			ensure!(remaining >= stake.locked(), Error::<T>::LockedByVotes);
			let unlocks_at =
				frame_system::Pallet::<T>::block_number().saturating_add(Self::unbonding_period());
			stake
				.unbonding
				.try_push(Unbonding { amount, unlocks_at })
				.map_err(|_| Error::<T>::TooManyUnbondingChunks)?;
			stake.active = remaining;
			TotalStake::<T>::mutate(|total| *total = total.saturating_sub(amount));
			Self::store(&who, stake)?;
			Self::deposit_event(Event::Unbonding { who, amount, unlocks_at });
			Ok(())
		}

		/// Release all OPEN whose unbonding period has passed.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded(T::MaxUnbondingChunks::get()))]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut stake = Stakes::<T>::get(&who).ok_or(Error::<T>::NothingToWithdraw)?;
			let now = frame_system::Pallet::<T>::block_number();
			let mut amount = BalanceOf::<T>::zero();
			stake.unbonding.retain(|chunk| {
				let matured = chunk.unlocks_at <= now;
				if matured {
					amount = amount.saturating_add(chunk.amount);
				}
				!matured
			});
			ensure!(!amount.is_zero(), Error::<T>::NothingToWithdraw);
			T::Currency::release(&HoldReason::Staked.into(), &who, amount, Precision::Exact)?;
			Self::prune_votes(&mut stake);
			Self::store(&who, stake)?;
			Self::deposit_event(Event::Withdrawn { who, amount });
			Ok(())
		}

		/// Propose a protocol parameter change, holding [`Config::ProposalDeposit`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::propose_parameter())]
		pub fn propose_parameter(origin: OriginFor<T>, change: ChangeOf<T>) -> DispatchResult {
			let proposer = ensure_signed(origin)?;
			ensure!(change.is_valid(), Error::<T>::InvalidFeeSplit);
			let deposit = T::ProposalDeposit::get();
			if !deposit.is_zero() {
				T::Currency::hold(&HoldReason::ProposalDeposit.into(), &proposer, deposit)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
			}
			Self::open(proposer, ProposalSubject::Parameter(change), deposit)?;
			Ok(())
		}

		/// Vote `amount` of one's gOPEN, aye or nay, on an open proposal; replaces an earlier
		/// vote of the same account on it. The amount stays frozen until the proposal closes.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::vote(T::MaxVotesPerAccount::get()))]
		pub fn vote(
			origin: OriginFor<T>,
			proposal: ProposalId,
			aye: bool,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let mut info = Proposals::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
			ensure!(info.status == ProposalStatus::Ongoing, Error::<T>::ProposalClosed);
			ensure!(
				frame_system::Pallet::<T>::block_number() < info.ends_at,
				Error::<T>::VotingEnded
			);
			let mut stake = Stakes::<T>::get(&who).ok_or(Error::<T>::InsufficientStake)?;
			ensure!(amount <= stake.active, Error::<T>::InsufficientStake);
			Self::prune_votes(&mut stake);

			if let Some(old) = Votes::<T>::get(proposal, &who) {
				info.untally(&old);
			}
			let vote = Vote { aye, amount };
			info.tally(&vote).ok_or(Error::<T>::Overflow)?;
			match stake.votes.iter_mut().find(|(id, _)| *id == proposal) {
				Some(entry) => entry.1 = amount,
				None => stake
					.votes
					.try_push((proposal, amount))
					.map_err(|_| Error::<T>::TooManyVotes)?,
			}
			Votes::<T>::insert(proposal, &who, vote);
			Proposals::<T>::insert(proposal, info);
			Self::store(&who, stake)?;
			Self::deposit_event(Event::Voted { proposal, who, aye, amount });
			Ok(())
		}

		/// Close a proposal whose voting period has ended and carry out the outcome. Anyone may
		/// call it.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::close())]
		pub fn close(origin: OriginFor<T>, proposal: ProposalId) -> DispatchResult {
			ensure_signed(origin)?;
			let mut info = Proposals::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
			ensure!(info.status == ProposalStatus::Ongoing, Error::<T>::ProposalClosed);
			ensure!(
				frame_system::Pallet::<T>::block_number() >= info.ends_at,
				Error::<T>::VotingOngoing
			);
			let quorum = T::Quorum::get().mul_ceil(TotalStake::<T>::get());
			let turnout = info.ayes.saturating_add(info.nays);
			let approved = !turnout.is_zero()
				&& turnout >= quorum
				&& info.ayes > T::ApprovalThreshold::get().mul_floor(turnout);
			info.status =
				if approved { ProposalStatus::Approved } else { ProposalStatus::Rejected };
			Self::settle_deposit(proposal, &info, approved)?;
			match &info.subject {
				ProposalSubject::Model(model) => {
					T::ModelDecision::on_model_decision(*model, approved)
				}
				ProposalSubject::Parameter(change) if approved => Self::apply(change.clone()),
				ProposalSubject::Parameter(_) => {}
			}
			Self::deposit_event(Event::Closed {
				proposal,
				approved,
				ayes: info.ayes,
				nays: info.nays,
				turnout_quorum: quorum,
			});
			Proposals::<T>::insert(proposal, info);
			Ok(())
		}

		/// Drop one's votes on proposals whose voting period has ended and thaw what they froze.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::unlock(T::MaxVotesPerAccount::get()))]
		pub fn unlock(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut stake = Stakes::<T>::get(&who).ok_or(Error::<T>::InsufficientStake)?;
			// One look at each proposal: drop the vote record of those that ended.
			stake.votes.retain(|(proposal, _)| {
				let open = Self::is_open(*proposal);
				if !open {
					Votes::<T>::remove(proposal, &who);
				}
				open
			});
			Self::store(&who, stake)
		}

		/// Set a parameter without a vote.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::force_set_parameter())]
		pub fn force_set_parameter(origin: OriginFor<T>, change: ChangeOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(change.is_valid(), Error::<T>::InvalidFeeSplit);
			Self::apply(change);
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		fn open(
			proposer: T::AccountId,
			subject: SubjectOf<T>,
			deposit: BalanceOf<T>,
		) -> Result<ProposalId, DispatchError> {
			let id = NextProposalId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let ends_at =
				frame_system::Pallet::<T>::block_number().saturating_add(Self::voting_period());
			Proposals::<T>::insert(
				id,
				Proposal {
					proposer: proposer.clone(),
					subject: subject.clone(),
					deposit,
					ends_at,
					ayes: Zero::zero(),
					nays: Zero::zero(),
					status: ProposalStatus::Ongoing,
				},
			);
			NextProposalId::<T>::put(next);
			Self::deposit_event(Event::Proposed { proposal: id, proposer, subject, ends_at });
			Ok(id)
		}

		fn settle_deposit(
			proposal: ProposalId,
			info: &ProposalOf<T>,
			approved: bool,
		) -> DispatchResult {
			if info.deposit.is_zero() {
				return Ok(());
			}
			let reason = HoldReason::ProposalDeposit.into();
			if approved || !T::SlashRejectedDeposit::get() {
				T::Currency::release(&reason, &info.proposer, info.deposit, Precision::BestEffort)?;
			} else {
				let (credit, _) = <T::Currency as BalancedHold<T::AccountId>>::slash(
					&reason,
					&info.proposer,
					info.deposit,
				);
				let amount = credit.peek();
				T::OnSlash::on_unbalanced(credit);
				Self::deposit_event(Event::DepositSlashed { proposal, amount });
			}
			Ok(())
		}

		fn apply(change: ChangeOf<T>) {
			Parameters::<T>::mutate(|p| match &change {
				ParameterChange::FeeSplit(split) => p.fee_split = *split,
				ParameterChange::PlatformFee(fee) => p.platform_fee = *fee,
				ParameterChange::DataThresholds { min_accepted_contributions, min_credibility } => {
					p.min_accepted_contributions = *min_accepted_contributions;
					p.min_credibility = *min_credibility;
				}
			});
			Self::deposit_event(Event::ParameterSet { change });
		}

		/// Whether votes on the proposal still count as cast: a vote freezes its amount until the
		/// voting period ends, whether or not someone has closed the proposal yet.
		fn is_open(proposal: ProposalId) -> bool {
			let now = frame_system::Pallet::<T>::block_number();
			Proposals::<T>::get(proposal)
				.is_some_and(|p| p.status == ProposalStatus::Ongoing && now < p.ends_at)
		}

		/// Forget the account's votes on proposals whose voting period has ended.
		fn prune_votes(stake: &mut StakeOf<T>) {
			stake.votes.retain(|(proposal, _)| Self::is_open(*proposal));
		}

		/// Write the account's stake back, with the voting freeze matching its open votes; an
		/// account with nothing staked, unbonding or voting is removed.
		fn store(who: &T::AccountId, stake: StakeOf<T>) -> DispatchResult {
			let locked = stake.locked();
			if locked.is_zero() {
				T::Currency::thaw(&FreezeReason::Voting.into(), who)?;
			} else {
				T::Currency::set_freeze(&FreezeReason::Voting.into(), who, locked)?;
			}
			if stake.is_empty() {
				Stakes::<T>::remove(who);
			} else {
				Stakes::<T>::insert(who, stake);
			}
			Ok(())
		}

		/// Blocks a proposal stays open for votes on this chain.
		pub fn voting_period() -> BlockNumberFor<T> {
			PeriodOverrides::<T>::get().map_or_else(T::VotingPeriod::get, |(voting, _)| voting)
		}

		/// Blocks unstaked OPEN waits before it can be withdrawn on this chain.
		pub fn unbonding_period() -> BlockNumberFor<T> {
			PeriodOverrides::<T>::get()
				.map_or_else(T::UnbondingPeriod::get, |(_, unbonding)| unbonding)
		}

		/// An account's gOPEN (its voting power).
		pub fn voting_power(who: &T::AccountId) -> BalanceOf<T> {
			Stakes::<T>::get(who).map(|s| s.active).unwrap_or_default()
		}
	}

	impl<T: Config> ModelGovernance<T::AccountId> for Pallet<T> {
		fn propose_model(
			proposer: &T::AccountId,
			model: ModelId,
		) -> Result<ProposalId, DispatchError> {
			// The registry holds the model's deposit itself and settles it on the decision.
			Self::open(proposer.clone(), ProposalSubject::Model(model), Zero::zero())
		}
	}

	impl<T: Config> DataThresholds for Pallet<T> {
		fn min_accepted_contributions() -> u32 {
			Parameters::<T>::get().min_accepted_contributions
		}

		fn min_credibility() -> Perbill {
			Parameters::<T>::get().min_credibility
		}
	}

	impl<T: Config> ProtocolParameters<BalanceOf<T>> for Pallet<T> {
		fn fee_split() -> FeeSplit {
			Parameters::<T>::get().fee_split
		}

		fn platform_fee() -> PlatformFee<BalanceOf<T>> {
			Parameters::<T>::get().platform_fee
		}
	}
}
