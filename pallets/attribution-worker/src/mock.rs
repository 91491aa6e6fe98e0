//! A test runtime: System, Balances, the real fee and attribution pallets and this worker, with
//! in-memory stand-ins for the model registry (served versions and their training sets, nobody
//! staking), Datanets and governance's parameters (as in the attribution pallet's tests). Signing is real: sr25519 worker keys in a keystore, `MultiSigner`
//! / `MultiSignature` as in the runtime, so the worker's key handling is the runtime's.

use crate::{self as pallet_attribution_worker, KEY_TYPE};
use codec::Encode;
use core::cell::{Cell, RefCell};
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU128, ConstU32, ConstU64, Get},
	weights::Weight,
};
use frame_system::{limits::BlockWeights, EnsureRoot};
use openledger_primitives::{
	ContributionId, ContributionInspect, DataThresholds, DatanetId, FeeSplit as Split, ModelId,
	ModelInspect, PlatformFee, ProtocolParameters, RequestId, ServedModel, REVEAL_PATH,
	SETTLEMENTS_PATH, SETTLEMENT_ENDPOINT_KEY,
};
use sp_core::{
	offchain::{
		testing::{PendingRequest, TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainWorkerExt, StorageKind, TransactionPoolExt,
	},
	sr25519, Pair, H256,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{
	generic::UncheckedExtrinsic,
	traits::{BlakeTwo256, Hash, IdentifyAccount, IdentityLookup, Verify},
	BuildStorage, DispatchError, MultiSignature, MultiSigner, Perbill,
};
use std::collections::{BTreeMap, BTreeSet};

pub type Signature = MultiSignature;
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
pub type Balance = u128;
pub type Nonce = u32;
type Block = frame_system::mocking::MockBlock<Test>;
/// What the worker leaves in the pool: signed by an account, with its nonce, over
/// `(call, nonce)` (see [`Test`]'s `CreateSignedTransaction`).
pub type Extrinsic =
	UncheckedExtrinsic<AccountId, RuntimeCall, Signature, frame_system::CheckNonce<Test>>;

pub const OPEN: Balance = 1_000_000_000_000_000_000;
pub const INITIAL_BALANCE: Balance = 1_000 * OPEN;
pub const MIN_WORKER_STAKE: Balance = 100 * OPEN;
/// Secret URIs of the keys: the users', and the workers' (in the keystore when asked for).
pub const USER: &str = "//User";
pub const WORKER: &str = "//Worker";
pub const OTHER_WORKER: &str = "//OtherWorker";
/// A key nobody registered and no keystore holds.
pub const OUTSIDER: &str = "//Outsider";
/// The worked example's model: version 0 trained on contributions 10–15 (Datanet 0).
pub const MODEL: ModelId = 0;
/// Another deployed model: version 0 trained on contribution 20 (Datanet 1).
pub const OTHER_MODEL: ModelId = 1;
pub const RESUBMIT_AFTER: u64 = 5;
pub const DISPUTE_WINDOW: u64 = 20;
/// Longer than [`RESUBMIT_AFTER`]: an answer that never lands is sent again in time.
pub const RESPONSE_PERIOD: u64 = 8;
/// Longer than the dispute window and the response period together.
pub const UNBONDING: u64 = 30;
pub const CHALLENGE_BOND: Balance = OPEN;
/// Longest prompt or answer revealed on-chain, in bytes.
pub const MAX_REVEAL_LEN: u32 = 64;
pub const MAX_SETTLEMENTS_PER_BATCH: u32 = 4;
pub const MAX_CONTRIBUTIONS_PER_OUTPUT: u32 = 4;
/// Where the node's settlement endpoint is said to be.
pub const ENDPOINT: &str = "http://127.0.0.1:9955";

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
	#[runtime::pallet_index(4)]
	pub type AttributionWorker = pallet_attribution_worker;
}

thread_local! {
	/// A test's limit on one normal extrinsic's weight, instead of the default.
	static MAX_EXTRINSIC: Cell<Option<Weight>> = const { Cell::new(None) };
}

/// Limit one extrinsic's weight (the worker batches within it).
pub fn set_max_extrinsic(max: Weight) {
	MAX_EXTRINSIC.with(|m| m.set(Some(max)));
}

/// The default block weights, with the test's limit on a normal extrinsic if it set one.
pub struct TestBlockWeights;
impl Get<BlockWeights> for TestBlockWeights {
	fn get() -> BlockWeights {
		let mut weights = BlockWeights::default();
		if let Some(max) = MAX_EXTRINSIC.with(|m| m.get()) {
			weights.per_class.get_mut(DispatchClass::Normal).max_extrinsic = Some(max);
		}
		weights
	}
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type Nonce = Nonce;
	type BlockWeights = TestBlockWeights;
	type AccountData = pallet_balances::AccountData<Balance>;
}

parameter_types! {
	pub TreasuryAccount: AccountId = AccountId::new([99; 32]);
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU128<{ OPEN / 1_000 }>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	/// Deployed models.
	static MODELS: RefCell<BTreeMap<ModelId, ServedModel<AccountId, Balance>>> = const { RefCell::new(BTreeMap::new()) };
	/// Registered versions' training sets: (model, version, contribution).
	static TRAINED: RefCell<BTreeSet<(ModelId, u32, ContributionId)>> = const { RefCell::new(BTreeSet::new()) };
	/// Accepted contributions: id → (Datanet, contributor).
	static CONTRIBUTIONS: RefCell<BTreeMap<ContributionId, (DatanetId, AccountId)>> = const { RefCell::new(BTreeMap::new()) };
}

/// Deploy `model` (version 0, owned by [`owner`]) at the worked example's rates, trained on
/// `contributions`.
pub fn serve(model: ModelId, contributions: &[ContributionId]) {
	MODELS.with(|m| {
		m.borrow_mut().insert(
			model,
			ServedModel { owner: owner(), version: 0, rate_in: OPEN / 5, rate_out: 2 * OPEN / 5 },
		)
	});
	TRAINED.with(|t| t.borrow_mut().extend(contributions.iter().map(|c| (model, 0, *c))));
}

/// The adapter hash the mock registers for a version of a model.
pub fn adapter(model: ModelId, version: u32) -> H256 {
	BlakeTwo256::hash_of(&(b"adapter", model, version))
}

/// An accepted contribution.
pub fn accept(contribution: ContributionId, datanet: DatanetId, contributor: AccountId) {
	CONTRIBUTIONS.with(|c| c.borrow_mut().insert(contribution, (datanet, contributor)));
}

pub struct TestModels;
impl ModelInspect<AccountId, Balance> for TestModels {
	fn served(model: ModelId) -> Option<ServedModel<AccountId, Balance>> {
		MODELS.with(|m| m.borrow().get(&model).cloned())
	}
	fn adapter_hash(model: ModelId, version: u32) -> Option<H256> {
		Self::served(model).map(|_| adapter(model, version))
	}
	fn trained_on(model: ModelId, version: u32, contribution: ContributionId) -> bool {
		TRAINED.with(|t| t.borrow().contains(&(model, version, contribution)))
	}
	// Nobody stakes: the stakers' share goes to the treasury.
	fn has_stakers(_model: ModelId) -> bool {
		false
	}
	fn staking_pot() -> AccountId {
		AccountId::new([50; 32])
	}
	fn reward_stakers(_model: ModelId, _amount: Balance) -> Result<(), DispatchError> {
		Err(DispatchError::Other("nobody stakes on the model"))
	}
}

pub struct TestContributions;
impl ContributionInspect<AccountId> for TestContributions {
	fn accepted(contribution: ContributionId) -> Option<(DatanetId, AccountId)> {
		CONTRIBUTIONS.with(|c| c.borrow().get(&contribution).cloned())
	}
}

/// The split of the OpenLedger whitepaper's worked example (§2.2.4) and a flat 0.5 OPEN platform fee.
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
	type Signature = Signature;
	type MaxRequestLifetime = ConstU64<100>;
	type MaxExpiringPerBlock = ConstU32<64>;
	type WeightInfo = ();
}

