//! Models, their lifecycle and their versions.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{fungible, ConstU32, Get},
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use openledger_primitives::{DatanetId, ProposalId};
use scale_info::TypeInfo;
use sp_core::{H256, U256};

/// Version number of a model, from 0 in registration order.
pub type VersionId = u32;

/// The OPEN balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Funds taken out of an account (a slashed deposit).
pub type CreditOf<T> =
	fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

pub type ModelOf<T> = Model<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxTextLen,
	<T as Config>::MaxDatanetsPerModel,
>;
pub type VersionOf<T> =
	Version<frame_system::pallet_prelude::BlockNumberFor<T>, <T as Config>::MaxEvalScores>;
pub type StakePositionOf<T> = StakePosition<
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxUnbondingChunks,
>;
pub type StakerInfoOf<T> =
	StakerInfo<BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>;

/// Where a model stands in its lifecycle.
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
pub enum ModelStatus {
	/// Awaiting the governance vote.
	Proposed,
	/// Approved by governance; data collection not yet open.
	Approved,
	/// Rejected by governance (final).
	Rejected,
	/// Its Datanets are being filled until the data condition holds.
	CollectingData,
	/// Being fine-tuned; versions are registered.
	Training,
	/// A version is served and paid for.
	Deployed,
	/// No longer served (final).
	Retired,
}

/// A specialized model.
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
#[scale_info(skip_type_params(MaxText, MaxDatanets))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Model<AccountId, Balance, BlockNumber, MaxText: Get<u32>, MaxDatanets: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	pub owner: AccountId,
	/// What the model is for.
	pub purpose: BoundedVec<u8, MaxText>,
	/// The base model it adapts, e.g. a Hugging Face-style identifier.
	pub base_model: BoundedVec<u8, MaxText>,
	/// The Datanets it trains on.
	pub datanets: BoundedVec<DatanetId, MaxDatanets>,
	pub intended_use: BoundedVec<u8, MaxText>,
	/// Price per 1000 input tokens (R_in), in the token's smallest unit.
	pub rate_in: Balance,
	/// Price per 1000 output tokens (R_out).
	pub rate_out: Balance,
	/// Held from the owner until the vote ends.
	pub deposit: Balance,
	/// The governance proposal that decides it.
	pub proposal: ProposalId,
	pub status: ModelStatus,
	pub created_at: BlockNumber,
	/// Versions registered so far.
	pub versions: u32,
	/// The version served while Deployed.
	pub deployed_version: Option<VersionId>,
	/// OPEN actively staked on the model (not unbonding), in total: what its stakers' rewards
	/// are shared over.
	pub total_stake: Balance,
	/// Accounts with active stake on the model. For display only: nothing is capped by it or
	/// iterates over the stakers.
	pub stakers: u32,
}

/// One evaluation metric of a version: a name (e.g. `rougeL`, `perplexity`) and its value in
/// millionths, so that scores stay integers on-chain.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct EvalScore {
	pub metric: BoundedVec<u8, ConstU32<32>>,
	pub value_micros: u64,
}

/// A trained adapter and where it came from.
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
#[scale_info(skip_type_params(MaxScores))]
#[codec(mel_bound(BlockNumber: MaxEncodedLen))]
pub struct Version<BlockNumber, MaxScores: Get<u32>>
where
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// blake2-256 of the adapter's weights file.
	pub adapter_hash: H256,
	/// blake2-256 of the base model's weights.
	pub base_model_hash: H256,
	/// blake2-256 of the tokenizer its token counts (and so its fees) are made with.
	pub tokenizer_hash: H256,
	/// Binary Merkle root (blake2-256) of the ids of the contributions it was trained on: leaves
	/// are the ids as u64 little-endian bytes, ascending (see [`crate::training_data_root`]).
	/// The ids themselves are in [`crate::TrainingSet`].
	pub training_data_root: H256,
	/// How many contributions it was trained on.
	pub training_data_count: u32,
	/// blake2-256 of the training configuration.
	pub config_hash: H256,
	pub eval_scores: BoundedVec<EvalScore, MaxScores>,
	pub registered_at: BlockNumber,
}

/// OPEN on its way out of a model stake: it earns nothing and stays held until `unlocks_at`.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct UnbondingChunk<Balance, BlockNumber> {
	pub amount: Balance,
	/// The first block at which `withdraw_unbonded` frees it.
	pub unlocks_at: BlockNumber,
}

/// One account's stake on one model, in the model's reward pool.
///
/// Rewards are a reward-per-stake accumulator (as Synthetix' StakingRewards or nomination pools'
/// reward counters): the staker has earned `pending + active · (reward_per_stake −
/// reward_checkpoint) / REWARD_SCALE`, settled into `pending` before `active` changes.
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
#[scale_info(skip_type_params(MaxChunks))]
#[codec(mel_bound(Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct StakePosition<Balance, BlockNumber, MaxChunks: Get<u32>>
where
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Stake that earns rewards.
	pub active: Balance,
	/// The model's reward per stake when the rewards were last settled into `pending`.
	pub reward_checkpoint: U256,
	/// Rewards settled and not yet claimed.
	pub pending: Balance,
	/// Unstaked OPEN, still held, oldest first.
	pub unbonding: BoundedVec<UnbondingChunk<Balance, BlockNumber>, MaxChunks>,
}

/// What the runtime API tells of one account's stake on one model.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct StakerInfo<Balance, BlockNumber> {
	/// Stake that earns rewards.
	pub active: Balance,
	/// Unstaked OPEN, still held, oldest first; `withdraw_unbonded` frees the chunks whose
	/// `unlocks_at` has come.
	pub unbonding: alloc::vec::Vec<UnbondingChunk<Balance, BlockNumber>>,
	/// Rewards `claim_rewards` would pay now.
	pub claimable: Balance,
}
