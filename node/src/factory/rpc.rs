//! JSON-RPC of ModelFactory: `modelFactory_train` starts a fine-tuning job on the serving node
//! (the adapter lands in its adapter directory, servable and attributable as soon as the job is
//! done) and `modelFactory_job` reports its progress, its manifest, or why it failed.
//!
//! A job trains either a registered model (`model`: its approved Datanets and their accepted
//! contributions are read from the chain, with the data from this node's content store; see
//! [`crate::factory::training_data`]) or contributions the caller hands over (`contributions`, refused
//! when from a Datanet outside `datanets`).
//!
//! One job runs at a time: training takes the node's CPU. Errors: -32602 for a bad request
//! (unknown target module, a model not in training, missing or malformed content, a contribution
//! from a Datanet the model is not approved for, a name already taken), 5203 when a job is
//! already running, 5200 when inference is off. `modelFactory_train` is unsafe RPC: it takes the
//! node's CPU for minutes, so a node serving RPC to others (or `--rpc-methods safe`) refuses it.

use crate::{
	factory::{
		contributions::{examples_from, Line},
		training_data::{same_base, split_held_out, TrainingSource},
	},
	serving::{
		error::{ServingError, ServingResult},
		rpc::check_unsafe,
	},
};
use jsonrpsee::{core::RpcResult, proc_macros::rpc, Extensions};
use openledger_inference::{
	lora::{params::LoraConfig, store::check_name},
	serving::service::InferenceService,
	training::{
		job::{self, Job},
		manifest::Manifest,
		train::{Progress, TrainConfig},
	},
};
use serde::{Deserialize, Serialize};
use std::{
	collections::BTreeMap,
	sync::{Arc, Mutex},
};

/// Finished jobs remembered for `modelFactory_job`; older ones are forgotten.
pub const MAX_FINISHED_JOBS: usize = 64;

/// A training job to start.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TrainParams {
	/// The adapter's name (its directory under the node's adapter directory).
	pub name: String,
	/// The registered model to train a version of: its training set is read from the chain.
	pub model: Option<u32>,
	/// Contributions to train on, when no `model` is given.
	#[serde(default)]
	pub contributions: Vec<Line>,
	#[serde(default)]
	pub held_out: Vec<Line>,
	/// With `model`: the fraction of its contributions held out for the evaluation (at most 0.5).
	#[serde(default)]
	pub hold_out: f64,
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
	/// Starts a fine-tuning job; returns its id. Unsafe.
	#[method(name = "train", with_extensions)]
	fn train(&self, params: TrainParams) -> RpcResult<u64>;

	/// A job: `{state: running|done|failed, progress, manifest?, error?}`.
	#[method(name = "job")]
	fn job(&self, id: u64) -> RpcResult<JobReport>;
}

/// Where a job stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
	#[default]
	Running,
	Done,
	Failed,
}

/// What `modelFactory_job` returns.
#[derive(Clone, Debug, Default, Serialize)]
pub struct JobReport {
	pub id: u64,
	pub state: JobStatus,
	pub progress: Option<Progress>,
	pub manifest: Option<Manifest>,
	pub error: Option<String>,
}

/// The RPC handler and its jobs.
pub struct ModelFactory {
	service: Option<InferenceService>,
	chain: Option<Arc<dyn TrainingSource>>,
	jobs: Arc<Mutex<BTreeMap<u64, JobReport>>>,
}

impl ModelFactory {
	/// `chain`: where registered models' training sets come from (absent without a content store).
	pub fn new(service: Option<InferenceService>, chain: Option<Arc<dyn TrainingSource>>) -> Self {
		Self { service, chain, jobs: Arc::new(Mutex::new(BTreeMap::new())) }
	}