impl pallet_attribution::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Escrow = FeeSplit;
	type Models = TestModels;
	type Contributions = TestContributions;
	type OnSlash = ResolveTo<TreasuryAccount, Balances>;
	type SlashOrigin = EnsureRoot<AccountId>;
	type Signature = Signature;
	type DisputeWindow = ConstU64<DISPUTE_WINDOW>;
	type ResponsePeriod = ConstU64<RESPONSE_PERIOD>;
	type DisputePenalty = ConstU128<{ 10 * OPEN }>;
	type ChallengeBond = ConstU128<CHALLENGE_BOND>;
	type MaxRevealLen = ConstU32<MAX_REVEAL_LEN>;
	type MaxApprovedWorkers = ConstU32<4>;
	type MinWorkerStake = ConstU128<MIN_WORKER_STAKE>;
	type WorkerUnbondingPeriod = ConstU64<UNBONDING>;
	type MaxModelsPerWorker = ConstU32<2>;
	type MaxContributionsPerOutput = ConstU32<MAX_CONTRIBUTIONS_PER_OUTPUT>;
	type MaxSettlementsPerBatch = ConstU32<MAX_SETTLEMENTS_PER_BATCH>;
	type WeightInfo = ();
}

impl pallet_attribution_worker::Config for Test {
	type WorkerKey = crate::crypto::WorkerKey;
	// Above the batch limit, so that the batch limit is what binds.
	type MaxSettlementsPerRun = ConstU32<10>;
	type ResubmitAfter = ConstU64<RESUBMIT_AFTER>;
}

