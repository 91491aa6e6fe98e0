//! Inference requests and their escrow records.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{fungible, ConstU32},
	BoundedVec,
};
use openledger_primitives::ModelId;
use scale_info::TypeInfo;
use sp_core::H256;

/// The OPEN balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

pub type RequestOf<T> = InferenceRequest<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;
pub type RequestRecordOf<T> = RequestRecord<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;

/// Most workers one request may name.
pub const MAX_WORKERS_PER_REQUEST: u32 = 8;

/// What a user consents to pay for: one answer of `model` to the prompt with this hash and
/// token count, at most `max_output_tokens` long, by one of `workers`, for at most `max_fee`,
/// settled by block `expires_at` or refunded.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct InferenceRequest<AccountId, Balance, BlockNumber> {
	pub model: ModelId,
	/// blake2-256 of the prompt as sent to the serving node.
	pub prompt_hash: H256,
	/// The prompt's token count with the model version's tokenizer, as the node quoted it before
	/// the user signed: the count that is charged.
	pub tokens_in: u32,
	/// The workers allowed to answer and settle it (at least one).
	pub workers: BoundedVec<AccountId, ConstU32<MAX_WORKERS_PER_REQUEST>>,
	pub max_output_tokens: u32,
	/// Held from the user until settlement; the fee charged never exceeds it.
	pub max_fee: Balance,
	/// Chosen by the user so that two requests for the same prompt differ.
	pub nonce: u64,
	/// The last block in which the request may be settled.
	pub expires_at: BlockNumber,
}

/// Where a request stands.
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
pub enum RequestStatus {
	/// `max_fee` is held; a worker may settle it until it expires.
	Pending,
	/// Paid. Kept until expiry so that the signed request cannot be replayed.
	Settled,
}

/// A request in escrow.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct RequestRecord<AccountId, Balance, BlockNumber> {
	/// Who signed the request and pays for it.
	pub user: AccountId,
	pub request: InferenceRequest<AccountId, Balance, BlockNumber>,
	pub status: RequestStatus,
	/// Whether it was signed off-chain and brought on-chain by someone else (a serving node).
	pub signed_off_chain: bool,
}
