//! Configuration of the OpenLedger pallets: Datanets, the model registry, gOPEN governance, and
//! paid, attributed inference (fee split and attribution).

use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstBool, ConstU128, ConstU32, Contains},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::{traits::Verify, Perbill};

use super::{BlockHashCount, TreasuryAccount};
use crate::{
	AccountId, Balances, Datanets, FeeSplit, Governance, ModelRegistry, Nonce, Runtime,
	RuntimeCall, RuntimeFreezeReason, RuntimeHoldReason, Signature, SignedPayload, System,
	Timestamp, TxExtension, UncheckedExtrinsic, DAYS, HOURS, MILLI_OPEN, OPEN,
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

/// The root calls a governance vote may dispatch (the testnet has no sudo): slashing a worker,
/// retiring a model by force, a treasury spend and authorizing a runtime upgrade (whose code
/// anyone then applies with `system.applyAuthorizedUpgrade`). A remark too, which does nothing
/// and prices `close` in the benchmarks.
pub struct GovernanceCalls;
impl Contains<RuntimeCall> for GovernanceCalls {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(
			call,
			RuntimeCall::Attribution(pallet_attribution::Call::slash_worker { .. })
				| RuntimeCall::ModelRegistry(pallet_model_registry::Call::retire { .. })
				| RuntimeCall::Treasury(pallet_treasury::Call::spend_local { .. })
				| RuntimeCall::System(
					frame_system::Call::authorize_upgrade { .. }
						| frame_system::Call::authorize_upgrade_without_checks { .. }
						| frame_system::Call::remark { .. }
				)
		)
	}
}

parameter_types! {
	/// The staking pot of the model registry: model stakers' rewards until they claim them.
	pub const ModelStakingPalletId: frame_support::PalletId =
		frame_support::PalletId(*b"ol/mstak");
	/// The most a call passed by governance may weigh: a quarter of a block.
	pub GovernanceMaxCallWeight: Weight =
		Perbill::from_percent(25) * super::RuntimeBlockWeights::get().max_block;
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
	type RuntimeCall = RuntimeCall;
	type CallFilter = GovernanceCalls;
	type MaxCallLen = ConstU32<1024>;
	type MaxCallWeight = GovernanceMaxCallWeight;
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
	type PalletId = ModelStakingPalletId;
	// The contributions one version trains on, stored so that a settlement can check each
	// influence in one read; each pays its storage.
	type MaxTrainingSet = ConstU32<1_024>;
	type TrainingSetDepositPerItem = ConstU128<MILLI_OPEN>;
	type MinModelStake = ConstU128<OPEN>;
	type ModelUnbondingPeriod = ConstU32<{ 7 * DAYS }>;
	type MaxUnbondingChunks = ConstU32<16>;
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

impl pallet_attribution_worker::Config for Runtime {
	type WorkerKey = pallet_attribution_worker::crypto::WorkerKey;
	type MaxSettlementsPerRun = ConstU32<32>;
	// Two minutes: a settlement not in a block by then was dropped from the pool.
	type ResubmitAfter = ConstU32<20>;
}

impl frame_system::offchain::SigningTypes for Runtime {
	type Public = <Signature as Verify>::Signer;
	type Signature = Signature;
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> frame_system::offchain::CreateSignedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	/// A transaction signed in the off-chain worker: mortal for a short while, no tip.
	fn create_signed_transaction<
		C: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>,
	>(
		call: RuntimeCall,
		public: <Signature as Verify>::Signer,
		account: AccountId,
		nonce: Nonce,
	) -> Option<UncheckedExtrinsic> {
		use codec::Encode;
		use sp_runtime::{generic::Era, traits::StaticLookup, SaturatedConversion};
		let period = BlockHashCount::get().checked_next_power_of_two().map_or(2, |p| p / 2);
		let current = System::block_number().saturated_into::<u64>().saturating_sub(1);
		let extension: TxExtension = (
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::mortal(u64::from(period), current)),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			pallet_revive::evm::tx_extension::SetOrigin::<Runtime>::default(),
			frame_system::WeightReclaim::<Runtime>::new(),
		);
		let payload = SignedPayload::new(call, extension).ok()?;
		let signature = payload.using_encoded(|bytes| C::sign(bytes, public))?;
		let (call, extension, _) = payload.deconstruct();
		let address = <Runtime as frame_system::Config>::Lookup::unlookup(account);
		Some(
			sp_runtime::generic::UncheckedExtrinsic::new_signed(
				call, address, signature, extension,
			)
			.into(),
		)
	}
}

impl pallet_attribution::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Escrow = FeeSplit;
	type Models = ModelRegistry;
	type Contributions = Datanets;
	type OnSlash = ResolveTo<TreasuryAccount, Balances>;
	// Root: a governance vote (`governance.proposeCall`).
	type SlashOrigin = EnsureRoot<AccountId>;
	type Signature = Signature;
	// A user has a day to dispute a settlement, a challenged worker six hours to answer; a
	// leaving worker's stake stays slashable for a week, well past both.
	type DisputeWindow = ConstU32<DAYS>;
	type ResponsePeriod = ConstU32<{ 6 * HOURS }>;
	type DisputePenalty = ConstU128<{ 100 * OPEN }>;
	type ChallengeBond = ConstU128<{ 10 * OPEN }>;
	// An answer of a few thousand tokens, and its prompt.
	type MaxRevealLen = ConstU32<{ 64 * 1024 }>;
	type MaxApprovedWorkers = ConstU32<256>;
	type MinWorkerStake = ConstU128<{ 1_000 * OPEN }>;
	type WorkerUnbondingPeriod = ConstU32<{ 7 * DAYS }>;
	type MaxModelsPerWorker = ConstU32<64>;
	// DataInf's top contributions behind one answer.
	type MaxContributionsPerOutput = ConstU32<64>;
	type MaxSettlementsPerBatch = ConstU32<32>;
	type WeightInfo = pallet_attribution::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::benchmark_helpers::InferenceBenchmarkHelper;
}
