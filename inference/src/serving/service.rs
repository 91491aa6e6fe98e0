//! The engine as a service: engines run on their own thread and everyone else talks to them
//! through a cheap, cloneable [`InferenceService`] handle (the node's JSON-RPC and its
//! OpenAI-compatible HTTP server both hold one).
//!
//! Tokenizing happens on the caller's side, so the engine thread only ever steps batches; it
//! takes commands between steps and sleeps when there is no work. A request's tokens come back on
//! an unbounded channel; dropping the receiver cancels the request at its next token.

use crate::{
	attribution::explainer::{Attribution, Explainer},
	error::{Error, Result},
	lora::store::{check_name, AdapterStore},
	model::llama::Precision,
	model::loader::{self, LoadedModel},
	serving::engine::{Engine, EngineConfig, EngineStats, Event, Listener, Request, RequestId},
	serving::router::Router,
	serving::sampling::SamplingParams,
};
use futures::channel::{mpsc, oneshot};
use serde::{Deserialize, Serialize};
use std::{
	path::PathBuf,
	sync::{
		atomic::{AtomicUsize, Ordering},
		mpsc as std_mpsc, Arc,
	},
	time::Duration,
};

/// Longest prompt accepted before tokenizing, in bytes (the context check comes after).
pub const MAX_PROMPT_BYTES: usize = 256 * 1024;

/// How the service is set up.
#[derive(Clone, Debug)]
pub struct ServiceConfig {
	/// A `.gguf` file or a Hugging Face checkpoint directory.
	pub model: PathBuf,
	pub precision: Precision,
	/// Where adapters live, one PEFT directory per adapter.
	pub adapters: PathBuf,
	/// Engines (each with its own KV pool and adapter cache) behind the scheduling rule.
	pub engines: usize,
	pub engine: EngineConfig,
}

/// What clients see of the base model.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelInfo {
	pub name: String,
	pub source: String,
	pub precision: String,
	pub weight_bytes: usize,
	pub context: usize,
	pub vocab: usize,
	pub layers: usize,
	pub hidden: usize,
	pub engines: usize,
}

/// An adapter on disk, and whether it is in memory (in any engine).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdapterInfo {
	pub name: String,
	pub cached: bool,
}

/// A chat message (`role` is `system`, `user` or `assistant`).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ChatMessage {
	pub role: String,
	pub content: String,
}

/// What to generate from.
#[derive(Clone, Debug)]
pub enum Prompt {
	Text(String),
	Chat(Vec<ChatMessage>),
}

/// A generation request in the clients' terms.
#[derive(Clone, Debug)]
pub struct GenerateRequest {
	/// The base model's name (or `base`), an adapter's name, or an ensemble
	/// `name:weight+name:weight`.
	pub model: String,
	pub prompt: Prompt,
	pub sampling: SamplingParams,
}

/// A running generation: its events arrive on `events`.
pub struct Generation {
	pub id: RequestId,
	pub prompt_tokens: usize,
	/// The prompt's tokens (what attribution needs with the answer's).
	pub prompt: Vec<u32>,
	pub events: mpsc::UnboundedReceiver<Event>,
}

/// Engine-wide counters of every engine.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceStats {
	pub model: ModelInfo,
	pub engines: Vec<EngineStats>,
}

enum Command {
	Submit { request: Request, listener: Listener, reply: oneshot::Sender<Result<RequestId>> },
	Load { name: String, reply: oneshot::Sender<Result<Duration>> },
	Unload { name: String, reply: oneshot::Sender<bool> },
	Adapters { reply: oneshot::Sender<Vec<AdapterInfo>> },
	Stats { reply: oneshot::Sender<Vec<EngineStats>> },
	Cancel(RequestId),
}

/// The handle to the engines.
#[derive(Clone)]
pub struct InferenceService {
	commands: std_mpsc::Sender<Command>,
	model: Arc<LoadedModel>,
	info: ModelInfo,
	attributions: AttributionQueue,
	adapters: PathBuf,
}

/// Most attributions asked for over RPC or HTTP that may wait at once; more are refused as busy.
/// Each is a forward and backward pass of the dense base: run one at a time, they cannot
/// exhaust memory or starve answering.
pub const MAX_QUEUED_ATTRIBUTIONS: usize = 4;

