//! What the OpenLedger pallets know of each other.
//!
//! Datanets, the model registry and governance call each other through these traits, wired
//! together in the runtime, so that no pallet depends on another pallet's crate.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

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

/// How the net fee of an inference is split (OpenLedger whitepaper §2.2.4, step 3): model owner
/// β, stakers γ, data contributors δ, with β + γ + δ = 1 exactly.
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
	/// The split of the OpenLedger whitepaper's worked example (§2.2.4): 70% model, 10% stakers,
	/// 20% contributors.
	fn default() -> Self {
		Self {
			model: Perbill::from_percent(70),
			stakers: Perbill::from_percent(10),
			contributors: Perbill::from_percent(20),
		}
	}
}

/// The platform fee on an inference (OpenLedger whitepaper §2.2.4 step 3, paid to the treasury as
/// §5.2.1 says): a flat amount, or a share η of the usage fee.
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

/// Identifier of an inference request: blake2-256 of the requesting account and the request it
/// signed, so that the same signed request has one id whichever way it reaches the chain.
pub type RequestId = sp_core::H256;

/// What the fee and attribution pallets read of a model that is being served.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ServedModel<AccountId, Balance> {
	pub owner: AccountId,
	/// The deployed version: the adapter that answers.
	pub version: u32,
	/// Price per 1000 input tokens (R_in).
	pub rate_in: Balance,
	/// Price per 1000 output tokens (R_out).
	pub rate_out: Balance,
}

/// What the model registry tells the fee and attribution pallets.
pub trait ModelInspect<AccountId, Balance> {
	/// The model, if it is deployed.
	fn served(model: ModelId) -> Option<ServedModel<AccountId, Balance>>;
	/// The adapter hash registered for a version of a model.
	fn adapter_hash(model: ModelId, version: u32) -> Option<sp_core::H256>;
	/// Whether the contribution is in the training set registered for the version.
	fn trained_on(model: ModelId, version: u32, contribution: ContributionId) -> bool;
	/// Whether anyone has active stake on the model (else its stakers' share goes to the
	/// treasury).
	fn has_stakers(model: ModelId) -> bool;
	/// The account that holds staking rewards until stakers claim them.
	fn staking_pot() -> AccountId;
	/// Credit `amount`, already paid into [`ModelInspect::staking_pot`], to the model's active
	/// stakers pro rata to stake. Fails (and must then be rolled back) if nobody stakes.
	fn reward_stakers(model: ModelId, amount: Balance) -> Result<(), DispatchError>;
}

/// What the attribution pallet reads of contributions.
pub trait ContributionInspect<AccountId> {
	/// The Datanet and contributor of an accepted contribution; `None` if unknown or not
	/// accepted.
	fn accepted(contribution: ContributionId) -> Option<(DatanetId, AccountId)>;
}

/// An inference request held in escrow and not yet settled.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PendingInference<AccountId> {
	pub user: AccountId,
	pub model: ModelId,
	/// blake2-256 of the prompt, as the user signed it.
	pub prompt_hash: sp_core::H256,
	/// The prompt's token count, as quoted to the user and carried by their consent.
	pub tokens_in: u32,
	pub max_output_tokens: u32,
	/// The workers the user allows to settle it.
	pub workers: alloc::vec::Vec<AccountId>,
}

/// Where the fee of one settled inference went. Always
/// `platform + model_owner + worker + stakers + contributors + remainder == fee`.
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
	Default,
)]
pub struct FeeBreakdown<Balance> {
	/// Charged to the user.
	pub fee: Balance,
	/// Returned to the user: what was held and not charged.
	pub refund: Balance,
	/// F_platform, to the treasury.
	pub platform: Balance,
	/// β·F_net less the worker's share, to the model's owner.
	pub model_owner: Balance,
	/// The settling worker's compute share of β·F_net (set by the model owner).
	pub worker: Balance,
	/// Paid to the model's stakers, pro rata to stake.
	pub stakers: Balance,
	/// Paid to the data contributors, by influence.
	pub contributors: Balance,
	/// Rounding remainders, shares nobody could receive (no stakers, no positive influence, an
	/// account that cannot exist with so little), to the treasury.
	pub remainder: Balance,
}

/// A settled inference: the breakdown and what each contributor was paid, in the order given.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Settlement<Balance> {
	pub breakdown: FeeBreakdown<Balance>,
	pub per_contributor: alloc::vec::Vec<Balance>,
}

