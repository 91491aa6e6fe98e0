//! The node's JSON-RPC extensions beyond the standard ones `sc-service` installs
//! (system, chain, state, author, offchain): account nonces, fee queries, the Datanets content
//! store, inference quotes and attribution records, ModelFactory jobs.

use std::sync::Arc;

use jsonrpsee::RpcModule;
use openledger_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Nonce, Runtime};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC extensions need of the node.
pub struct FullDeps<C, P, S> {
	pub client: Arc<C>,
	pub pool: Arc<P>,
	/// The offchain database, home of the Datanets content store (absent on light setups).
	pub offchain_storage: Option<S>,
	/// The engine and paid inference, if this node serves them.
	pub inference: crate::serving::InferenceSide,
}

/// Builds the RPC extensions.
pub fn create_full<C, P, S>(
	deps: FullDeps<C, P, S>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ BlockBuilder<Block>
		+ pallet_fee_split::runtime_api::FeeSplitApi<Block, AccountId, Balance, BlockNumber>
		+ pallet_attribution::runtime_api::AttributionApi<
			Block,
			AccountId,
			Balance,
			pallet_attribution::RecordOf<Runtime>,
			pallet_attribution::WorkerOf<Runtime>,
		> + pallet_model_registry::runtime_api::ModelRegistryApi<
			Block,
			pallet_model_registry::ModelOf<Runtime>,
			pallet_model_registry::VersionOf<Runtime>,
			AccountId,
			pallet_model_registry::StakerInfoOf<Runtime>,
		> + pallet_datanets::runtime_api::DatanetsApi<
			Block,
			AccountId,
			pallet_datanets::DatanetOf<Runtime>,
			pallet_datanets::ContributionOf<Runtime>,
		>,
	P: TransactionPool + 'static,
	S: sp_core::offchain::OffchainStorage + 'static,
{
	use crate::{
		content_store::{ContentStore, ContentStoreApiServer},
		factory::{
			rpc::{ModelFactory, ModelFactoryApiServer},
			training_data::{ChainTrainingSource, TrainingSource},
		},
		paid::{
			payments_rpc::{InferencePayments, InferencePaymentsApiServer},
			rpc::PaidInferenceApiServer,
		},
		serving::rpc::{Inference, InferenceApiServer},
	};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, offchain_storage, inference } = deps;
	let crate::serving::InferenceSide { service: inference, paid } = inference;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(InferencePayments::new(client.clone()).into_rpc())?;
	if let Some(paid) = paid {
		module.merge(paid.into_rpc())?;
	}
	let training_source = offchain_storage.clone().map(|storage| {
		Arc::new(ChainTrainingSource::new(client, storage)) as Arc<dyn TrainingSource>
	});
	module.merge(ModelFactory::new(inference.clone(), training_source).into_rpc())?;
	module.merge(Inference::new(inference).into_rpc())?;
	if let Some(storage) = offchain_storage {
		let max_size = openledger_runtime::configs::MAX_CONTENT_SIZE;
		module.merge(ContentStore::new(storage, max_size).into_rpc())?;
	}

	Ok(module)
}
