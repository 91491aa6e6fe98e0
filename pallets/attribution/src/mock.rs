//! A test runtime: System, Balances, the real fee pallet and attribution, with in-memory
//! stand-ins for the model registry, Datanets and governance's parameters (the real pallets are
//! wired together in the runtime's tests).

use crate as pallet_attribution;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU128, ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use openledger_primitives::{
	ContributionId, ContributionInspect, DataThresholds, DatanetId, FeeSplit as Split, ModelId,
	ModelInspect, PlatformFee, ProtocolParameters, ServedModel,
};
use sp_runtime::{testing::TestSignature, BuildStorage, Perbill};
use std::collections::BTreeMap;

pub type AccountId = u64;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

pub const OPEN: Balance = 1_000_000_000_000_000_000;
pub const USER: AccountId = 1;
pub const OWNER: AccountId = 2;
pub const STAKER: AccountId = 3;
pub const CONTRIBUTOR_A: AccountId = 5;
pub const CONTRIBUTOR_B: AccountId = 6;
pub const WORKER: AccountId = 7;
pub const OTHER_WORKER: AccountId = 8;
pub const TREASURY: AccountId = 99;
pub const INITIAL_BALANCE: Balance = 1_000 * OPEN;
pub const MIN_WORKER_STAKE: Balance = 100 * OPEN;
pub const UNBONDING: u64 = 10;
/// The worked example's model, training on Datanet 0.
pub const MODEL: ModelId = 0;
/// Another deployed model, training on Datanet 1.
pub const OTHER_MODEL: ModelId = 1;

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
	#[runtime::pallet_index(3)]
	pub type Attribution = pallet_attribution;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

parameter_types! {
	pub const TreasuryAccount: AccountId = TREASURY;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<{ OPEN / 1_000 }>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

struct TestModel {
	served: ServedModel<AccountId, Balance>,
	datanets: Vec<DatanetId>,
	stakes: Vec<(AccountId, Balance)>,
}

thread_local! {
	static MODELS: RefCell<BTreeMap<ModelId, TestModel>> = const { RefCell::new(BTreeMap::new()) };
	/// Accepted contributions: id → (Datanet, contributor).
	static CONTRIBUTIONS: RefCell<BTreeMap<ContributionId, (DatanetId, AccountId)>> = const { RefCell::new(BTreeMap::new()) };
}

/// Deploy `model` (version 0) at the worked example's rates, training on `datanets`.
pub fn serve(model: ModelId, owner: AccountId, datanets: Vec<DatanetId>) {
	MODELS.with(|m| {
		m.borrow_mut().insert(
			model,
			TestModel {
				served: ServedModel {
					owner,
					version: 0,
					rate_in: OPEN / 5,
					rate_out: 2 * OPEN / 5,
					stakers: 0,
				},
				datanets,
				stakes: Vec::new(),
			},
		)
	});
}

pub fn unserve(model: ModelId) {
	MODELS.with(|m| m.borrow_mut().remove(&model));
}

pub fn add_stake(model: ModelId, who: AccountId, amount: Balance) {
	MODELS.with(|m| {
		if let Some(entry) = m.borrow_mut().get_mut(&model) {
			entry.stakes.push((who, amount));
			entry.served.stakers = entry.stakes.len() as u32;
		}
	});
}

/// An accepted contribution.
pub fn accept(contribution: ContributionId, datanet: DatanetId, contributor: AccountId) {
	CONTRIBUTIONS.with(|c| c.borrow_mut().insert(contribution, (datanet, contributor)));
}

pub struct TestModels;
impl ModelInspect<AccountId, Balance> for TestModels {
	fn served(model: ModelId) -> Option<ServedModel<AccountId, Balance>> {
		MODELS.with(|m| m.borrow().get(&model).map(|e| e.served.clone()))
	}
	fn stakes(model: ModelId) -> Vec<(AccountId, Balance)> {
		MODELS.with(|m| m.borrow().get(&model).map(|e| e.stakes.clone()).unwrap_or_default())
	}
	fn trains_on(model: ModelId, datanet: DatanetId) -> bool {
		MODELS.with(|m| m.borrow().get(&model).is_some_and(|e| e.datanets.contains(&datanet)))
	}
}

pub struct TestContributions;
impl ContributionInspect<AccountId> for TestContributions {
	fn accepted(contribution: ContributionId) -> Option<(DatanetId, AccountId)> {
		CONTRIBUTIONS.with(|c| c.borrow().get(&contribution).copied())
	}
}

/// The split of the OpenLedger whitepaper's worked example (§2.2.4) and a flat 0.5 OPEN platform
/// fee.
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
		Split::default()
	}
	fn platform_fee() -> PlatformFee<Balance> {
		PlatformFee::Flat(OPEN / 2)
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
	type MaxExpiringPerBlock = ConstU32<64>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestModels;
}

impl pallet_attribution::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Escrow = FeeSplit;
	type Models = TestModels;
	type Contributions = TestContributions;
	type OnSlash = ResolveTo<TreasuryAccount, Balances>;
	type SlashOrigin = EnsureRoot<AccountId>;
	type MinWorkerStake = ConstU128<MIN_WORKER_STAKE>;
	type WorkerUnbondingPeriod = ConstU64<UNBONDING>;
	type MaxModelsPerWorker = ConstU32<2>;
	type MaxContributionsPerOutput = ConstU32<4>;
	type MaxStakersPerModel = ConstU32<8>;
	type MaxSettlementsPerBatch = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestModels;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_fee_split::BenchmarkHelper<AccountId, TestSignature> for TestModels {
	fn served_model() -> ModelId {
		serve(MODEL, OWNER, vec![0]);
		MODEL
	}
	fn sign(payload: &[u8]) -> (AccountId, TestSignature) {
		(USER, TestSignature(USER, payload.to_vec()))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for TestModels {
	fn served_model(stakers: u32) -> ModelId {
		serve(MODEL, OWNER, vec![0]);
		for i in 0..stakers {
			add_stake(MODEL, 1_000 + u64::from(i), OPEN);
		}
		MODEL
	}
	fn contributions(_model: ModelId, n: u32) -> Vec<ContributionId> {
		(0..u64::from(n)).inspect(|i| accept(*i, 0, 2_000 + i)).collect()
	}
	fn pending_request(model: ModelId) -> openledger_primitives::RequestId {
		let request = pallet_fee_split::InferenceRequest {
			model,
			prompt_hash: Default::default(),
			max_output_tokens: 100_000,
			max_fee: 100 * OPEN,
			nonce: 0,
			expires_at: System::block_number() + 10,
		};
		frame_support::assert_ok!(FeeSplit::request_inference(
			RuntimeOrigin::signed(USER),
			request.clone()
		));
		FeeSplit::request_id(&USER, &request)
	}
}

/// Users, owner, workers and the treasury funded; MODEL (Datanet 0) and OTHER_MODEL (Datanet 1)
/// served; contributions 10 and 11 (A and B, Datanet 0) and 20 (A, Datanet 1) accepted.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [USER, OWNER, WORKER, OTHER_WORKER, TREASURY]
			.into_iter()
			.map(|who| (who, INITIAL_BALANCE))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	MODELS.with(|m| m.borrow_mut().clear());
	CONTRIBUTIONS.with(|c| c.borrow_mut().clear());
	serve(MODEL, OWNER, vec![0]);
	serve(OTHER_MODEL, OWNER, vec![1]);
	accept(10, 0, CONTRIBUTOR_A);
	accept(11, 0, CONTRIBUTOR_B);
	accept(20, 1, CONTRIBUTOR_A);
	ext
}
