//! A test runtime: System, Balances, the real fee pallet and attribution, with in-memory
//! stand-ins for the model registry (versions, their training sets and adapter hashes, and its
//! staking reward pool), Datanets and governance's parameters (the real pallets are wired
//! together in the runtime's tests).

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
use sp_core::H256;
use sp_runtime::{
	testing::TestSignature,
	traits::{BlakeTwo256, Hash},
	BuildStorage, DispatchError, Perbill,
};
use std::collections::{BTreeMap, BTreeSet};

pub type AccountId = u64;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

pub const OPEN: Balance = 1_000_000_000_000_000_000;
/// Existential deposit of the mock: 0.001 OPEN, as on the chain.
pub const ED: Balance = OPEN / 1_000;
pub const USER: AccountId = 1;
pub const OWNER: AccountId = 2;
/// Another user, who exists.
pub const OTHER_USER: AccountId = 3;
pub const CONTRIBUTOR_A: AccountId = 5;
pub const CONTRIBUTOR_B: AccountId = 6;
pub const WORKER: AccountId = 7;
pub const OTHER_WORKER: AccountId = 8;
/// A funded account the tests make a worker that no model's owner approved.
pub const OUTSIDER: AccountId = 9;
/// The registry's staking pot: holds the stakers' rewards until they claim them.
pub const POT: AccountId = 50;
pub const TREASURY: AccountId = 99;
pub const INITIAL_BALANCE: Balance = 1_000 * OPEN;
pub const MIN_WORKER_STAKE: Balance = 100 * OPEN;
pub const DISPUTE_WINDOW: u64 = 20;
pub const RESPONSE_PERIOD: u64 = 5;
/// Longer than the dispute window and the response period together.
pub const UNBONDING: u64 = 30;
pub const DISPUTE_PENALTY: Balance = 10 * OPEN;
pub const CHALLENGE_BOND: Balance = OPEN;
pub const MAX_REVEAL_LEN: u32 = 1_024;
pub const MAX_APPROVED_WORKERS: u32 = 4;
/// The worked example's model: version 0 trained on contributions 10 and 11.
pub const MODEL: ModelId = 0;
/// Another deployed model: version 0 trained on contribution 20.
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
	type ExistentialDeposit = ConstU128<ED>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	/// Deployed models.
	static MODELS: RefCell<BTreeMap<ModelId, ServedModel<AccountId, Balance>>> = const { RefCell::new(BTreeMap::new()) };
	/// Registered versions' adapter hashes: (model, version) → hash.
	static ADAPTERS: RefCell<BTreeMap<(ModelId, u32), H256>> = const { RefCell::new(BTreeMap::new()) };
	/// Registered versions' training sets: (model, version, contribution).
	static TRAINED: RefCell<BTreeSet<(ModelId, u32, ContributionId)>> = const { RefCell::new(BTreeSet::new()) };
	/// Models somebody stakes on.
	static STAKED: RefCell<BTreeSet<ModelId>> = const { RefCell::new(BTreeSet::new()) };
	/// What the reward pool was credited for each model's stakers, in all.
	static REWARDED: RefCell<BTreeMap<ModelId, Balance>> = const { RefCell::new(BTreeMap::new()) };
	/// Accepted contributions: id → (Datanet, contributor).
	static CONTRIBUTIONS: RefCell<BTreeMap<ContributionId, (DatanetId, AccountId)>> = const { RefCell::new(BTreeMap::new()) };
	/// The benchmarks' nonces, so that each of their requests has its own id.
	static NONCE: RefCell<u64> = const { RefCell::new(0) };
}

/// The adapter hash the mock registers for a version of a model.
pub fn adapter(model: ModelId, version: u32) -> H256 {
	BlakeTwo256::hash_of(&(b"adapter", model, version))
}

