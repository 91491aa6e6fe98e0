//! The runtime APIs the node and clients call.

use alloc::{vec, vec::Vec};
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use super::opaque::SessionKeys;

use super::{
	AccountId, Attribution, Aura, Balance, Block, BlockNumber, Datanets, Executive, FeeSplit,
	Grandpa, InherentDataExt, ModelRegistry, Nonce, Runtime, RuntimeCall, RuntimeGenesisConfig,
	System, TransactionPayment, VERSION,
};

// The runtime APIs, and pallet-revive's `ReviveApi` (what the Ethereum JSON-RPC server calls:
// balances, nonces, dry runs, gas estimates, Ethereum blocks and receipts) with them.
pallet_revive::impl_runtime_apis_plus_revive_traits!(
	Runtime,
	Revive,
	Executive,
	super::evm::EthExtraImpl,

	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			// The keys come with a proof that `owner` holds them (signatures over `owner`).
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			// Equivocation reports need a session/historical pallet to prove key ownership; this
			// chain's authority set is fixed by governance, so none are accepted.
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_model_registry::runtime_api::ModelRegistryApi<
		Block,
		pallet_model_registry::ModelOf<Runtime>,
		pallet_model_registry::VersionOf<Runtime>,
	AccountId,
	pallet_model_registry::StakerInfoOf<Runtime>,
	> for Runtime {
		fn model(id: pallet_model_registry::ModelId) -> Option<pallet_model_registry::ModelOf<Runtime>> {
			pallet_model_registry::Models::<Runtime>::get(id)
		}

		fn data_condition_met(id: pallet_model_registry::ModelId) -> Option<bool> {
			pallet_model_registry::Models::<Runtime>::get(id)
				.map(|info| ModelRegistry::data_condition_met(&info))
		}

		fn version(
			model: pallet_model_registry::ModelId,
			version: pallet_model_registry::VersionId,
		) -> Option<pallet_model_registry::VersionOf<Runtime>> {
			pallet_model_registry::Versions::<Runtime>::get(model, version)
		}

		fn versions(
			model: pallet_model_registry::ModelId,
			from: pallet_model_registry::VersionId,
			limit: u32,
		) -> Vec<(pallet_model_registry::VersionId, pallet_model_registry::VersionOf<Runtime>)> {
			ModelRegistry::versions_page(model, from, limit)
		}

		fn staker(
			model: pallet_model_registry::ModelId,
			who: AccountId,
		) -> Option<pallet_model_registry::StakerInfoOf<Runtime>> {
			ModelRegistry::staker(model, &who)
		}
	}

	impl pallet_datanets::runtime_api::DatanetsApi<
		Block,
		AccountId,
		pallet_datanets::DatanetOf<Runtime>,
		pallet_datanets::ContributionOf<Runtime>,
	> for Runtime {
		fn datanet(id: pallet_datanets::DatanetId) -> Option<pallet_datanets::DatanetOf<Runtime>> {
			Datanets::datanet(id)
		}

		fn credibility(id: pallet_datanets::DatanetId) -> Option<sp_runtime::Perbill> {
			Datanets::credibility(id)
		}

		fn contribution(
			id: pallet_datanets::ContributionId,
		) -> Option<pallet_datanets::ContributionOf<Runtime>> {
			pallet_datanets::Contributions::<Runtime>::get(id)
		}

		fn datanet_contributions(
			datanet: pallet_datanets::DatanetId,
			from: pallet_datanets::ContributionId,
			limit: u32,
		) -> Vec<(pallet_datanets::ContributionId, pallet_datanets::ContributionOf<Runtime>)> {
			Datanets::datanet_contributions(datanet, from, limit)
		}

		fn contributor_contributions(
			who: AccountId,
			from: pallet_datanets::ContributionId,
			limit: u32,
		) -> Vec<(pallet_datanets::ContributionId, pallet_datanets::ContributionOf<Runtime>)> {
			Datanets::contributor_contributions(&who, from, limit)
		}
	}

	impl pallet_fee_split::runtime_api::FeeSplitApi<Block, AccountId, Balance, BlockNumber>
		for Runtime
	{
		fn quote(
			model: pallet_fee_split::ModelId,
			tokens_in: u32,
			tokens_out: u32,
		) -> Option<pallet_fee_split::FeeQuote<Balance>> {
			FeeSplit::quote(model, tokens_in, tokens_out)
		}

		fn request(
			id: pallet_fee_split::RequestId,
		) -> Option<pallet_fee_split::RequestRecord<AccountId, Balance, BlockNumber>> {
			pallet_fee_split::Requests::<Runtime>::get(id)
		}

		fn request_id(
			user: AccountId,
			request: pallet_fee_split::InferenceRequest<AccountId, Balance, BlockNumber>,
		) -> pallet_fee_split::RequestId {
			FeeSplit::request_id(&user, &request)
		}

		fn signing_digest(
			request: pallet_fee_split::InferenceRequest<AccountId, Balance, BlockNumber>,
		) -> pallet_fee_split::RequestId {
			FeeSplit::signing_digest(&request)
		}

		fn check_signed_request(
			request: pallet_fee_split::InferenceRequest<AccountId, Balance, BlockNumber>,
			signer: AccountId,
			signature: Vec<u8>,
			also_held: Balance,
		) -> Result<pallet_fee_split::RequestId, sp_runtime::DispatchError> {
			let signature = <super::Signature as codec::Decode>::decode(&mut &signature[..])
				.map_err(|_| pallet_fee_split::Error::<Runtime>::BadSignature)?;
			FeeSplit::check_signed_request(&request, &signer, &signature, also_held)
		}
	}

	impl pallet_attribution::runtime_api::AttributionApi<
		Block,
		AccountId,
		Balance,
		pallet_attribution::RecordOf<Runtime>,
		pallet_attribution::WorkerOf<Runtime>,
	> for Runtime {
		fn record(
			request: pallet_attribution::RequestId,
		) -> Option<pallet_attribution::RecordOf<Runtime>> {
			pallet_attribution::Records::<Runtime>::get(request)
		}

		fn model_record_count(model: pallet_attribution::ModelId) -> u64 {
			pallet_attribution::ModelRecordCount::<Runtime>::get(model)
		}

		fn model_records(
			model: pallet_attribution::ModelId,
			from: u64,
			limit: u32,
		) -> Vec<(pallet_attribution::RequestId, pallet_attribution::RecordOf<Runtime>)> {
			Attribution::model_records(model, from, limit)
		}

		fn contributor_earnings(who: AccountId) -> pallet_attribution::Earnings<Balance> {
			pallet_attribution::ContributorEarnings::<Runtime>::get(who)
		}

		fn contributor_records(
			who: AccountId,
			from: u64,
			limit: u32,
		) -> Vec<(pallet_attribution::RequestId, pallet_attribution::RecordOf<Runtime>)> {
			Attribution::contributor_records(&who, from, limit)
		}

		fn contribution_earnings(
			contribution: pallet_attribution::ContributionId,
		) -> pallet_attribution::Earnings<Balance> {
			pallet_attribution::ContributionEarnings::<Runtime>::get(contribution)
		}

		fn worker(who: AccountId) -> Option<pallet_attribution::WorkerOf<Runtime>> {
			pallet_attribution::Workers::<Runtime>::get(who)
		}

		fn may_serve(model: pallet_attribution::ModelId, worker: AccountId) -> bool {
			use openledger_primitives::ModelInspect;
			let (Some(served), Some(info)) =
				(ModelRegistry::served(model), pallet_attribution::Workers::<Runtime>::get(&worker))
			else {
				return false;
			};
			pallet_attribution::Pallet::<Runtime>::may_serve(model, &served.owner, &worker, info.stake)
		}

		fn receipt_digest(receipt: openledger_primitives::Receipt) -> sp_core::H256 {
			sp_core::H256(pallet_attribution::Pallet::<Runtime>::receipt_digest_of(&receipt))
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::{baseline, BenchmarkList};
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use baseline::Pallet as BaselineBench;
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline, BenchmarkBatch};
			use sp_storage::TrackedStorageKey;
			use frame_system_benchmarking::Pallet as SystemBench;
			use baseline::Pallet as BaselineBench;
			use super::*;

			impl frame_system_benchmarking::Config for Runtime {}
			impl baseline::Config for Runtime {}

			use frame_support::traits::WhitelistedStorageKeys;
			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			let weight = Executive::try_runtime_upgrade(checks)
				.expect("try-runtime is an offline tool; a failed upgrade check must stop it");
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("try-runtime is an offline tool; a failed block must stop it")
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
);
