//! Workers, attribution records and earnings.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{fungible, Get},
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use openledger_primitives::{ContributionId, FeeBreakdown, ModelId, RequestId};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::Perbill;

/// The OPEN balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Funds taken out of an account (a slashed stake).
pub type CreditOf<T> =
	fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

pub type WorkerOf<T> = Worker<
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxModelsPerWorker,
>;
pub type RecordOf<T> = AttributionRecord<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxContributionsPerOutput,
>;

/// A node that serves inference and settles it on-chain, with OPEN at stake for its honesty.
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
#[scale_info(skip_type_params(MaxModels))]
#[codec(mel_bound(Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Worker<Balance, BlockNumber, MaxModels: Get<u32>>
where
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Held; slashable by governance until withdrawn.
	pub stake: Balance,
	/// The models it serves, and so may settle requests for.
	pub models: BoundedVec<ModelId, MaxModels>,
	pub registered_at: BlockNumber,
	/// Set when the worker leaves: it settles nothing more and may withdraw from this block on.
	pub unbonding_until: Option<BlockNumber>,
}

/// One contribution behind an answer.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct AttributedContribution<AccountId, Balance> {
	pub contribution: ContributionId,
	pub contributor: AccountId,
	/// The influence score I_i > 0 the worker reported (DataInf, in the worker's fixed-point
	/// scale; only ratios matter).
	pub influence: u128,
	/// w_i = I_i / Σ_j I_j, rounded down to a billionth.
	pub weight: Perbill,
	/// What the contributor was paid for it.
	pub paid: Balance,
}

/// Which data made an answer, and who was paid what for it.
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
#[scale_info(skip_type_params(MaxContributions))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct AttributionRecord<AccountId, Balance, BlockNumber, MaxContributions: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	pub model: ModelId,
	/// The model version (adapter) that answered.
	pub version: u32,
	pub request: RequestId,
	/// Who paid.
	pub user: AccountId,
	/// Who served and settled it.
	pub worker: AccountId,
	pub tokens_in: u32,
	pub tokens_out: u32,
	/// blake2-256 of the answer.
	pub output_hash: H256,
	pub breakdown: FeeBreakdown<Balance>,
	/// Contributions with positive influence, as reported.
	pub contributions: BoundedVec<AttributedContribution<AccountId, Balance>, MaxContributions>,
	/// The block it was settled in.
	pub settled_at: BlockNumber,
}

/// What an account or a contribution has earned from attribution.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Earnings<Balance> {
	pub total: Balance,
	/// Answers it contributed to.
	pub outputs: u64,
}

/// One answer to settle in a batch: the arguments of `settle`.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct Settlement {
	pub request: RequestId,
	pub tokens_in: u32,
	pub tokens_out: u32,
	/// blake2-256 of the answer.
	pub output_hash: H256,
	/// (contribution, influence); only positive influence is kept and paid.
	pub influences: alloc::vec::Vec<(ContributionId, i128)>,
	/// At least the model's number of stakers (it prices the settlement).
	pub stakers_witness: u32,
}
