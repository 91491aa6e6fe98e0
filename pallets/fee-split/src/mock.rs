//! A test runtime: System, Balances and the fee pallet, with in-memory stand-ins for the model
//! registry (its staking reward pool included) and governance's parameters (the real pallets are
//! wired together in the runtime's tests).

use crate as pallet_fee_split;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use openledger_primitives::{
	ContributionId, DataThresholds, FeeSplit as Split, ModelId, ModelInspect, PlatformFee,
	ProtocolParameters, ServedModel,
};
use sp_core::H256;
use sp_runtime::{testing::TestSignature, BuildStorage, DispatchError, Perbill};
use std::collections::BTreeMap;

pub type AccountId = u64;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

/// The mock's OPEN: 18 decimals, as on the chain.
pub const OPEN: Balance = 1_000_000_000_000_000_000;
pub const USER: AccountId = 1;
pub const OWNER: AccountId = 2;
pub const CONTRIBUTOR_A: AccountId = 5;
pub const CONTRIBUTOR_B: AccountId = 6;
pub const WORKER: AccountId = 7;
/// Another worker, who exists.
pub const OTHER_WORKER: AccountId = 8;
/// The registry's staking pot: holds the stakers' rewards until they claim them.
pub const POT: AccountId = 50;
pub const TREASURY: AccountId = 99;
pub const INITIAL_BALANCE: Balance = 1_000 * OPEN;
/// Existential deposit of the mock: 0.001 OPEN, as on the chain.
pub const ED: Balance = OPEN / 1_000;
/// The model of the OpenLedger whitepaper's worked example (§2.2.4): R_in = 0.2 OPEN, R_out =
/// 0.4 OPEN per 1000 tokens.
pub const MODEL: ModelId = 0;

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
	pub type FeeSplit = pallet_fee_split;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

parameter_types! {
	pub const ExistentialDeposit: Balance = ED;
	pub const TreasuryAccount: AccountId = TREASURY;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ExistentialDeposit;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	static MODELS: RefCell<BTreeMap<ModelId, ServedModel<AccountId, Balance>>> = const { RefCell::new(BTreeMap::new()) };
	static STAKED: RefCell<BTreeMap<ModelId, Balance>> = const { RefCell::new(BTreeMap::new()) };
	static REWARDED: RefCell<BTreeMap<ModelId, Balance>> = const { RefCell::new(BTreeMap::new()) };
	static REWARD_FAILS: RefCell<bool> = const { RefCell::new(false) };
	static SPLIT: RefCell<Split> = RefCell::new(Split::default());
	static PLATFORM: RefCell<PlatformFee<Balance>> = const { RefCell::new(PlatformFee::Flat(OPEN / 2)) };
}

/// Serve `model` at these rates, owned by `owner`.
pub fn serve(model: ModelId, owner: AccountId, rate_in: Balance, rate_out: Balance) {
	MODELS.with(|m| {
		m.borrow_mut().insert(model, ServedModel { owner, version: 0, rate_in, rate_out })
	});
}

/// Stop serving `model`.
pub fn unserve(model: ModelId) {
	MODELS.with(|m| m.borrow_mut().remove(&model));
}

/// The total active stake on `model` (anyone stakes on it if it is above zero).
pub fn set_staked(model: ModelId, total: Balance) {
	STAKED.with(|s| s.borrow_mut().insert(model, total));
}

/// What the registry's reward pool was credited for `model`'s stakers, in all.
pub fn rewarded(model: ModelId) -> Balance {
	REWARDED.with(|r| r.borrow().get(&model).copied().unwrap_or_default())
}

/// Make `reward_stakers` fail even though the model has stakers (a registry gone wrong).
pub fn set_reward_fails(fails: bool) {
	REWARD_FAILS.with(|f| *f.borrow_mut() = fails);
}

pub fn set_split(split: Split) {
	SPLIT.with(|s| *s.borrow_mut() = split);
}

pub fn set_platform_fee(fee: PlatformFee<Balance>) {
	PLATFORM.with(|p| *p.borrow_mut() = fee);
}

pub struct TestModels;
impl ModelInspect<AccountId, Balance> for TestModels {
	fn served(model: ModelId) -> Option<ServedModel<AccountId, Balance>> {
		MODELS.with(|m| m.borrow().get(&model).cloned())
	}
	fn adapter_hash(model: ModelId, _: u32) -> Option<H256> {
		Self::served(model).map(|_| H256::repeat_byte(0xad))
	}
	fn trained_on(_: ModelId, _: u32, _: ContributionId) -> bool {
		true
	}
	fn has_stakers(model: ModelId) -> bool {
		STAKED.with(|s| s.borrow().get(&model).copied().unwrap_or_default()) > 0
	}
	fn staking_pot() -> AccountId {
		POT
	}
	fn reward_stakers(model: ModelId, amount: Balance) -> Result<(), DispatchError> {
		if !Self::has_stakers(model) || REWARD_FAILS.with(|f| *f.borrow()) {
			return Err(DispatchError::Other("nobody stakes on the model"));
		}
		REWARDED.with(|r| *r.borrow_mut().entry(model).or_default() += amount);
		Ok(())
	}
}

pub struct TestParameters;
impl DataThresholds for TestParameters {
	fn min_accepted_contributions() -> u32 {
		0
	}
	fn min_credibility() -> Perbill {
		Perbill::zero()
	}
}
impl ProtocolParameters<Balance> for TestParameters {
	fn fee_split() -> Split {
		SPLIT.with(|s| *s.borrow())
	}
	fn platform_fee() -> PlatformFee<Balance> {
		PLATFORM.with(|p| *p.borrow())
	}
}

impl pallet_fee_split::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = TestModels;
	type Parameters = TestParameters;
	type Treasury = TreasuryAccount;
	type Signature = TestSignature;
	type MaxRequestLifetime = ConstU64<100>;
	type MaxExpiringPerBlock = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestModels;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, TestSignature> for TestModels {
	fn served_model() -> ModelId {
		serve(MODEL, OWNER, OPEN / 5, 2 * OPEN / 5);
		MODEL
	}
	fn sign(payload: &[u8]) -> (AccountId, TestSignature) {
		(USER, TestSignature(USER, payload.to_vec()))
	}
}

/// Everyone funded but the contributors, who do not exist yet, and the staking pot, which holds
/// the existential deposit only (so that it can receive any amount); the worked example's model
/// served with the whitepaper's example split (70/10/20), nobody staking on it, and a flat
/// platform fee of 0.5 OPEN.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [USER, OWNER, WORKER, OTHER_WORKER, TREASURY]
			.into_iter()
			.map(|who| (who, INITIAL_BALANCE))
			.chain([(POT, ED)])
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	MODELS.with(|m| m.borrow_mut().clear());
	STAKED.with(|s| s.borrow_mut().clear());
	REWARDED.with(|r| r.borrow_mut().clear());
	set_reward_fails(false);
	set_split(Split::default());
	set_platform_fee(PlatformFee::Flat(OPEN / 2));
	serve(MODEL, OWNER, OPEN / 5, 2 * OPEN / 5);
	ext
}
