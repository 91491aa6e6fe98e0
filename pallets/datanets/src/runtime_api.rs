//! The runtime API through which clients (polkadot.js as `api.call.datanetsApi.*`, the node's
//! training side, explorers) read Datanets without decoding storage themselves.

use crate::{ContributionId, DatanetId};
use alloc::vec::Vec;
use codec::Codec;
use sp_runtime::Perbill;

/// Most items one page of a listing returns.
pub const MAX_PAGE: u32 = 1_000;

sp_api::decl_runtime_apis! {
	/// Queries over Datanets and their contributions.
	pub trait DatanetsApi<AccountId, Datanet, Contribution>
	where
		AccountId: Codec,
		Datanet: Codec,
		Contribution: Codec,
	{
		/// A Datanet with its rules and statistics (size, accepted count, stake).
		fn datanet(id: DatanetId) -> Option<Datanet>;
		/// The Datanet's credibility C(D) (OpenLedger whitepaper §2.3.1, eq. 4), rounded down to a
		/// billionth.
		fn credibility(id: DatanetId) -> Option<Perbill>;
		/// One contribution with its provenance.
		fn contribution(id: ContributionId) -> Option<Contribution>;
		/// A page of a Datanet's contributions, ids from `from`, at most `limit` (capped at
		/// [`MAX_PAGE`]), in submission order.
		fn datanet_contributions(
			datanet: DatanetId,
			from: ContributionId,
			limit: u32,
		) -> Vec<(ContributionId, Contribution)>;
		/// A page of a contributor's contributions, as for `datanet_contributions`.
		fn contributor_contributions(
			who: AccountId,
			from: ContributionId,
			limit: u32,
		) -> Vec<(ContributionId, Contribution)>;
	}
}