impl frame_system::offchain::SigningTypes for Test {
	type Public = <Signature as Verify>::Signer;
	type Signature = Signature;
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> frame_system::offchain::CreateSignedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	/// Signed with the keystore's key over `(call, nonce)`: enough for the tests to check who
	/// signed what, in which order.
	fn create_signed_transaction<
		C: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>,
	>(
		call: RuntimeCall,
		public: MultiSigner,
		account: AccountId,
		nonce: Nonce,
	) -> Option<Extrinsic> {
		let signature = (&call, nonce).using_encoded(|payload| C::sign(payload, public))?;
		Some(Extrinsic::new_signed(call, account, signature, frame_system::CheckNonce::from(nonce)))
	}
}

pub fn pair(seed: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(seed, None).expect("a valid secret URI")
}

pub fn account(seed: &str) -> AccountId {
	MultiSigner::from(pair(seed).public()).into_account()
}

pub fn owner() -> AccountId {
	AccountId::new([2; 32])
}

pub fn contributor() -> AccountId {
	AccountId::new([5; 32])
}

/// The offchain side of a test: the HTTP server the worker talks to, its random seed, and the
/// pool it submits to.
pub struct Offchain<P> {
	pub state: TestOffchainExt,
	take_pool: P,
}

impl<P: Fn() -> Vec<Vec<u8>>> Offchain<P> {
	/// Makes the worker's random seed, hence its challenges, `seed`.
	pub fn set_seed(&self, seed: [u8; 32]) {
		self.state.0.write().seed = seed;
	}

	/// The challenge a run at `now` must send, with the current seed.
	pub fn challenge(&self, now: u64) -> [u8; 32] {
		challenge_of(now, self.state.0.read().seed)
	}

	/// Answers the worker's next request, which must be a GET of the feed for the challenge of
	/// block `now` and the current seed, with `body`.
	pub fn serve(&self, now: u64, body: Vec<u8>) {
		let mut state = self.state.0.write();
		let uri = format!(
			"{ENDPOINT}{SETTLEMENTS_PATH}?challenge={}",
			hex(&challenge_of(now, state.seed))
		);
		state.expect_request(PendingRequest {
			method: "GET".into(),
			uri,
			response: Some(body),
			sent: true,
			..Default::default()
		});
	}

	/// Answers the worker's next request, which must be a GET of what the node kept of
	/// `request`, with `kept` (SCALE-encoded, as the node answers).
	pub fn serve_reveal(&self, request: RequestId, kept: Option<(Vec<u8>, Vec<u8>)>) {
		self.state.0.write().expect_request(PendingRequest {
			method: "GET".into(),
			uri: format!("{ENDPOINT}{REVEAL_PATH}?request={}", hex(request.as_bytes())),
			response: Some(kept.encode()),
			sent: true,
			..Default::default()
		});
	}

	/// What the worker submitted since the last call, oldest first.
	pub fn take_transactions(&self) -> Vec<Vec<u8>> {
		(self.take_pool)()
	}
}

/// The challenge a run at `now` must send with this seed, as the protocol defines it.
pub fn challenge_of(now: u64, seed: [u8; 32]) -> [u8; 32] {
	sp_io::hashing::blake2_256(&(b"openledger/feed-challenge", now, seed).encode())
}

/// Lowercase hex, no prefix.
pub fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The test externalities with an offchain worker's extensions (HTTP, offchain storage, a
/// transaction pool) and a keystore holding the sr25519 keys `worker_keys` under [`KEY_TYPE`].
///
/// USER, the workers and the treasury are funded; MODEL (trained on 10–15) and OTHER_MODEL
/// (trained on 20) are served by [`owner`], nobody staking on them; contributions 10–15
/// (Datanet 0) and 20 (Datanet 1) are accepted; the endpoint's URL is published. Block 1.
pub fn new_test_ext(
	worker_keys: &[&str],
) -> (sp_io::TestExternalities, Offchain<impl Fn() -> Vec<Vec<u8>>>) {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [account(USER), account(WORKER), account(OTHER_WORKER), TreasuryAccount::get()]
			.into_iter()
			.map(|who| (who, INITIAL_BALANCE))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);

	let (offchain, _) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	for key in worker_keys {
		keystore.sr25519_generate_new(KEY_TYPE, Some(*key)).unwrap();
	}
	ext.register_extension(OffchainWorkerExt::new(offchain.clone()));
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));

	MAX_EXTRINSIC.with(|m| m.set(None));
	MODELS.with(|m| m.borrow_mut().clear());
	TRAINED.with(|t| t.borrow_mut().clear());
	CONTRIBUTIONS.with(|c| c.borrow_mut().clear());
	serve(MODEL, &[10, 11, 12, 13, 14, 15]);
	serve(OTHER_MODEL, &[20]);
	for contribution in 10..16 {
		accept(contribution, 0, contributor());
	}
	accept(20, 1, contributor());
	ext.execute_with(|| {
		System::set_block_number(1);
		sp_io::offchain::local_storage_set(
			StorageKind::PERSISTENT,
			SETTLEMENT_ENDPOINT_KEY,
			ENDPOINT.as_bytes(),
		);
	});
	let take_pool = move || core::mem::take(&mut pool_state.write().transactions);
	(ext, Offchain { state: offchain, take_pool })
}
