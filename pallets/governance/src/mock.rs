//! A test runtime: System, Balances and Governance, with a recorder standing in for the model
//! registry.

use crate as pallet_governance;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstBool, ConstU32, ConstU64, Contains},
	weights::Weight,
};
use frame_system::EnsureRoot;
use openledger_primitives::{ModelId, OnModelDecision};
use sp_runtime::{BuildStorage, Perbill};

pub type AccountId = u64;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const TREASURY: AccountId = 99;
pub const INITIAL_BALANCE: Balance = 1_000_000;
pub const PROPOSAL_DEPOSIT: Balance = 500;
pub const VOTING_PERIOD: u64 = 10;
pub const UNBONDING_PERIOD: u64 = 20;
pub const MAX_CALL_LEN: u32 = 128;

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
	pub type Governance = pallet_governance;
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
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = frame_support::traits::VariantCountOf<RuntimeFreezeReason>;
}

thread_local! {
	/// Model decisions governance reported, in order.
	pub static DECISIONS: RefCell<Vec<(ModelId, bool)>> = const { RefCell::new(Vec::new()) };
}

/// Records what the model registry would be told.
pub struct RecordDecisions;
impl OnModelDecision for RecordDecisions {
	fn on_model_decision(model: ModelId, approved: bool) {
		DECISIONS.with(|d| d.borrow_mut().push((model, approved)));
	}
}

pub fn decisions() -> Vec<(ModelId, bool)> {
	DECISIONS.with(|d| d.borrow().clone())
}

/// What governance may dispatch as root here: remarks (remark_with_event fails as root, which
/// the tests use), storage and balance overrides whose effect the tests can observe.
pub struct GovernanceCalls;
impl Contains<RuntimeCall> for GovernanceCalls {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(
			call,
			RuntimeCall::System(
				frame_system::Call::remark { .. }
					| frame_system::Call::remark_with_event { .. }
					| frame_system::Call::set_storage { .. }
			) | RuntimeCall::Balances(pallet_balances::Call::force_set_balance { .. })
		)
	}
}

parameter_types! {
	/// Settable so that tests can tighten it between proposal and close.
	pub static MaxCallWeight: Weight = Weight::from_parts(100_000_000_000, 1_000_000);
	pub const TreasuryAccount: AccountId = TREASURY;
	pub const Quorum: Perbill = Perbill::from_percent(20);
	pub const ApprovalThreshold: Perbill = Perbill::from_percent(50);
}

impl pallet_governance::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type OnSlash = frame_support::traits::tokens::imbalance::ResolveTo<TreasuryAccount, Balances>;
	type ModelDecision = RecordDecisions;
	type AdminOrigin = EnsureRoot<AccountId>;
	type UnbondingPeriod = ConstU64<UNBONDING_PERIOD>;
	type VotingPeriod = ConstU64<VOTING_PERIOD>;
	type Quorum = Quorum;
	type ApprovalThreshold = ApprovalThreshold;
	type ProposalDeposit = frame_support::traits::ConstU128<PROPOSAL_DEPOSIT>;
	type SlashRejectedDeposit = ConstBool<true>;
	type MaxUnbondingChunks = ConstU32<2>;
	type MaxVotesPerAccount = ConstU32<3>;
	type RuntimeCall = RuntimeCall;
	type CallFilter = GovernanceCalls;
	type MaxCallLen = ConstU32<MAX_CALL_LEN>;
	type MaxCallWeight = MaxCallWeight;
	type WeightInfo = ();
}

/// Alice, Bob and Charlie funded; the treasury exists; default parameters.
pub fn new_test_ext() -> sp_io::TestExternalities {
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
	pallet_governance::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	DECISIONS.with(|d| d.borrow_mut().clear());
	ext
}

/// Move to block `n`.
pub fn run_to(n: u64) {
	System::set_block_number(n);
}
