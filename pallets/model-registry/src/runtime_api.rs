//! The runtime API through which clients (polkadot.js as `api.call.modelRegistryApi.*`, the
//! node's ModelFactory, explorers) read models, their versions and stakes without decoding
//! storage.

use crate::{ModelId, VersionId};
use alloc::vec::Vec;
use codec::Codec;

/// Most versions one page of a listing returns.
pub const MAX_PAGE: u32 = 100;

sp_api::decl_runtime_apis! {
	/// Queries over the model registry.
	///
	/// Version 2 added [`ModelRegistryApi::staker`].
	#[api_version(2)]
	pub trait ModelRegistryApi<Model, Version, AccountId, Staker>
	where
		Model: Codec,
		Version: Codec,
		AccountId: Codec,
		Staker: Codec,
	{
		/// A model: owner, base model, the Datanets it is approved to train on, rates, status.
		fn model(id: ModelId) -> Option<Model>;
		/// Whether the model's Datanets now hold enough credible, accepted data to train on.
		fn data_condition_met(id: ModelId) -> Option<bool>;
		/// One version of a model, with its provenance.
		fn version(model: ModelId, version: VersionId) -> Option<Version>;
		/// A page of a model's versions from `from`, at most `limit` (capped at [`MAX_PAGE`]).
		fn versions(model: ModelId, from: VersionId, limit: u32) -> Vec<(VersionId, Version)>;
		/// An account's stake on a model (a [`crate::StakerInfo`]): active, unbonding and the
		/// rewards it can claim now; `None` if it has none.
		#[api_version(2)]
		fn staker(model: ModelId, who: AccountId) -> Option<Staker>;
	}
}
