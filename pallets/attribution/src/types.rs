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
pub type DisputeOf<T> = Dispute<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
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
	/// `None` for a contribution withdrawn or slashed since the version was trained on it: its
	/// share went to the treasury.
	pub contributor: Option<AccountId>,
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
	/// The adapter registered for `version` when it was settled.
	pub adapter_hash: H256,
	/// The prompt's blake2-256, as the user signed it.
	pub prompt_hash: H256,
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

/// One answer to settle in a batch: the arguments of `settle`. The input token count is the
/// one the user's request carries.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct Settlement {
	pub request: RequestId,
	/// The model version that answered: it must still be the deployed one, so that the record
	/// says what the worker's receipt says even if the owner deploys another version meanwhile.
	pub version: u32,
	pub tokens_out: u32,
	/// blake2-256 of the answer.
	pub output_hash: H256,
	/// (contribution, influence); only positive influence is kept and paid.
	pub influences: alloc::vec::Vec<(ContributionId, i128)>,
}

/// How a model's owner lets workers serve it.
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
pub struct ServingPolicy<Balance> {
	/// `Some(stake)`: any worker with at least this stake may serve the model, besides those the
	/// owner approved one by one. `None`: only approved workers (and the owner).
	pub open_to_stake: Option<Balance>,
	/// The settling worker's compute share of the owner's part β·F_net of every fee.
	pub worker_share: Perbill,
}

impl<Balance> Default for ServingPolicy<Balance> {
	fn default() -> Self {
		Self { open_to_stake: None, worker_share: Perbill::zero() }
	}
}

/// Where a dispute of a settlement stands.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum Dispute<AccountId, Balance, BlockNumber> {
	/// The user says the request was never answered; the settling worker must reveal the
	/// prompt and the answer (matching the signed prompt hash and the settled output hash) by
	/// `deadline`, or be slashed.
	Challenged { by: AccountId, bond: Balance, deadline: BlockNumber },
	/// The worker revealed the prompt and the answer in this block; the bond went to it.
	Answered { at: BlockNumber },
	/// The settlement was shown wrong (a receipt that differs, or no answer revealed): the worker
	/// was slashed `slashed`, of which `refunded` went back to the user.
	Upheld { slashed: Balance, refunded: Balance },
}