/// Deploy `model` (version 0, trained on nothing yet) at the worked example's rates.
pub fn serve(model: ModelId, owner: AccountId) {
	MODELS.with(|m| {
		m.borrow_mut().insert(
			model,
			ServedModel { owner, version: 0, rate_in: OPEN / 5, rate_out: 2 * OPEN / 5 },
		)
	});
	ADAPTERS.with(|a| a.borrow_mut().insert((model, 0), adapter(model, 0)));
}

/// Deploy another version of a served model (its adapter registered).
pub fn deploy_version(model: ModelId, version: u32) {
	MODELS.with(|m| {
		if let Some(served) = m.borrow_mut().get_mut(&model) {
			served.version = version;
		}
	});
	ADAPTERS.with(|a| a.borrow_mut().insert((model, version), adapter(model, version)));
}

pub fn unserve(model: ModelId) {
	MODELS.with(|m| m.borrow_mut().remove(&model));
}

/// Register `contributions` as the training set (or part of it) of a version of a model.
pub fn train(model: ModelId, version: u32, contributions: &[ContributionId]) {
	TRAINED.with(|t| t.borrow_mut().extend(contributions.iter().map(|c| (model, version, *c))));
}

/// Someone stakes on `model` (or nobody does any more).
pub fn set_staked(model: ModelId, staked: bool) {
	STAKED.with(
		|s| {
			if staked {
				s.borrow_mut().insert(model)
			} else {
				s.borrow_mut().remove(&model)
			}
		},
	);
}

/// What the reward pool was credited for `model`'s stakers, in all.
pub fn rewarded(model: ModelId) -> Balance {
	REWARDED.with(|r| r.borrow().get(&model).copied().unwrap_or_default())
}

/// An accepted contribution.
pub fn accept(contribution: ContributionId, datanet: DatanetId, contributor: AccountId) {
	CONTRIBUTIONS.with(|c| c.borrow_mut().insert(contribution, (datanet, contributor)));
}

/// A contribution withdrawn (or slashed): no longer accepted.
pub fn withdraw(contribution: ContributionId) {
	CONTRIBUTIONS.with(|c| c.borrow_mut().remove(&contribution));
}

