//! Configuration of the OpenLedger pallets: Datanets, the model registry, gOPEN governance, and
//! paid, attributed inference (fee split and attribution).

use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstBool, ConstU128, ConstU32},
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

use super::TreasuryAccount;
use crate::{
	AccountId, Balances, Datanets, FeeSplit, Governance, ModelRegistry, Runtime,
	RuntimeFreezeReason, RuntimeHoldReason, Signature, Timestamp, DAYS, HOURS, OPEN,
};

/// Largest content one contribution may point at: one data point (a document, a question/answer
/// pair), 1 MiB at most. The node's content store refuses larger uploads.
pub const MAX_CONTENT_SIZE: u32 = 1024 * 1024;

/// Most accounts that may stake on one model. Each is paid its share of every settled answer in
/// the settlement itself, about 1.8 ms of weight apiece as measured (debug node): 100 keeps the
/// heaviest settlement (64 contributions, 100 stakers) near 0.3 s of a 2 s block.
pub const MAX_STAKERS_PER_MODEL: u32 = 100;

impl pallet_datanets::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Slashed stake of fraudulent data goes to the treasury.
	type OnSlash = ResolveTo<TreasuryAccount, Balances>;
	type UnixTime = Timestamp;
	type DatanetDeposit = ConstU128<{ 10 * OPEN }>;
	type MaxNameLen = ConstU32<64>;
	type MaxTagLen = ConstU32<64>;
	type MaxDescriptionLen = ConstU32<1024>;
	type MaxMetadataLen = ConstU32<256>;
	type MaxCurators = ConstU32<16>;
	type MaxContributionsPerDatanet = ConstU32<1_000_000>;
	type MaxContentSize = ConstU32<MAX_CONTENT_SIZE>;
	type WeightInfo = pallet_datanets::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// A fifth of all gOPEN must vote for a proposal to be decided.
	pub const GovernanceQuorum: Perbill = Perbill::from_percent(20);
	/// Ayes must be more than half of the votes cast.
	pub const ApprovalThreshold: Perbill = Perbill::from_percent(50);
}

impl pallet_governance::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type OnSlash = ResolveTo<TreasuryAccount, Balances>;
	type ModelDecision = ModelRegistry;
	type AdminOrigin = EnsureRoot<AccountId>;
	// Public networks; the dev and local presets shorten both at genesis.
	type UnbondingPeriod = frame_support::traits::ConstU32<{ 7 * DAYS }>;
	type VotingPeriod = frame_support::traits::ConstU32<{ 3 * DAYS }>;
	type Quorum = GovernanceQuorum;
	type ApprovalThreshold = ApprovalThreshold;
	type ProposalDeposit = ConstU128<{ 100 * OPEN }>;
	type SlashRejectedDeposit = ConstBool<true>;
	type MaxUnbondingChunks = ConstU32<16>;
	type MaxVotesPerAccount = ConstU32<32>;
	type WeightInfo = pallet_governance::weights::SubstrateWeight<Runtime>;
}

impl pallet_model_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = ResolveTo<TreasuryAccount, Balances>;
	type FeeDestination = TreasuryAccount;
	type Datanets = Datanets;
	type Governance = Governance;
	type Thresholds = Governance;
	type AdminOrigin = EnsureRoot<AccountId>;
	type ProposalDeposit = ConstU128<{ 100 * OPEN }>;
	type ProposalFee = ConstU128<{ 5 * OPEN }>;
	type SlashRejectedDeposit = ConstBool<true>;
	type MaxTextLen = ConstU32<256>;
	type MaxDatanetsPerModel = ConstU32<8>;
	type MaxEvalScores = ConstU32<16>;
	type MaxVersions = ConstU32<1_000>;
	type MaxStakersPerModel = ConstU32<MAX_STAKERS_PER_MODEL>;
	type WeightInfo = pallet_model_registry::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::benchmark_helpers::DatanetsBenchmarkHelper;
}

impl pallet_fee_split::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = ModelRegistry;
	type Parameters = Governance;
	type Treasury = TreasuryAccount;
	type Signature = Signature;
	// An answer is settled within minutes; an hour leaves room for retries and restarts.
	type MaxRequestLifetime = ConstU32<HOURS>;
	type MaxExpiringPerBlock = ConstU32<256>;
	type WeightInfo = pallet_fee_split::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::benchmark_helpers::InferenceBenchmarkHelper;
}

impl pallet_attribution::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Escrow = FeeSplit;
	type Models = ModelRegistry;
	type Contributions = Datanets;
	type OnSlash = ResolveTo<TreasuryAccount, Balances>;
	type SlashOrigin = EnsureRoot<AccountId>;
	type MinWorkerStake = ConstU128<{ 1_000 * OPEN }>;
	type WorkerUnbondingPeriod = ConstU32<{ 7 * DAYS }>;
	type MaxModelsPerWorker = ConstU32<64>;
	// DataInf's top contributions behind one answer.
	type MaxContributionsPerOutput = ConstU32<64>;
	type MaxStakersPerModel = ConstU32<MAX_STAKERS_PER_MODEL>;
	type WeightInfo = pallet_attribution::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::benchmark_helpers::InferenceBenchmarkHelper;
}
