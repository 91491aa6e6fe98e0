//! The inference options of the command line, and the OpenLoRA engine started from them; served
//! over JSON-RPC (`inference_*`, see [`crate::serving::rpc`]) and an OpenAI-compatible HTTP API
//! (see [`crate::serving::openai`]).

use openledger_inference::{
	model::default_model,
	model::llama::Precision,
	serving::engine::EngineConfig,
	serving::service::{InferenceService, ServiceConfig},
};
use std::{net::SocketAddr, path::PathBuf};

/// Inference options of `openledger-node`.
#[derive(Debug, Clone, clap::Args)]
pub struct InferenceArgs {
	/// Serve no inference (no model is loaded).
	#[arg(long = "no-inference")]
	pub disabled: bool,

	/// The base model: a `.gguf` file or a Hugging Face checkpoint directory (config.json,
	/// *.safetensors, tokenizer.json). Default: SmolLM2-135M-Instruct, fetched by
	/// `scripts/fetch-base-model.sh` into `$OPENLEDGER_MODELS`.
	#[arg(long = "inference-model", value_name = "PATH")]
	pub model: Option<PathBuf>,

	/// How the base weights are held: `native` (as stored), `f32`, or `q8` (8-bit).
	#[arg(long = "inference-precision", default_value = "q8", value_name = "native|f32|q8")]
	pub precision: String,

	/// The adapter directory: one PEFT adapter (`adapter_config.json` +
	/// `adapter_model.safetensors`) per sub-directory, served by its directory name.
	/// Default: `$OPENLEDGER_MODELS/adapters`.
	#[arg(long = "inference-adapters", value_name = "DIR")]
	pub adapters: Option<PathBuf>,

	/// Engines behind the scheduling rule (one per device, or CPU shards).
	#[arg(long = "inference-engines", default_value_t = 1)]
	pub engines: usize,

	/// Most requests decoded together per engine.
	#[arg(long = "inference-max-batch", default_value_t = 32)]
	pub max_batch: usize,

	/// KV cache per engine, in MiB.
	#[arg(long = "inference-kv-cache-mib", default_value_t = 512)]
	pub kv_cache_mib: usize,

	/// Adapter cache per engine, in MiB.
	#[arg(long = "inference-adapter-cache-mib", default_value_t = 256)]
	pub adapter_cache_mib: usize,

	/// Port of the OpenAI-compatible HTTP API (`/v1/models`, `/v1/completions`,
	/// `/v1/chat/completions`); 0 turns it off.
	#[arg(long = "openai-port", default_value_t = 8000)]
	pub openai_port: u16,

	/// Listen for the OpenAI-compatible API on every interface, not only localhost.
	#[arg(long = "openai-external")]
	pub openai_external: bool,
}

impl InferenceArgs {
	/// Where the OpenAI-compatible API listens, if it is on.
	pub fn openai_addr(&self) -> Option<SocketAddr> {
		if self.openai_port == 0 {
			return None;
		}
		let ip = if self.openai_external { [0, 0, 0, 0] } else { [127, 0, 0, 1] };
		Some(SocketAddr::from((ip, self.openai_port)))
	}

	/// Starts the engine. A node without its model still runs: inference is then reported as
	/// not enabled, with the reason in the log.
	pub fn start(&self) -> Option<InferenceService> {
		if self.disabled {
			log::info!(target: "openlora", "inference is off (--no-inference)");
			return None;
		}
		let model = self.model.clone().unwrap_or_else(default_model::default_model_path);
		if !model.exists() {
			log::warn!(
				target: "openlora",
				"no base model at {}: inference is off (run scripts/fetch-base-model.sh or pass --inference-model)",
				model.display()
			);
			return None;
		}
		let precision: Precision = match self.precision.parse() {
			Ok(p) => p,
			Err(e) => {
				log::error!(target: "openlora", "{e}: inference is off");
				return None;
			}
		};
		let adapters =
			self.adapters.clone().unwrap_or_else(|| default_model::models_dir().join("adapters"));
		let config = ServiceConfig {
			model: model.clone(),
			precision,
			adapters: adapters.clone(),
			engines: self.engines,
			engine: EngineConfig {
				max_batch_size: self.max_batch,
				kv_cache_bytes: self.kv_cache_mib << 20,
				adapter_cache_bytes: self.adapter_cache_mib << 20,
				..Default::default()
			},
		};
		match InferenceService::start(config) {
			Ok(service) => {
				let m = service.model();
				log::info!(
					target: "openlora",
					"🧠 serving {} ({} layers, context {}, {} weights, {:.0} MiB) with adapters from {}",
					m.name,
					m.layers,
					m.context,
					m.precision,
					m.weight_bytes as f64 / (1 << 20) as f64,
					adapters.display()
				);
				Some(service)
			}
			Err(e) => {
				log::error!(target: "openlora", "loading {}: {e}: inference is off", model.display());
				None
			}
		}
	}
}
