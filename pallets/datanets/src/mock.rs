//! A test runtime: System, Balances, Timestamp and Datanets.

use crate as pallet_datanets;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::BuildStorage;

pub type AccountId = u64;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
/// Receives slashed stake, standing in for the treasury.
pub const TREASURY: AccountId = 99;
pub const INITIAL_BALANCE: Balance = 1_000_000;
pub const DATANET_DEPOSIT: Balance = 100;

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
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type Datanets = pallet_datanets;
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
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

parameter_types! {
	pub const TreasuryAccount: AccountId = TREASURY;
}

impl pallet_datanets::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = frame_support::traits::tokens::imbalance::ResolveTo<TreasuryAccount, Balances>;
	type UnixTime = Timestamp;
	type DatanetDeposit = frame_support::traits::ConstU128<DATANET_DEPOSIT>;
	type MaxNameLen = ConstU32<16>;
	type MaxTagLen = ConstU32<16>;
	type MaxDescriptionLen = ConstU32<64>;
	type MaxMetadataLen = ConstU32<32>;
	type MaxCurators = ConstU32<2>;
	type MaxContributionsPerDatanet = ConstU32<5>;
	type MaxContentSize = ConstU32<1024>;
	type WeightInfo = ();
}

/// Alice, Bob, Charlie and Dave funded; the treasury exists; the clock started.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [ALICE, BOB, CHARLIE, DAVE, TREASURY]
			.into_iter()
			.map(|who| (who, INITIAL_BALANCE))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(1_700_000_000_000);
	});
	ext
}