	/// The contributions to train on, the held-out ones and the approved Datanets.
	fn data(
		&self,
		params: &mut TrainParams,
		served: &str,
	) -> ServingResult<(Vec<Line>, Vec<Line>, Vec<u32>)> {
		let Some(model) = params.model else {
			if params.hold_out != 0.0 {
				return Err(invalid("`holdOut` splits a registered model's data: give `model`"));
			}
			return Ok((
				std::mem::take(&mut params.contributions),
				std::mem::take(&mut params.held_out),
				params.datanets.clone(),
			));
		};
		if !params.contributions.is_empty() || !params.datanets.is_empty() {
			return Err(invalid(
				"give either `model` (its contributions and Datanets come from the chain) or \
				 `contributions` and `datanets`, not both",
			));
		}
		if !(0.0..=0.5).contains(&params.hold_out) {
			return Err(invalid("`holdOut` must be between 0 and 0.5"));
		}
		let chain = self
			.chain
			.as_ref()
			.ok_or_else(|| invalid("this node has no content store to read training data from"))?;
		let set = chain.training_set(model).map_err(invalid)?;
		if !same_base(&set.base_model, served) {
			return Err(invalid(format!(
				"model {model} adapts `{}`, but this node serves `{served}`",
				set.base_model
			)));
		}
		let (train, mut held_out) = split_held_out(set.contributions, params.hold_out, params.seed);
		held_out.append(&mut params.held_out);
		Ok((train, held_out, set.datanets))
	}
}

fn invalid(why: impl Into<String>) -> ServingError {
	ServingError::invalid(why)
}

impl ModelFactory {
	fn start(&self, params: TrainParams) -> ServingResult<u64> {
		let service = self.service.as_ref().ok_or(ServingError::NotEnabled)?;
		check_name(&params.name)?;
		let out = service.adapters_dir().join(&params.name);
		if out.exists() {
			return Err(invalid(format!("an adapter named `{}` already exists", params.name)));
		}
		let loaded = service.loaded().clone();
		let mut params = params;
		let (train_lines, held_out_lines, approved) = self.data(&mut params, &loaded.name)?;
		let (train, contributors, mut datanets) =
			examples_from(train_lines, &loaded, &approved, params.raw).map_err(invalid)?;
		let (held_out, _, _) =
			examples_from(held_out_lines, &loaded, &approved, params.raw).map_err(invalid)?;
		if datanets.is_empty() || params.model.is_some() {
			datanets = approved;
		}
		let job = Job {
			model: params.model,
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
			let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
			if jobs.values().any(|j| j.state == JobStatus::Running) {
				return Err(ServingError::Busy("a training job is already running".into()));
			}
			while jobs.len() > MAX_FINISHED_JOBS {
				jobs.pop_first();
			}
			let id = jobs.last_key_value().map_or(1, |(id, _)| id.saturating_add(1));
			jobs.insert(id, JobReport { id, ..Default::default() });
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
				let outcome = job::run(&job, &mut report);
				if let Ok(mut jobs) = jobs.lock() {
					if let Some(j) = jobs.get_mut(&id) {
						match outcome {
							Ok(manifest) => {
								j.state = JobStatus::Done;
								j.manifest = Some(manifest);
							}
							Err(e) => {
								j.state = JobStatus::Failed;
								j.error = Some(e.to_string());
								// A failed job leaves no half-written adapter to be served.
								let _ = std::fs::remove_dir_all(&job.out);
							}
						}
					}
				}
			})
			.map_err(|e| ServingError::Internal(format!("starting the job: {e}")))?;
		Ok(id)
	}
}

impl ModelFactoryApiServer for ModelFactory {
	fn train(&self, ext: &Extensions, params: TrainParams) -> RpcResult<u64> {
		check_unsafe(ext, "modelFactory_train")?;
		Ok(self.start(params)?)
	}

	fn job(&self, id: u64) -> RpcResult<JobReport> {
		let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
		Ok(jobs.get(&id).cloned().ok_or_else(|| invalid(format!("no job {id}")))?)
	}
}