/// How the attribution pallet settles requests held by the fee pallet.
pub trait InferenceEscrow<AccountId, Balance> {
	/// The request, if it is held and may still be settled (not settled, not expired).
	fn pending(request: &RequestId) -> Option<PendingInference<AccountId>>;
	/// Charge the fee for the request's `tokens_in` and `tokens_out` from its hold, refund the
	/// rest and pay the split: `worker_share` of the model owner's part to `worker`;
	/// `contributors` are (account, influence > 0), an account of `None` (a contribution
	/// withdrawn or slashed since training) has its share paid to the treasury. All or nothing.
	fn settle(
		request: &RequestId,
		worker: &AccountId,
		worker_share: Perbill,
		tokens_out: u32,
		contributors: &[(Option<AccountId>, u128)],
	) -> Result<Settlement<Balance>, DispatchError>;
}

/// What a worker hands the user with every paid answer, signed with its worker key (see
/// [`receipt_digest`]): the user can prove with it, on-chain, that a settlement differs from
/// the answer they got.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Receipt {
	pub request: RequestId,
	pub model: ModelId,
	pub version: u32,
	/// blake2-256 of the adapter's weights that answered.
	pub adapter_hash: sp_core::H256,
	pub tokens_in: u32,
	pub tokens_out: u32,
	/// blake2-256 of the answer's text.
	pub output_hash: sp_core::H256,
}

/// Domain of a receipt's signature, so that no other signature of a worker key passes for one.
pub const RECEIPT_CONTEXT: &[u8] = b"openledger:inference-receipt:v1";

/// What a worker signs for a receipt: blake2-256 of [`RECEIPT_CONTEXT`], the chain's genesis
/// hash and the SCALE-encoded receipt.
pub fn receipt_digest(genesis: &[u8; 32], receipt: &Receipt) -> [u8; 32] {
	use codec::Encode;
	use sp_runtime::traits::{BlakeTwo256, Hash};
	BlakeTwo256::hash(&(RECEIPT_CONTEXT, genesis, receipt).encode()).0
}

/// Where a serving node publishes the URL of its local settlement endpoint: a key of the
/// persistent offchain storage, read by the off-chain worker.
pub const SETTLEMENT_ENDPOINT_KEY: &[u8] = b"openledger/inference/settlement-endpoint";

/// The path under that URL that lists the settlements ready to submit (a SCALE
/// [`SettlementFeed`]). The worker appends `?challenge=<hex>` (see [`feed_digest`]).
pub const SETTLEMENTS_PATH: &str = "/settlements";

/// The path under that URL that answers, for `?request=<64 hex>`, the prompt and the answer of a
/// request this node answered (a SCALE `Option<(Vec<u8>, Vec<u8>)>`), kept for the dispute window:
/// what the worker reveals when the user challenges the settlement as unanswered. Not signed: the
/// chain checks them against the hashes the user signed and the worker settled.
pub const REVEAL_PATH: &str = "/reveal";

/// What the settlement endpoint answers: the prepared settlements, signed by each worker key
/// the node holds.
///
/// The endpoint's URL sits in persistent offchain storage, which a local RPC caller can
/// overwrite (`offchain_localStorageSet`): a feed anyone could serve would let them choose what
/// the worker key signs. The worker therefore submits settlements for a worker only when the
/// feed carries that worker's sr25519 signature over [`feed_digest`] of the worker's fresh
/// challenge and these settlements: only the node holding the key can produce it.
#[derive(codec::Encode, codec::Decode, Clone, PartialEq, Eq, Debug, Default)]
pub struct SettlementFeed {
	pub settlements: alloc::vec::Vec<PreparedSettlement>,
	/// (sr25519 public key, signature over [`feed_digest`]).
	pub signatures: alloc::vec::Vec<([u8; 32], [u8; 64])>,
}

/// What the node signs for a feed: blake2-256 of a domain tag, the worker's challenge and the
/// SCALE encoding of the settlements.
pub fn feed_digest(challenge: &[u8; 32], settlements: &[PreparedSettlement]) -> [u8; 32] {
	use codec::Encode;
	use sp_runtime::traits::{BlakeTwo256, Hash};
	let message = (b"openledger/settlement-feed/v1", challenge, settlements).encode();
	BlakeTwo256::hash(&message).0
}

/// A settlement the serving node has prepared for a request it answered: the arguments of
/// `attribution.settle` (the input token count is the one the user's request carries), with the influences its native engine computed (DataInf). The node's
/// off-chain worker fetches these from the node and submits them signed with its worker key.
#[derive(codec::Encode, codec::Decode, scale_info::TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PreparedSettlement {
	pub request: RequestId,
	/// The model version that answered.
	pub version: u32,
	pub tokens_out: u32,
	/// blake2-256 of the answer's text.
	pub output_hash: sp_core::H256,
	/// (contribution, influence), influence in fixed point; only positive ones are paid.
	pub influences: alloc::vec::Vec<(ContributionId, i128)>,
	/// For a request the user signed off-chain and sent to the node instead of putting it in
	/// escrow: the SCALE-encoded arguments `(request, signer, signature)` of
	/// `feeSplit.submitSignedRequest`, which the worker submits first.
	pub signed_request: Option<alloc::vec::Vec<u8>>,
}