/// The one attribution queue: every attribution, whoever asks for it, runs on its thread.
#[derive(Clone)]
struct AttributionQueue {
	jobs: std_mpsc::Sender<AttributionJob>,
	/// Asked-for attributions waiting or running.
	queued: Arc<AtomicUsize>,
}

struct AttributionJob {
	name: String,
	prompt: Vec<u32>,
	output: Vec<u32>,
	top_k: usize,
	reply: oneshot::Sender<Result<Attribution>>,
	/// Held while a counted job waits or runs.
	slot: Option<QueueSlot>,
}

/// A place in the queue's count, given back when dropped.
struct QueueSlot(Arc<AtomicUsize>);

impl Drop for QueueSlot {
	fn drop(&mut self) {
		self.0.fetch_sub(1, Ordering::SeqCst);
	}
}

impl AttributionQueue {
	fn start(explainer: Explainer) -> Result<Self> {
		let (jobs, inbox) = std_mpsc::channel::<AttributionJob>();
		std::thread::Builder::new()
			.name("openlora-attribution".into())
			.spawn(move || {
				for job in inbox {
					// A panic in one attribution fails that one only.
					let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
						explainer.explain(&job.name, &job.prompt, &job.output, job.top_k)
					}))
					.unwrap_or_else(|_| Err(Error::Model("the attribution failed".into())));
					let _ = job.reply.send(result);
					drop(job.slot);
				}
			})
			.map_err(|e| Error::Model(format!("starting the attribution thread: {e}")))?;
		Ok(Self { jobs, queued: Arc::new(AtomicUsize::new(0)) })
	}

	fn take_slot(&self) -> Result<QueueSlot> {
		let taken = self.queued.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
			(n < MAX_QUEUED_ATTRIBUTIONS).then_some(n + 1)
		});
		match taken {
			Ok(_) => Ok(QueueSlot(self.queued.clone())),
			Err(_) => Err(Error::Busy(format!(
				"{MAX_QUEUED_ATTRIBUTIONS} attributions are already waiting; try again later"
			))),
		}
	}
}

/// Reads a model spec: the base model (`""`, `base` or its name) is no adapter; otherwise
/// `name` or `name:weight`, several joined by `+` for an ensemble.
pub fn parse_model_spec(spec: &str, base_name: &str) -> Result<Vec<(String, f32)>> {
	let spec = spec.trim();
	if spec.is_empty() || spec == "base" || spec == base_name {
		return Ok(Vec::new());
	}
	spec.split('+')
		.map(|part| {
			let (name, weight) = match part.rsplit_once(':') {
				Some((name, w)) => {
					let w: f32 = w.trim().parse().map_err(|_| {
						Error::Request(format!(
							"`{part}`: the adapter weight `{w}` is not a number"
						))
					})?;
					(name.trim(), w)
				}
				None => (part.trim(), 1.0),
			};
			check_name(name)?;
			Ok((name.to_string(), weight))
		})
		.collect()
}

impl InferenceService {
	/// Loads the model and starts the engine thread.
	pub fn start(config: ServiceConfig) -> Result<Self> {
		let model = Arc::new(loader::load(&config.model, config.precision)?);
		let engines = (0..config.engines.max(1))
			.map(|_| {
				Engine::new(
					model.model.clone(),
					model.tokenizer.clone(),
					model.eos.clone(),
					AdapterStore::new(&config.adapters, config.engine.adapter_cache_bytes),
					config.engine.clone(),
				)
			})
			.collect::<Result<Vec<_>>>()?;
		let router = Router::new(engines)?;
		let info = ModelInfo {
			name: model.name.clone(),
			source: model.source.display().to_string(),
			precision: format!("{:?}", config.precision).to_lowercase(),
			weight_bytes: model.model.weight_bytes(),
			context: model.model.config.context,
			vocab: model.model.config.vocab,
			layers: model.model.config.layers,
			hidden: model.model.config.hidden,
			engines: config.engines.max(1),
		};
		let (commands, inbox) = std_mpsc::channel();
		std::thread::Builder::new()
			.name("openlora-engine".into())
			.spawn(move || run(router, inbox))
			.map_err(|e| Error::Model(format!("starting the engine thread: {e}")))?;
		let explainer = Explainer::new(model.model.clone(), config.adapters.clone());
		let attributions = AttributionQueue::start(explainer)?;
		Ok(Self { commands, model, info, attributions, adapters: config.adapters.clone() })
	}

	pub fn model(&self) -> &ModelInfo {
		&self.info
	}

