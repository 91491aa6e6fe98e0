//! Stakes, votes, proposals and protocol parameters.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{fungible, Get},
	BoundedVec, CloneNoBound, DebugNoBound, DefaultNoBound, EqNoBound, PartialEqNoBound,
};
use openledger_primitives::{FeeSplit, ModelId, PlatformFee, ProposalId};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	Perbill,
};

/// The OPEN balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Funds taken out of an account (a slashed deposit).
pub type CreditOf<T> =
	fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;
type BlockNumberOf<T> = frame_system::pallet_prelude::BlockNumberFor<T>;

pub type StakeOf<T> = Stake<
	BalanceOf<T>,
	BlockNumberOf<T>,
	<T as Config>::MaxUnbondingChunks,
	<T as Config>::MaxVotesPerAccount,
>;
pub type VoteOf<T> = Vote<BalanceOf<T>>;
pub type ChangeOf<T> = ParameterChange<BalanceOf<T>>;
pub type SubjectOf<T> = ProposalSubject<BalanceOf<T>, <T as Config>::MaxCallLen>;
pub type ProposalOf<T> = Proposal<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberOf<T>,
	<T as Config>::MaxCallLen,
>;
pub type ParametersOf<T> = ParameterSet<BalanceOf<T>>;

/// OPEN on its way out of staking.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Unbonding<Balance, BlockNumber> {
	pub amount: Balance,
	/// The first block at which it can be withdrawn.
	pub unlocks_at: BlockNumber,
}

/// One account's governance position.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	DefaultNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxChunks, MaxVotes))]
#[codec(mel_bound(Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Stake<Balance, BlockNumber, MaxChunks: Get<u32>, MaxVotes: Get<u32>>
where
	Balance: Clone + PartialEq + Eq + core::fmt::Debug + Default,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// gOPEN: staked OPEN that votes.
	pub active: Balance,
	/// Staked OPEN that no longer votes and is waiting out the unbonding period.
	pub unbonding: BoundedVec<Unbonding<Balance, BlockNumber>, MaxChunks>,
	/// Amounts voted on proposals that were open when last seen.
	pub votes: BoundedVec<(ProposalId, Balance), MaxVotes>,
}

impl<Balance, BlockNumber, MaxChunks, MaxVotes> Stake<Balance, BlockNumber, MaxChunks, MaxVotes>
where
	Balance: Clone + PartialEq + Eq + core::fmt::Debug + Default + Copy + Ord + Zero,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxChunks: Get<u32>,
	MaxVotes: Get<u32>,
{
	/// The amount frozen by votes: the largest single vote, since the same gOPEN may vote on
	/// several proposals.
	pub fn locked(&self) -> Balance {
		self.votes.iter().map(|(_, amount)| *amount).max().unwrap_or_else(Zero::zero)
	}

	/// Whether nothing is staked, unbonding or voting.
	pub fn is_empty(&self) -> bool {
		self.active.is_zero() && self.unbonding.is_empty() && self.votes.is_empty()
	}
}

/// A vote of an account on a proposal.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Vote<Balance> {
	pub aye: bool,
	pub amount: Balance,
}

/// A change of protocol parameters.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum ParameterChange<Balance> {
	/// The shares of the net inference fee: model owner, stakers, contributors.
	FeeSplit(FeeSplit),
	/// The platform fee on each inference.
	PlatformFee(PlatformFee<Balance>),
	/// What a model's Datanets must hold before it can leave CollectingData.
	DataThresholds { min_accepted_contributions: u32, min_credibility: Perbill },
}

impl<Balance> ParameterChange<Balance> {
	/// Whether the change can be applied: a fee split must add up to exactly one.
	pub fn is_valid(&self) -> bool {
		match self {
			Self::FeeSplit(split) => split.is_complete(),
			_ => true,
		}
	}
}

/// What a proposal decides.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxCallLen))]
#[codec(mel_bound(Balance: MaxEncodedLen))]
pub enum ProposalSubject<Balance, MaxCallLen: Get<u32>>
where
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Approve a proposed model.
	Model(ModelId),
	/// Change a protocol parameter.
	Parameter(ParameterChange<Balance>),
	/// Dispatch a whitelisted call as root. Kept encoded: it is decoded again at the close,
	/// under the runtime then in force.
	Call(BoundedVec<u8, MaxCallLen>),
}

/// Where a proposal stands.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum ProposalStatus {
	Ongoing,
	Approved,
	Rejected,
}

/// A proposal and its running tally.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxCallLen))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Proposal<AccountId, Balance, BlockNumber, MaxCallLen: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	pub proposer: AccountId,
	pub subject: ProposalSubject<Balance, MaxCallLen>,
	/// Held from the proposer until the close (zero for models: the registry holds theirs).
	pub deposit: Balance,
	/// Votes are taken before this block; the proposal can be closed from it on.
	pub ends_at: BlockNumber,
	pub ayes: Balance,
	pub nays: Balance,
	pub status: ProposalStatus,
	/// All gOPEN when the proposal opened: the quorum is a share of this, so that stake added
	/// during the vote cannot raise the bar after the fact.
	pub electorate: Balance,
}

impl<AccountId, Balance, BlockNumber, MaxCallLen>
	Proposal<AccountId, Balance, BlockNumber, MaxCallLen>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Copy + PartialEq + Eq + core::fmt::Debug + CheckedAdd + Saturating,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxCallLen: Get<u32>,
{
	/// Count a vote; `None` on overflow.
	pub fn tally(&mut self, vote: &Vote<Balance>) -> Option<()> {
		if vote.aye {
			self.ayes = self.ayes.checked_add(&vote.amount)?;
		} else {
			self.nays = self.nays.checked_add(&vote.amount)?;
		}
		Some(())
	}

	/// Take back a vote counted before.
	pub fn untally(&mut self, vote: &Vote<Balance>) {
		if vote.aye {
			self.ayes = self.ayes.saturating_sub(vote.amount);
		} else {
			self.nays = self.nays.saturating_sub(vote.amount);
		}
	}
}

/// The protocol parameters in force.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct ParameterSet<Balance> {
	pub fee_split: FeeSplit,
	pub platform_fee: PlatformFee<Balance>,
	pub min_accepted_contributions: u32,
	pub min_credibility: Perbill,
}

impl<Balance: Zero> Default for ParameterSet<Balance> {
	fn default() -> Self {
		Self {
			fee_split: FeeSplit::default(),
			platform_fee: PlatformFee::Flat(Zero::zero()),
			min_accepted_contributions: 10,
			min_credibility: Perbill::from_percent(50),
		}
	}
}
