//! The runtime API that answers "which data made this answer" and "what has my data earned".

use crate::Earnings;
use alloc::vec::Vec;
use codec::Codec;
use openledger_primitives::{ContributionId, ModelId, Receipt, RequestId};

/// Most records one page of a listing returns.
pub const MAX_PAGE: u32 = 100;

sp_api::decl_runtime_apis! {
	/// Attribution records, earnings and workers.
	pub trait AttributionApi<AccountId, Balance, Record, Worker>
	where
		AccountId: Codec,
		Balance: Codec,
		Record: Codec,
		Worker: Codec,
	{
		/// The attribution record of a settled request.
		fn record(request: RequestId) -> Option<Record>;
		/// How many answers of `model` were settled.
		fn model_record_count(model: ModelId) -> u64;
		/// A page of a model's records, oldest first, from index `from`, at most `limit`
		/// (capped at [`MAX_PAGE`]).
		fn model_records(model: ModelId, from: u64, limit: u32) -> Vec<(RequestId, Record)>;
		/// What an account has earned as a data contributor, over how many answers.
		fn contributor_earnings(who: AccountId) -> Earnings<Balance>;
		/// A page of the answers an account's data contributed to, as for `model_records`.
		fn contributor_records(who: AccountId, from: u64, limit: u32) -> Vec<(RequestId, Record)>;
		/// What one contribution has earned, over how many answers.
		fn contribution_earnings(contribution: ContributionId) -> Earnings<Balance>;
		/// A registered worker.
		fn worker(who: AccountId) -> Option<Worker>;
		/// Whether the model's owner lets `worker` serve `model` now (the owner itself, an
		/// approved worker, or one with the stake the model is open to); false if the model is
		/// not deployed or `worker` is not registered.
		fn may_serve(model: ModelId, worker: AccountId) -> bool;
		/// The 32 bytes a worker signs for a receipt on this chain (to check a receipt before
		/// relying on it, or to sign one).
		fn receipt_digest(receipt: Receipt) -> sp_core::H256;
	}
}