	/// The loaded base model and its tokenizer.
	pub fn loaded(&self) -> &Arc<LoadedModel> {
		&self.model
	}

	/// Where the served adapters live.
	pub fn adapters_dir(&self) -> &std::path::Path {
		&self.adapters
	}

	fn send(&self, command: Command) -> Result<()> {
		self.commands.send(command).map_err(|_| Error::Stopped)
	}

	/// The prompt's tokens.
	pub fn tokenize(&self, prompt: &Prompt) -> Result<Vec<u32>> {
		let bytes = match prompt {
			Prompt::Text(t) => t.len(),
			Prompt::Chat(messages) => messages.iter().map(|m| m.content.len()).sum(),
		};
		if bytes > MAX_PROMPT_BYTES {
			return Err(Error::Request(format!(
				"the prompt has {bytes} bytes; at most {MAX_PROMPT_BYTES}"
			)));
		}
		match prompt {
			Prompt::Text(t) => self.model.chat.raw_tokens(t),
			Prompt::Chat(messages) => {
				if messages.is_empty() {
					return Err(Error::Request("`messages` is empty".into()));
				}
				for m in messages {
					if !matches!(m.role.as_str(), "system" | "user" | "assistant") {
						return Err(Error::Request(format!(
							"message role `{}` is not system, user or assistant",
							m.role
						)));
					}
				}
				// Message text stays text: a user's `<|im_end|>` is no control token.
				let turns: Vec<(String, String)> =
					messages.iter().map(|m| (m.role.clone(), m.content.clone())).collect();
				self.model.chat.conversation(&turns)
			}
		}
	}

	/// Starts a generation; fails at once for a bad request.
	pub async fn generate(&self, request: GenerateRequest) -> Result<Generation> {
		let adapters = parse_model_spec(&request.model, &self.info.name)?;
		let prompt = self.tokenize(&request.prompt)?;
		let prompt_tokens = prompt.len();
		let (tx, events) = mpsc::unbounded();
		let (reply, answer) = oneshot::channel();
		let request = Request { prompt: prompt.clone(), adapters, sampling: request.sampling };
		self.send(Command::Submit { request, listener: tx.into(), reply })?;
		let id = answer.await.map_err(|_| Error::Stopped)??;
		Ok(Generation { id, prompt_tokens, prompt, events })
	}

	/// The training contributions behind `output` of one adapter (DataInf), through the one
	/// attribution queue: busy when [`MAX_QUEUED_ATTRIBUTIONS`] asked-for attributions already
	/// wait, so that no caller can pile up work.
	pub async fn explain(
		&self,
		model: &str,
		prompt: Vec<u32>,
		output: Vec<u32>,
		top_k: usize,
	) -> Result<Attribution> {
		self.attribute(model, prompt, output, top_k, true).await
	}

	/// As [`Self::explain`], for an answer the node must settle: it waits its turn instead of
	/// being refused. The caller (the node's settlement task) sends one at a time.
	pub async fn explain_for_settlement(
		&self,
		model: &str,
		prompt: Vec<u32>,
		output: Vec<u32>,
		top_k: usize,
	) -> Result<Attribution> {
		self.attribute(model, prompt, output, top_k, false).await
	}

	async fn attribute(
		&self,
		model: &str,
		prompt: Vec<u32>,
		output: Vec<u32>,
		top_k: usize,
		counted: bool,
	) -> Result<Attribution> {
		let adapters = parse_model_spec(model, &self.info.name)?;
		let name =
			match adapters.as_slice() {
				[(name, _)] => name.clone(),
				[] => return Err(Error::Request(
					"the base model has no training contributions: attribution needs an adapter"
						.into(),
				)),
				_ => {
					return Err(Error::Request(
						"attribution of an ensemble is not supported: name one adapter".into(),
					))
				}
			};
		let (reply, answer) = oneshot::channel();
		let slot = if counted { Some(self.attributions.take_slot()?) } else { None };
		let job = AttributionJob { name, prompt, output, top_k, reply, slot };
		self.attributions.jobs.send(job).map_err(|_| Error::Stopped)?;
		answer.await.map_err(|_| Error::Stopped)?
	}

	pub async fn load_adapter(&self, name: &str) -> Result<Duration> {
		check_name(name)?;
		let (reply, answer) = oneshot::channel();
		self.send(Command::Load { name: name.to_string(), reply })?;
		answer.await.map_err(|_| Error::Stopped)?
	}

