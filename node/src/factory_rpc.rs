//! JSON-RPC of ModelFactory: `modelFactory_train` starts a fine-tuning job on the serving node
//! (the adapter lands in its adapter directory, servable and attributable as soon as the job is
//! done) and `modelFactory_job` reports its progress, its manifest, or why it failed.
//!
//! One job runs at a time: training takes the node's CPU. Errors: -32602 for a bad request
//! (unknown target module, a contribution from a Datanet the model is not approved for, a name
//! already taken), 5203 when a job is already running, 5200 when inference is off.

use crate::{
	inference_rpc::{rpc_error, BUSY, NOT_ENABLED},
	model_cmd::{examples_from, Line},
};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use openledger_inference::{
	adapter_store::check_name,
	factory::{self, Job},
	service::InferenceService,
	train::{LoraConfig, Progress, TrainConfig},
	Error,
};
use serde::Deserialize;
use serde_json::{json, Value};
use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
};

/// A training job to start.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TrainParams {
	/// The adapter's name (its directory under the node's adapter directory).
	pub name: String,
	pub contributions: Vec<Line>,
	#[serde(default)]
	pub held_out: Vec<Line>,
	/// The Datanets the model is approved to read; contributions from others are refused.
	#[serde(default)]
	pub datanets: Vec<u32>,
	#[serde(default = "default_rank")]
	pub rank: usize,
	pub alpha: Option<f32>,
	#[serde(default = "default_targets")]
	pub targets: Vec<String>,
	#[serde(default = "default_learning_rate")]
	pub learning_rate: f64,
	#[serde(default = "default_epochs")]
	pub epochs: usize,
	#[serde(default = "default_batch_size")]
	pub batch_size: usize,
	#[serde(default)]
	pub seed: u64,
	/// CountSketch size of the stored gradients per LoRA block (0 = exact).
	#[serde(default)]
	pub sketch: usize,
	/// Use prompts and completions as they are, without the chat template.
	#[serde(default)]
	pub raw: bool,
}

fn default_rank() -> usize {
	8
}
fn default_targets() -> Vec<String> {
	vec!["q_proj".into(), "v_proj".into()]
}
fn default_learning_rate() -> f64 {
	2e-3
}
fn default_epochs() -> usize {
	3
}
fn default_batch_size() -> usize {
	8
}

#[rpc(server, namespace = "modelFactory")]
pub trait ModelFactoryApi {
	/// Starts a fine-tuning job; returns its id.
	#[method(name = "train")]
	fn train(&self, params: TrainParams) -> RpcResult<u64>;

	/// A job: `{state: running|done|failed, progress, manifest?, error?}`.
	#[method(name = "job")]
	fn job(&self, id: u64) -> RpcResult<Value>;
}

#[derive(Default)]
struct JobState {
	state: &'static str,
	progress: Option<Progress>,
	result: Option<Value>,
	error: Option<String>,
}

/// The RPC handler and its jobs.
pub struct ModelFactory {
	service: Option<InferenceService>,
	jobs: Arc<Mutex<HashMap<u64, JobState>>>,
}

impl ModelFactory {
	pub fn new(service: Option<InferenceService>) -> Self {
		Self { service, jobs: Arc::new(Mutex::new(HashMap::new())) }
	}
}

fn invalid(why: impl Into<String>) -> ErrorObjectOwned {
	rpc_error(Error::Request(why.into()))
}

impl ModelFactoryApiServer for ModelFactory {
	fn train(&self, params: TrainParams) -> RpcResult<u64> {
		let service = self.service.as_ref().ok_or_else(|| {
			ErrorObject::owned(NOT_ENABLED, "inference is not enabled on this node", None::<()>)
		})?;
		check_name(&params.name).map_err(rpc_error)?;
		let out = service.adapters_dir().join(&params.name);
		if out.exists() {
			return Err(invalid(format!("an adapter named `{}` already exists", params.name)));
		}
		let loaded = service.loaded().clone();
		let (train, contributors, mut datanets) =
			examples_from(params.contributions, &loaded, &params.datanets, params.raw)
				.map_err(invalid)?;
		let (held_out, _, _) =
			examples_from(params.held_out, &loaded, &params.datanets, params.raw)
				.map_err(invalid)?;
		if datanets.is_empty() {
			datanets = params.datanets.clone();
		}
		let job = Job {
			base: loaded.source.clone(),
			train,
			held_out,
			datanets,
			contributors,
			config: TrainConfig {
				lora: LoraConfig {
					rank: params.rank,
					alpha: params.alpha.unwrap_or(2.0 * params.rank as f32),
					targets: params.targets,
				},
				learning_rate: params.learning_rate,
				epochs: params.epochs,
				batch_size: params.batch_size,
				weight_decay: 0.0,
				seed: params.seed,
				max_tokens: 512,
			},
			sketch: (params.sketch > 0).then_some(params.sketch),
			out,
		};
		let id = {
			let mut jobs = self.jobs.lock().map_err(|_| invalid("job table poisoned"))?;
			if jobs.values().any(|j| j.state == "running") {
				return Err(ErrorObject::owned(
					BUSY,
					"a training job is already running",
					None::<()>,
				));
			}
			let id = jobs.len() as u64 + 1;
			jobs.insert(id, JobState { state: "running", ..Default::default() });
			id
		};
		let jobs = self.jobs.clone();
		std::thread::Builder::new()
			.name("modelfactory".into())
			.spawn(move || {
				let progress_jobs = jobs.clone();
				let mut report = move |p: &Progress| {
					if let Ok(mut jobs) = progress_jobs.lock() {
						if let Some(j) = jobs.get_mut(&id) {
							j.progress = Some(p.clone());
						}
					}
				};
				let outcome = factory::run(&job, &mut report);
				if let Ok(mut jobs) = jobs.lock() {
					if let Some(j) = jobs.get_mut(&id) {
						match outcome {
							Ok(manifest) => {
								j.state = "done";
								j.result = serde_json::to_value(manifest).ok();
							}
							Err(e) => {
								j.state = "failed";
								j.error = Some(e.to_string());
								// A failed job leaves no half-written adapter to be served.
								let _ = std::fs::remove_dir_all(&job.out);
							}
						}
					}
				}
			})
			.map_err(|e| invalid(format!("starting the job: {e}")))?;
		Ok(id)
	}

	fn job(&self, id: u64) -> RpcResult<Value> {
		let jobs = self.jobs.lock().map_err(|_| invalid("job table poisoned"))?;
		let j = jobs.get(&id).ok_or_else(|| invalid(format!("no job {id}")))?;
		Ok(json!({
			"id": id,
			"state": j.state,
			"progress": j.progress,
			"manifest": j.result,
			"error": j.error,
		}))
	}
}
