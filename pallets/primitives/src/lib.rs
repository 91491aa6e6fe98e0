//! What the OpenLedger pallets know of each other.
//!
//! Datanets, the model registry and governance call each other through these traits, wired
//! together in the runtime, so that no pallet depends on another pallet's crate.

#![cfg_attr(not(feature = "std"), no_std)]

use sp_runtime::{DispatchError, Perbill};

/// Datanet identifier.
pub type DatanetId = u32;
/// Contribution identifier, global over all Datanets.
pub type ContributionId = u64;
/// Model identifier.
pub type ModelId = u32;
/// Governance proposal identifier.
pub type ProposalId = u32;

/// What the model registry reads of Datanets.
pub trait DatanetInspect {
	/// Whether the Datanet exists.
	fn exists(datanet: DatanetId) -> bool;
	/// Accepted contributions that count, and the credibility C(D); `None` for an unknown Datanet.
	fn quality(datanet: DatanetId) -> Option<(u32, Perbill)>;
	/// The Datanet of an accepted contribution, `None` if unknown or not accepted.
	fn accepted_in(contribution: ContributionId) -> Option<DatanetId>;
}

/// How the model registry asks governance to decide on a proposed model.
pub trait ModelGovernance<AccountId> {
	/// Open a vote on `model`, proposed by `proposer`; returns the proposal's id.
	fn propose_model(proposer: &AccountId, model: ModelId) -> Result<ProposalId, DispatchError>;
}

/// What governance tells the model registry when a vote on a model ends.
pub trait OnModelDecision {
	/// `approved`: the vote passed. Must not fail: the registry settles its deposit either way.
	fn on_model_decision(model: ModelId, approved: bool);
}

/// Data thresholds a model must meet to leave CollectingData, set by governance.
pub trait DataThresholds {
	/// Least accepted contributions over the model's Datanets.
	fn min_accepted_contributions() -> u32;
	/// Least credibility each of the model's Datanets must have.
	fn min_credibility() -> Perbill;
}

/// How the net fee of an inference is split (seed 5.2): model owner β, stakers γ, data
/// contributors δ, with β + γ + δ = 1 exactly.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct FeeSplit {
	pub model: Perbill,
	pub stakers: Perbill,
	pub contributors: Perbill,
}

impl FeeSplit {
	/// Whether the three shares add up to exactly one.
	pub fn is_complete(&self) -> bool {
		let total = u64::from(self.model.deconstruct())
			.saturating_add(u64::from(self.stakers.deconstruct()))
			.saturating_add(u64::from(self.contributors.deconstruct()));
		total == u64::from(Perbill::one().deconstruct())
	}
}

impl Default for FeeSplit {
	/// The seed's example split: 70% model, 10% stakers, 20% contributors.
	fn default() -> Self {
		Self {
			model: Perbill::from_percent(70),
			stakers: Perbill::from_percent(10),
			contributors: Perbill::from_percent(20),
		}
	}
}

/// The platform fee on an inference (seed 5.2): a flat amount, or a share η of the usage fee.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum PlatformFee<Balance> {
	Flat(Balance),
	Percentage(Perbill),
}

/// Protocol parameters that the pallets read and that governance sets.
pub trait ProtocolParameters<Balance>: DataThresholds {
	fn fee_split() -> FeeSplit;
	fn platform_fee() -> PlatformFee<Balance>;
}