	/// Drops an adapter from memory; false if it was not there.
	pub async fn unload_adapter(&self, name: &str) -> Result<bool> {
		check_name(name)?;
		let (reply, answer) = oneshot::channel();
		self.send(Command::Unload { name: name.to_string(), reply })?;
		answer.await.map_err(|_| Error::Stopped)
	}

	/// Adapters on disk and in memory.
	pub async fn adapters(&self) -> Result<Vec<AdapterInfo>> {
		let (reply, answer) = oneshot::channel();
		self.send(Command::Adapters { reply })?;
		answer.await.map_err(|_| Error::Stopped)
	}

	pub async fn stats(&self) -> Result<ServiceStats> {
		let (reply, answer) = oneshot::channel();
		self.send(Command::Stats { reply })?;
		let engines = answer.await.map_err(|_| Error::Stopped)?;
		Ok(ServiceStats { model: self.info.clone(), engines })
	}

	pub fn cancel(&self, id: RequestId) {
		let _ = self.send(Command::Cancel(id));
	}
}

/// The engine thread: commands between steps, steps while there is work, sleep otherwise.
fn run(mut router: Router, inbox: std_mpsc::Receiver<Command>) {
	loop {
		let command = if router.is_idle() {
			match inbox.recv() {
				Ok(c) => Some(c),
				Err(_) => return, // every handle is gone
			}
		} else {
			inbox.try_recv().ok()
		};
		if let Some(command) = command {
			handle_isolated(&mut router, command);
			// Take everything queued before stepping, so that simultaneous arrivals share a step.
			while let Ok(c) = inbox.try_recv() {
				handle_isolated(&mut router, c);
			}
		}
		if !router.is_idle() {
			if let Err(e) = router.step() {
				eprintln!("openlora: step failed: {e}");
			}
		}
	}
}

/// Handles a command; a panic fails that command only (its caller sees its reply dropped) and
/// the engine thread goes on serving everyone else. Steps isolate their own panics.
fn handle_isolated(router: &mut Router, command: Command) {
	let handled =
		std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handle(router, command)));
	if handled.is_err() {
		eprintln!("openlora: a command panicked; the engine goes on");
	}
}

fn handle(router: &mut Router, command: Command) {
	match command {
		Command::Submit { request, listener, reply } => {
			let _ = reply.send(router.submit(request, listener));
		}
		Command::Load { name, reply } => {
			let mut result = Ok(Duration::ZERO);
			for engine in router.engines_mut() {
				let config = engine.model().config.clone();
				result = engine.adapters().load(&name, &config);
				if result.is_err() {
					break;
				}
			}
			let _ = reply.send(result);
		}
		Command::Unload { name, reply } => {
			let mut any = false;
			for engine in router.engines_mut() {
				any |= engine.adapters().unload(&name);
			}
			let _ = reply.send(any);
		}
		Command::Adapters { reply } => {
			let engines = router.engines_mut();
			let mut cached: Vec<String> = Vec::new();
			let mut on_disk = Vec::new();
			for engine in engines.iter_mut() {
				cached.extend(engine.adapters().cached());
				if on_disk.is_empty() {
					on_disk = engine.adapters().on_disk();
				}
			}
			let mut names = on_disk;
			names.extend(cached.iter().cloned());
			names.sort();
			names.dedup();
			let list = names
				.into_iter()
				.map(|name| AdapterInfo { cached: cached.contains(&name), name })
				.collect();
			let _ = reply.send(list);
		}
		Command::Stats { reply } => {
			let _ = reply.send(router.engines().iter().map(Engine::stats).collect());
		}
		Command::Cancel(id) => {
			router.cancel(id);
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn model_specs_name_the_base_an_adapter_or_an_ensemble() {
		assert_eq!(parse_model_spec("base", "smol"), Ok(vec![]));
		assert_eq!(parse_model_spec("smol", "smol"), Ok(vec![]));
		assert_eq!(parse_model_spec("legal", "smol"), Ok(vec![("legal".into(), 1.0)]));
		assert_eq!(
			parse_model_spec("legal:0.7+medical:0.3", "smol"),
			Ok(vec![("legal".into(), 0.7), ("medical".into(), 0.3)])
		);
		assert!(parse_model_spec("legal:lots", "smol").is_err());
		assert!(parse_model_spec("../x", "smol").is_err());
	}
}