pub struct TestModels;
impl ModelInspect<AccountId, Balance> for TestModels {
	fn served(model: ModelId) -> Option<ServedModel<AccountId, Balance>> {
		MODELS.with(|m| m.borrow().get(&model).cloned())
	}
	fn adapter_hash(model: ModelId, version: u32) -> Option<H256> {
		ADAPTERS.with(|a| a.borrow().get(&(model, version)).copied())
	}
	fn trained_on(model: ModelId, version: u32, contribution: ContributionId) -> bool {
		TRAINED.with(|t| t.borrow().contains(&(model, version, contribution)))
	}
	fn has_stakers(model: ModelId) -> bool {
		STAKED.with(|s| s.borrow().contains(&model))
	}
	fn staking_pot() -> AccountId {
		POT
	}
	fn reward_stakers(model: ModelId, amount: Balance) -> Result<(), DispatchError> {
		if !Self::has_stakers(model) {
			return Err(DispatchError::Other("nobody stakes on the model"));
		}
		REWARDED.with(|r| *r.borrow_mut().entry(model).or_default() += amount);
		Ok(())
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
	type Signature = TestSignature;
	type DisputeWindow = ConstU64<DISPUTE_WINDOW>;
	type ResponsePeriod = ConstU64<RESPONSE_PERIOD>;
	type DisputePenalty = ConstU128<DISPUTE_PENALTY>;
	type ChallengeBond = ConstU128<CHALLENGE_BOND>;
	type MaxRevealLen = ConstU32<MAX_REVEAL_LEN>;
	type MaxApprovedWorkers = ConstU32<MAX_APPROVED_WORKERS>;
	type MinWorkerStake = ConstU128<MIN_WORKER_STAKE>;
	type WorkerUnbondingPeriod = ConstU64<UNBONDING>;
	type MaxModelsPerWorker = ConstU32<2>;
	type MaxContributionsPerOutput = ConstU32<4>;
	type MaxSettlementsPerBatch = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestModels;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_fee_split::BenchmarkHelper<AccountId, TestSignature> for TestModels {
	fn served_model() -> ModelId {
		serve(MODEL, OWNER);
		MODEL
	}
	fn sign(payload: &[u8]) -> (AccountId, TestSignature) {
		(USER, TestSignature(USER, payload.to_vec()))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, TestSignature> for TestModels {
	fn served_model(owner: &AccountId) -> ModelId {
		// A new model each time, with somebody staking on it.
		let model = MODELS.with(|m| m.borrow().keys().last().map_or(0, |last| last + 1));
		serve(model, *owner);
		set_staked(model, true);
		model
	}
	fn contributions(model: ModelId, n: u32) -> Vec<ContributionId> {
		use frame_support::traits::fungible::Mutate;
		let version = Self::served(model).map(|m| m.version).unwrap_or_default();
		(0..u64::from(n))
			.map(|i| {
				let (contribution, contributor) = (1_000 + i, 2_000 + i);
				let _ = Balances::set_balance(&contributor, INITIAL_BALANCE);
				accept(contribution, 0, contributor);
				train(model, version, &[contribution]);
				contribution
			})
			.collect()
	}
	fn pending_request(
		model: ModelId,
		user: &AccountId,
		worker: &AccountId,
	) -> openledger_primitives::RequestId {
		let nonce = NONCE.with(|n| {
			let mut n = n.borrow_mut();
			*n += 1;
			*n
		});
		let request = pallet_fee_split::InferenceRequest {
			model,
			prompt_hash: H256::repeat_byte(3),
			tokens_in: 1_000,
			workers: vec![*worker].try_into().expect("one worker"),
			max_output_tokens: 100_000,
			max_fee: 100 * OPEN,
			nonce,
			expires_at: System::block_number() + 10,
		};
		frame_support::assert_ok!(FeeSplit::request_inference(
			RuntimeOrigin::signed(*user),
			request.clone()
		));
		FeeSplit::request_id(user, &request)
	}
	fn sign(payload: &[u8]) -> (AccountId, TestSignature) {
		const SIGNER: AccountId = 3_000;
		(SIGNER, TestSignature(SIGNER, payload.to_vec()))
	}
}

/// Users, owner, workers and the treasury funded, the staking pot holding the existential
/// deposit; MODEL (version 0 trained on 10 and 11) and OTHER_MODEL (version 0 trained on 20)
/// served by OWNER, nobody staking on them; contributions 10 and 11 (A and B, Datanet 0) and 20
/// (A, Datanet 1) accepted, and 12 (B, Datanet 0) accepted but in no training set.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ext_with(Default::default())
}

/// [`new_test_ext`], with attribution's genesis (built once the models and contributions are).
pub fn ext_with(attribution: pallet_attribution::GenesisConfig<Test>) -> sp_io::TestExternalities {
	MODELS.with(|m| m.borrow_mut().clear());
	ADAPTERS.with(|a| a.borrow_mut().clear());
	TRAINED.with(|t| t.borrow_mut().clear());
	STAKED.with(|s| s.borrow_mut().clear());
	REWARDED.with(|r| r.borrow_mut().clear());
	CONTRIBUTIONS.with(|c| c.borrow_mut().clear());
	NONCE.with(|n| *n.borrow_mut() = 0);
	serve(MODEL, OWNER);
	serve(OTHER_MODEL, OWNER);
	accept(10, 0, CONTRIBUTOR_A);
	accept(11, 0, CONTRIBUTOR_B);
	accept(12, 0, CONTRIBUTOR_B);
	accept(20, 1, CONTRIBUTOR_A);
	train(MODEL, 0, &[10, 11]);
	train(OTHER_MODEL, 0, &[20]);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [USER, OWNER, OTHER_USER, WORKER, OTHER_WORKER, OUTSIDER, TREASURY]
			.into_iter()
			.map(|who| (who, INITIAL_BALANCE))
			.chain([(POT, ED)])
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	attribution.assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
