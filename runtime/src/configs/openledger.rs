//! Configuration of the OpenLedger pallets: Datanets, the model registry and gOPEN governance.

use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstBool, ConstU128, ConstU32},
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

use super::TreasuryAccount;
use crate::{
	AccountId, Balances, Datanets, Governance, ModelRegistry, Runtime, RuntimeFreezeReason,
	RuntimeHoldReason, Timestamp, DAYS, OPEN,
};

/// Largest content one contribution may point at: one data point (a document, a question/answer
/// pair), 1 MiB at most. The node's content store refuses larger uploads.
pub const MAX_CONTENT_SIZE: u32 = 1024 * 1024;

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
	type MaxStakersPerModel = ConstU32<1_000>;
	type WeightInfo = pallet_model_registry::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = DatanetsBenchmarkHelper;
}

/// Creates Datanets that meet the data thresholds, for the registry's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct DatanetsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_model_registry::BenchmarkHelper for DatanetsBenchmarkHelper {
	fn datanet_meeting_thresholds(_index: u32) -> pallet_datanets::DatanetId {
		use codec::Encode;
		use frame_support::traits::fungible::Mutate;
		use openledger_primitives::DataThresholds;

		let owner: AccountId = frame_benchmarking::account("datanet-owner", 0, 0);
		let _ = Balances::set_balance(&owner, 1_000 * OPEN);
		let id = pallet_datanets::NextDatanetId::<Runtime>::get();
		let _ = Datanets::create_datanet(
			frame_system::RawOrigin::Signed(owner.clone()).into(),
			b"bench".to_vec(),
			b"bench".to_vec(),
			b"bench".to_vec(),
			b"bench".to_vec(),
			0,
			alloc::vec![],
		);
		for n in 0..Governance::min_accepted_contributions() {
			let contribution = pallet_datanets::NextContributionId::<Runtime>::get();
			let _ = Datanets::contribute(
				frame_system::RawOrigin::Signed(owner.clone()).into(),
				id,
				<sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(
					&(id, n).encode(),
				),
				1,
				alloc::vec![],
				crate::MILLI_OPEN,
			);
			let _ = Datanets::accept(
				frame_system::RawOrigin::Signed(owner.clone()).into(),
				contribution,
				Perbill::one(),
			);
		}
		id
	}
}
