//! The inference side of the node: the OpenLoRA engine started from the command line
//! ([`args`]), its JSON-RPC ([`rpc`]) and OpenAI-compatible HTTP API ([`openai`]) on one bounded
//! HTTP server ([`http`]), and the one error type they all refuse with ([`error`]).
//!
//! [`start`] wires it all — the engine, paid inference with its settlement store, admission,
//! attribution queue and feed, the dev chain's demo, the worker key — and returns what the RPC
//! needs; `service::new_full` calls nothing else of it.

pub mod args;
pub mod error;
pub mod http;
pub mod openai;
pub mod rpc;

use crate::{
	paid::{
		admission::Admission,
		attribution_queue::AttributionQueue,
		feed::Feed,
		rpc::{PaidAnswers, PaidInference},
		store::SettlementStore,
	},
	service::FullClient,
};
use openledger_inference::serving::service::InferenceService;
use sc_client_api::Backend;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager};
use sp_keystore::KeystorePtr;
use std::sync::Arc;

/// What the RPC needs of the inference side.
#[derive(Clone)]
pub struct InferenceSide {
	/// The engine, if this node serves one.
	pub service: Option<InferenceService>,
	/// Paid answers and their settlements (with `service`).
	pub paid: Option<PaidInference<FullClient>>,
}

/// Starts the inference side of a full node (see the module's docs).
pub fn start(
	args: &args::InferenceArgs,
	config: &Configuration,
	client: Arc<FullClient>,
	backend: &Arc<sc_service::TFullBackend<openledger_runtime::opaque::Block>>,
	keystore: KeystorePtr,
	task_manager: &TaskManager,
) -> Result<InferenceSide, ServiceError> {
	let spawn = task_manager.spawn_handle();
	if let Some(mut storage) = backend.offchain_storage() {
		// The transaction pool starts empty: what the off-chain worker sent before this start is
		// waiting nowhere, so its marks must not hold the settlements back for `ResubmitAfter`
		// blocks (the chain refuses a second settlement of one that did land).
		sp_core::offchain::OffchainStorage::remove(
			&mut storage,
			sp_offchain::STORAGE_PREFIX,
			pallet_attribution_worker::SENT_MARKS_KEY,
		);
	}
	let service = args.start();
	// The development chain's demo: its contributions' content, and its model's adapter.
	let demo = config.chain_spec.id() == crate::demo::DEV_CHAIN_ID;
	if demo {
		if let Some(mut storage) = backend.offchain_storage() {
			crate::demo::seed_content(&mut storage);
		}
	}
	// On development chains the worker key is the dev account's, like its session keys.
	if let Some(seed) = &config.dev_key_seed {
		sp_keystore::Keystore::sr25519_generate_new(
			&*keystore,
			pallet_attribution_worker::KEY_TYPE,
			Some(seed),
		)
		.map_err(|e| ServiceError::Other(format!("inserting the dev worker key: {e}")))?;
	}
	let paid = match &service {
		Some(service) => {
			if demo {
				match crate::demo::install_adapter(service.adapters_dir()) {
					Ok(true) => {
						log::info!(target: "openlora", "installed the demo model's adapter")
					}
					Ok(false) => {}
					Err(e) => log::warn!(target: "openlora", "installing the demo adapter: {e}"),
				}
			}
			let store = SettlementStore::open(config.data_path.join("settlements"))
				.map(Arc::new)
				.map_err(|e| ServiceError::Other(format!("the settlement store: {e}")))?;
			let admission = Arc::new(Admission::open(store.clone()));
			let attribution = AttributionQueue::start(service.clone(), store.clone(), |task| {
				spawn.spawn("attribution", Some("inference"), task)
			});
			if let Some(storage) = backend.offchain_storage() {
				let feed = Feed {
					client: client.clone(),
					store: store.clone(),
					admission: admission.clone(),
					keystore: keystore.clone(),
				};
				spawn.spawn("settlement-feed", Some("inference"), feed.serve(storage));
			}
			Some(PaidInference::new(
				client,
				Some(service.clone()),
				store,
				admission,
				attribution,
				keystore,
			))
		}
		None => {
			// No feed this run: a URL a previous run (or anyone) left must not be fetched.
			if let Some(mut storage) = backend.offchain_storage() {
				sp_core::offchain::OffchainStorage::remove(
					&mut storage,
					sp_offchain::STORAGE_PREFIX,
					openledger_primitives::SETTLEMENT_ENDPOINT_KEY,
				);
			}
			None
		}
	};
	if let Some(addr) = args.openai_addr() {
		let paid = paid.clone().map(|p| Arc::new(p) as Arc<dyn PaidAnswers>);
		spawn.spawn("openai-api", Some("inference"), openai::serve(addr, service.clone(), paid));
	}
	Ok(InferenceSide { service, paid })
}

#[cfg(test)]
mod parsing_tests;
