//! A test runtime: System, Balances and the registry, with in-memory stand-ins for Datanets and
//! governance (their real pallets are wired together in the runtime's lifecycle test).

use crate as pallet_model_registry;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64},
	PalletId,
};
use frame_system::EnsureRoot;
use openledger_primitives::{
	ContributionId, DataThresholds, DatanetId, DatanetInspect, ModelGovernance, ModelId, ProposalId,
};
use sp_runtime::{BuildStorage, DispatchError, Perbill};
use std::collections::BTreeMap;

pub type AccountId = u64;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const TREASURY: AccountId = 99;
pub const INITIAL_BALANCE: Balance = 1_000_000;
pub const DEPOSIT: Balance = 1_000;
pub const FEE: Balance = 50;
/// Above 1, so that the staking pot's existential deposit is seen to matter.
pub const ED: Balance = 5;
pub const MIN_STAKE: Balance = 10;
pub const UNBONDING: u64 = 10;
pub const MAX_CHUNKS: u32 = 2;
pub const MAX_TRAINING_SET: u32 = 4;
pub const ITEM_DEPOSIT: Balance = 3;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Registry = pallet_model_registry;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ExistentialDeposit = ConstU128<ED>;
}

thread_local! {
	/// Datanets: id → (accepted contributions, credibility).
	static DATANETS: RefCell<BTreeMap<DatanetId, (u32, Perbill)>> = const { RefCell::new(BTreeMap::new()) };
	/// Accepted contributions: id → Datanet.
	static ACCEPTED: RefCell<BTreeMap<ContributionId, DatanetId>> = const { RefCell::new(BTreeMap::new()) };
	/// Models sent to a vote, in order.
	static PROPOSED: RefCell<Vec<(AccountId, ModelId)>> = const { RefCell::new(Vec::new()) };
}

/// Set a Datanet's accepted count and credibility.
pub fn set_datanet(id: DatanetId, accepted: u32, credibility: Perbill) {
	DATANETS.with(|d| d.borrow_mut().insert(id, (accepted, credibility)));
}

/// Accept contributions in a Datanet.
pub fn accept(datanet: DatanetId, ids: &[ContributionId]) {
	ACCEPTED.with(|a| a.borrow_mut().extend(ids.iter().map(|id| (*id, datanet))));
}

pub fn proposed() -> Vec<(AccountId, ModelId)> {
	PROPOSED.with(|p| p.borrow().clone())
}

pub struct TestDatanets;
impl DatanetInspect for TestDatanets {
	fn exists(datanet: DatanetId) -> bool {
		DATANETS.with(|d| d.borrow().contains_key(&datanet))
	}
	fn quality(datanet: DatanetId) -> Option<(u32, Perbill)> {
		DATANETS.with(|d| d.borrow().get(&datanet).copied())
	}
	fn accepted_in(contribution: ContributionId) -> Option<DatanetId> {
		ACCEPTED.with(|a| a.borrow().get(&contribution).copied())
	}
}

pub struct TestGovernance;
impl ModelGovernance<AccountId> for TestGovernance {
	fn propose_model(proposer: &AccountId, model: ModelId) -> Result<ProposalId, DispatchError> {
		PROPOSED.with(|p| {
			p.borrow_mut().push((*proposer, model));
			Ok(100 + model)
		})
	}
}

/// Data condition: 5 accepted contributions, every Datanet at least 50% credible.
pub struct TestThresholds;
impl DataThresholds for TestThresholds {
	fn min_accepted_contributions() -> u32 {
		5
	}
	fn min_credibility() -> Perbill {
		Perbill::from_percent(50)
	}
}

parameter_types! {
	pub const TreasuryAccount: AccountId = TREASURY;
	pub const RegistryPalletId: PalletId = PalletId(*b"ol/model");
}

impl pallet_model_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = frame_support::traits::tokens::imbalance::ResolveTo<TreasuryAccount, Balances>;
	type FeeDestination = TreasuryAccount;
	type Datanets = TestDatanets;
	type Governance = TestGovernance;
	type Thresholds = TestThresholds;
	type AdminOrigin = EnsureRoot<AccountId>;
	type PalletId = RegistryPalletId;
	type ProposalDeposit = frame_support::traits::ConstU128<DEPOSIT>;
	type ProposalFee = frame_support::traits::ConstU128<FEE>;
	type SlashRejectedDeposit = ConstBool<true>;
	type MaxTextLen = ConstU32<32>;
	type MaxDatanetsPerModel = ConstU32<2>;
	type MaxEvalScores = ConstU32<2>;
	type MaxVersions = ConstU32<2>;
	type MaxTrainingSet = ConstU32<MAX_TRAINING_SET>;
	type TrainingSetDepositPerItem = ConstU128<ITEM_DEPOSIT>;
	type MinModelStake = ConstU128<MIN_STAKE>;
	type ModelUnbondingPeriod = ConstU64<UNBONDING>;
	type MaxUnbondingChunks = ConstU32<MAX_CHUNKS>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestDatanets;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for TestDatanets {
	fn datanet_meeting_thresholds(index: u32) -> DatanetId {
		set_datanet(index, 5, Perbill::one());
		index
	}
	fn accepted_contributions(datanet: DatanetId, n: u32) -> Vec<ContributionId> {
		let first = ACCEPTED.with(|a| a.borrow().keys().last().map_or(0, |last| last + 1));
		let ids: Vec<_> = (first..first + u64::from(n)).collect();
		accept(datanet, &ids);
		ids
	}
}

/// Alice, Bob and Charlie funded; the treasury exists; Datanets 0 and 1 exist, empty; no
/// contribution is accepted; the staking pot holds the existential deposit.
pub fn new_test_ext() -> sp_io::TestExternalities {
	new_test_ext_with(&[], vec![])
}

/// The same, with `accepted` contributions (Datanet, ids) and models at genesis.
pub fn new_test_ext_with(
	accepted: &[(DatanetId, &[ContributionId])],
	models: Vec<pallet_model_registry::GenesisModel<Test>>,
) -> sp_io::TestExternalities {
	DATANETS.with(|d| d.borrow_mut().clear());
	ACCEPTED.with(|a| a.borrow_mut().clear());
	PROPOSED.with(|p| p.borrow_mut().clear());
	set_datanet(0, 0, Perbill::zero());
	set_datanet(1, 0, Perbill::zero());
	for (datanet, ids) in accepted {
		accept(*datanet, ids);
	}
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [ALICE, BOB, CHARLIE, TREASURY]
			.into_iter()
			.map(|who| (who, INITIAL_BALANCE))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_model_registry::GenesisConfig::<Test> { models }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
