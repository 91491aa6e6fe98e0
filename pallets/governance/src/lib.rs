//! # Governance (gOPEN)
//!
//! Holders stake OPEN to get gOPEN: voting power 1:1, not transferable (the OPEN stays in the
//! staker's account under a `fungible` hold). Unstaking goes through an unbonding period.
//!
//! gOPEN holders vote, token-weighted, on proposals:
//! - a proposed model (opened by the model registry through [`ModelGovernance`]): passing moves
//!   the model to Approved, and the registry returns or slashes the creator's deposit;
//! - a protocol parameter (the fee split, the platform fee, the data thresholds), with a deposit
//!   held from the proposer: passing sets the parameter;
//! - a call, with the same deposit: passing dispatches it as root. This is how the chain, which
//!   has no sudo key, slashes a worker, retires a model, spends from the treasury or authorizes a
//!   runtime upgrade. Only calls admitted by [`Config::CallFilter`] can be proposed, within
//!   [`Config::MaxCallLen`] bytes and [`Config::MaxCallWeight`], so that `close` can declare its
//!   weight up front. The call is stored encoded and decoded again at the close: one that fails,
//!   or no longer decodes after a runtime upgrade, is reported in [`Event::CallDispatched`]
//!   without failing the close.
//!
//! A vote of `amount` (up to one's gOPEN) freezes that amount until the proposal closes: it cannot
//! be unstaked. The same gOPEN may vote on several proposals at once; within one proposal a new
//! vote replaces the old one, so nothing is counted twice. After the voting period anyone may
//! close the proposal: it passes when turnout reaches the quorum and the ayes exceed the approval
//! threshold (a share of the votes cast). The quorum is a share of all gOPEN as it stood when the
//! proposal opened: measured at the close instead, a whale could sink a proposal by staking at
//! the end of the vote without voting.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
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
	use alloc::boxed::Box;
	use codec::DecodeLimit;
	use frame_support::{
		dispatch::{extract_actual_weight, GetDispatchInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, Inspect, Mutate, MutateFreeze, MutateHold},
			tokens::Precision,
			Contains, Imbalance, OnUnbalanced,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{Dispatchable, Saturating, Zero},
		Perbill,
	};

	/// 2: proposals record their electorate; subjects may be calls.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	/// Nesting limit when decoding a stored call, as for extrinsics.
	const MAX_CALL_DEPTH: u32 = 256;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// OPEN staked for gOPEN, including stake that is unbonding.
		Staked,
		/// The deposit behind a parameter or call proposal.
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

		/// The calls a call proposal may dispatch.
		type RuntimeCall: Parameter
			+ Dispatchable<
				RuntimeOrigin = <Self as frame_system::Config>::RuntimeOrigin,
				PostInfo = PostDispatchInfo,
			> + GetDispatchInfo
			+ From<frame_system::Call<Self>>;

		/// The calls governance may dispatch as root; checked when proposed and again at the close.
		type CallFilter: Contains<<Self as Config>::RuntimeCall>;

		/// Longest encoded call a proposal may hold (it is stored in the proposal).
		#[pallet::constant]
		type MaxCallLen: Get<u32>;

		/// Heaviest call a proposal may hold: `close` declares this much on top of its own weight.
		#[pallet::constant]
		type MaxCallWeight: Get<Weight>;

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
		/// A parameter or call proposal's deposit was slashed after the proposal failed.
		DepositSlashed { proposal: ProposalId, amount: BalanceOf<T> },
		/// An approved call proposal's call was dispatched as root, or could not be.
		CallDispatched { proposal: ProposalId, result: DispatchResult },
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
		/// [`Config::CallFilter`] does not admit the call.
		CallNotAllowed,
		/// The encoded call is longer than [`Config::MaxCallLen`].
		CallTooLong,
		/// The call weighs more than [`Config::MaxCallWeight`].
		CallTooHeavy,
		/// The stored call no longer decodes (reported in [`Event::CallDispatched`]).
		CallUndecodable,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			// A close that could not fit in a block would leave a call proposal undecidable.
			let close = Self::close_weight();
			let limits = T::BlockWeights::get();
			let max = limits
				.get(frame_support::dispatch::DispatchClass::Normal)
				.max_extrinsic
				.unwrap_or(limits.max_block);
			assert!(
				close.all_lte(max),
				"close ({close:?}) with MaxCallWeight must fit in a normal extrinsic ({max:?})"
			);
		}
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
		/// call it. Declares room for the heaviest call; what is not used is refunded.
		#[pallet::call_index(5)]
		#[pallet::weight(Pallet::<T>::close_weight())]
		pub fn close(origin: OriginFor<T>, proposal: ProposalId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let mut info = Proposals::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
			ensure!(info.status == ProposalStatus::Ongoing, Error::<T>::ProposalClosed);
			ensure!(
				frame_system::Pallet::<T>::block_number() >= info.ends_at,
				Error::<T>::VotingOngoing
			);
			let quorum = T::Quorum::get().mul_ceil(info.electorate);
			let turnout = info.ayes.saturating_add(info.nays);
			let approved = !turnout.is_zero()
				&& turnout >= quorum
				&& info.ayes > T::ApprovalThreshold::get().mul_floor(turnout);
			info.status =
				if approved { ProposalStatus::Approved } else { ProposalStatus::Rejected };
			Self::settle_deposit(proposal, &info, approved)?;
			let mut weight = T::WeightInfo::close();
			let mut call = None;
			match &info.subject {
				ProposalSubject::Model(model) => {
					T::ModelDecision::on_model_decision(*model, approved)
				}
				ProposalSubject::Parameter(change) if approved => Self::apply(change.clone()),
				ProposalSubject::Call(encoded) => {
					weight = T::WeightInfo::close_call();
					if approved {
						call = Some(encoded.clone());
					}
				}
				ProposalSubject::Parameter(_) => {}
			}
			Self::deposit_event(Event::Closed {
				proposal,
				approved,
				ayes: info.ayes,
				nays: info.nays,
				turnout_quorum: quorum,
			});
			// Stored closed before the call runs, so that the call cannot close it again.
			Proposals::<T>::insert(proposal, info);
			if let Some(encoded) = call {
				let (result, used) = Self::dispatch_as_root(&encoded);
				weight = weight.saturating_add(used);
				Self::deposit_event(Event::CallDispatched { proposal, result });
			}
			Ok(Some(weight).into())
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

		/// Propose dispatching `call` as root, holding [`Config::ProposalDeposit`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::propose_call())]
		pub fn propose_call(
			origin: OriginFor<T>,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResult {
			let proposer = ensure_signed(origin)?;
			ensure!(T::CallFilter::contains(&call), Error::<T>::CallNotAllowed);
			ensure!(
				!call.get_dispatch_info().call_weight.any_gt(T::MaxCallWeight::get()),
				Error::<T>::CallTooHeavy
			);
			let encoded: BoundedVec<u8, T::MaxCallLen> =
				call.encode().try_into().map_err(|_| Error::<T>::CallTooLong)?;
			let deposit = T::ProposalDeposit::get();
			if !deposit.is_zero() {
				T::Currency::hold(&HoldReason::ProposalDeposit.into(), &proposer, deposit)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
			}
			Self::open(proposer, ProposalSubject::Call(encoded), deposit)?;
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
					electorate: TotalStake::<T>::get(),
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

		/// What `close` declares: its heavier branch plus room for the heaviest call.
		pub(crate) fn close_weight() -> Weight {
			T::WeightInfo::close()
				.max(T::WeightInfo::close_call())
				.saturating_add(T::MaxCallWeight::get())
		}

		/// Decode and dispatch an approved call as root; returns the outcome and the weight the
		/// call used. The filter and the weight bound are checked again: a runtime upgrade since
		/// the proposal may have changed either, and `close` declared only
		/// [`Config::MaxCallWeight`].
		fn dispatch_as_root(encoded: &[u8]) -> (DispatchResult, Weight) {
			let Ok(call) = <T as Config>::RuntimeCall::decode_all_with_depth_limit(
				MAX_CALL_DEPTH,
				&mut &encoded[..],
			) else {
				return (Err(Error::<T>::CallUndecodable.into()), Weight::zero());
			};
			if !T::CallFilter::contains(&call) {
				return (Err(Error::<T>::CallNotAllowed.into()), Weight::zero());
			}
			let info = call.get_dispatch_info();
			if info.call_weight.any_gt(T::MaxCallWeight::get()) {
				return (Err(Error::<T>::CallTooHeavy.into()), Weight::zero());
			}
			let outcome = call.dispatch(frame_system::RawOrigin::Root.into());
			let used = extract_actual_weight(&outcome, &info);
			(outcome.map(|_| ()).map_err(|e| e.error), used)
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
