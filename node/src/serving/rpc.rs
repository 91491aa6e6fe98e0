//! JSON-RPC of the inference engine: `inference_models`, `inference_adapters`,
//! `inference_generate` (the whole answer), `inference_subscribeGenerate` (tokens as they come),
//! `inference_explain`, `inference_loadAdapter`, `inference_unloadAdapter`, `inference_stats`.
//!
//! Errors are [`ServingError`]s: -32602 for a bad request (unknown adapter, prompt over the
//! context, absurd `maxTokens`, bad sampling parameters), 5200 inference not enabled on this
//! node, 5201 model failure, 5202 bad adapter file, 5203 busy (try again), 5204 engine stopped.
//!
//! The costly methods — `inference_explain`, `inference_generate` with `attribution`, and adapter
//! loading and unloading — are unsafe RPC: a node started with `--rpc-methods safe` (or serving
//! RPC to other hosts) refuses them, as it refuses `author_insertKey`. Attribution, whoever asks
//! for it, goes through the engine's one bounded attribution queue (busy when it is full).

use crate::serving::error::{ServingError, ServingResult};
use futures::StreamExt;
use jsonrpsee::{
	core::{RpcResult, SubscriptionResult},
	proc_macros::rpc,
	Extensions, PendingSubscriptionSink, SubscriptionMessage,
};
use openledger_inference::{
	attribution::explainer::Attribution,
	serving::{
		engine::{Event, FinishReason, Finished},
		sampling::SamplingParams,
		service::{
			AdapterInfo, ChatMessage, GenerateRequest, InferenceService, ModelInfo, Prompt,
			ServiceStats,
		},
	},
};
use serde::{Deserialize, Serialize};

/// Refuses an unsafe method when the RPC server denies them (`--rpc-methods safe`, or RPC
/// served to other hosts).
pub fn check_unsafe(ext: &Extensions, method: &str) -> ServingResult<()> {
	match ext.get::<sc_rpc_api::DenyUnsafe>() {
		Some(sc_rpc_api::DenyUnsafe::No) => Ok(()),
		// Also when the server set no policy: refusing is the safe default.
		_ => Err(ServingError::invalid(format!(
			"{method} is an unsafe RPC method: refused by this node's --rpc-methods"
		))),
	}
}

/// What `inference_generate` takes: a `prompt` or chat `messages`, the `model` (base, adapter,
/// or ensemble `a:0.7+b:0.3`) and sampling parameters.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GenerateParams {
	#[serde(default)]
	pub model: String,
	pub prompt: Option<String>,
	pub messages: Option<Vec<ChatMessage>>,
	#[serde(default = "default_max_tokens", alias = "max_tokens")]
	pub max_tokens: usize,
	#[serde(default)]
	pub temperature: f32,
	#[serde(default = "one", alias = "top_p")]
	pub top_p: f32,
	#[serde(default, alias = "top_k")]
	pub top_k: usize,
	pub seed: Option<u64>,
	#[serde(default)]
	pub stop: Vec<String>,
	/// Also return the top-k training contributions behind the answer (adapters only).
	pub attribution: Option<usize>,
}

/// What `inference_explain` takes: the adapter, the prompt (or messages) and the output to
/// attribute.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExplainParams {
	pub model: String,
	pub prompt: Option<String>,
	pub messages: Option<Vec<ChatMessage>>,
	pub output: String,
	#[serde(default = "default_top_k", alias = "top_k")]
	pub top_k: usize,
}

fn default_top_k() -> usize {
	10
}

fn default_max_tokens() -> usize {
	128
}

fn one() -> f32 {
	1.0
}

impl GenerateParams {
	pub fn into_request(self) -> ServingResult<GenerateRequest> {
		let prompt = prompt_of(self.prompt, self.messages)?;
		Ok(GenerateRequest {
			model: self.model,
			prompt,
			sampling: SamplingParams {
				temperature: self.temperature,
				top_p: self.top_p,
				top_k: self.top_k,
				seed: self.seed,
				max_tokens: self.max_tokens,
				stop: self.stop,
				ignore_eos: false,
			},
		})
	}
}

pub fn prompt_of(
	prompt: Option<String>,
	messages: Option<Vec<ChatMessage>>,
) -> ServingResult<Prompt> {
	match (prompt, messages) {
		(Some(p), None) => Ok(Prompt::Text(p)),
		(None, Some(m)) => Ok(Prompt::Chat(m)),
		_ => Err(ServingError::invalid("give exactly one of `prompt` and `messages`")),
	}
}

/// A finished answer, as `inference_generate` returns it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
	pub id: u64,
	pub text: String,
	pub finish_reason: FinishReason,
	pub prompt_tokens: usize,
	pub completion_tokens: usize,
	pub ttft_ms: f64,
	pub total_ms: f64,
	pub preemptions: u32,
	/// The training contributions behind the answer, when asked for.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub attribution: Option<Attribution>,
}

impl Answer {
	pub fn new(id: u64, f: &Finished) -> Self {
		Self {
			id,
			text: f.text.clone(),
			finish_reason: f.reason,
			prompt_tokens: f.prompt_tokens,
			completion_tokens: f.completion_tokens,
			ttft_ms: f.ttft_micros as f64 / 1e3,
			total_ms: f.total_micros as f64 / 1e3,
			preemptions: f.preemptions,
			attribution: None,
		}
	}
}

/// One item of `inference_subscribeGenerate`: `{token, text}` per token, then `{done}` or
/// `{error}`.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum GenerationItem<D> {
	Token { token: u32, text: String },
	Done { done: D },
	Error { error: String },
}

impl<D> GenerationItem<D> {
	/// The item of a token or failure event; `done` makes the item of the end.
	pub fn of(event: Event, done: impl FnOnce(Finished) -> D) -> (Self, bool) {
		match event {
			Event::Token { id, text } => (Self::Token { token: id, text }, false),
			Event::Done(f) => (Self::Done { done: done(f) }, true),
			Event::Failed(e) => (Self::Error { error: ServingError::from(e).to_string() }, true),
		}
	}
}

/// What `inference_loadAdapter` returns.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadedAdapter {
	pub name: String,
	pub load_ms: f64,
}

#[rpc(server, namespace = "inference")]
pub trait InferenceApi {
	/// The base model this node serves: `[{name, context, precision, weightBytes, …}]`.
	#[method(name = "models")]
	async fn models(&self) -> RpcResult<Vec<ModelInfo>>;

	/// Adapters on disk, and which are in memory: `[{name, cached}]`.
	#[method(name = "adapters")]
	async fn adapters(&self) -> RpcResult<Vec<AdapterInfo>>;

	/// Generates a whole answer: `{id, text, finishReason, promptTokens, completionTokens, …}`.
	/// With `attribution`, unsafe.
	#[method(name = "generate", with_extensions)]
	async fn generate(&self, params: GenerateParams) -> RpcResult<Answer>;

	/// Generates and streams: `{token, text}` per token, then `{done: {…}}` (or `{error}`).
	#[subscription(
		name = "subscribeGenerate" => "generation",
		unsubscribe = "unsubscribeGenerate",
		item = GenerationItem<Answer>
	)]
	async fn subscribe_generate(&self, params: GenerateParams) -> SubscriptionResult;

	/// The training contributions behind an output of an adapter (DataInf):
	/// `{adapter, method, scored, positive, contributions: [{id, contributor, influence, weight}]}`.
	/// Unsafe.
	#[method(name = "explain", with_extensions)]
	async fn explain(&self, params: ExplainParams) -> RpcResult<Attribution>;

	/// Loads an adapter into memory now: `{name, loadMs}`. Unsafe.
	#[method(name = "loadAdapter", with_extensions)]
	async fn load_adapter(&self, name: String) -> RpcResult<LoadedAdapter>;

	/// Drops an adapter from memory: whether it was there. Unsafe.
	#[method(name = "unloadAdapter", with_extensions)]
	async fn unload_adapter(&self, name: String) -> RpcResult<bool>;

	/// Engine counters: batches, tokens, KV blocks, adapter cache.
	#[method(name = "stats")]
	async fn stats(&self) -> RpcResult<ServiceStats>;
}

/// The RPC handler; without a service every method answers "not enabled".
pub struct Inference {
	service: Option<InferenceService>,
}

impl Inference {
	pub fn new(service: Option<InferenceService>) -> Self {
		Self { service }
	}

	fn service(&self) -> ServingResult<&InferenceService> {
		self.service.as_ref().ok_or(ServingError::NotEnabled)
	}

	async fn generate_answer(&self, params: GenerateParams) -> ServingResult<Answer> {
		let s = self.service()?;
		let (model, top_k) = (params.model.clone(), params.attribution);
		let mut generation = s.generate(params.into_request()?).await?;
		while let Some(event) = generation.events.next().await {
			match event {
				Event::Token { .. } => {}
				Event::Done(f) => {
					let mut answer = Answer::new(generation.id, &f);
					if let Some(k) = top_k {
						answer.attribution = Some(
							s.explain(&model, generation.prompt.clone(), f.tokens.clone(), k)
								.await?,
						);
					}
					return Ok(answer);
				}
				Event::Failed(e) => return Err(e.into()),
			}
		}
		Err(ServingError::Stopped)
	}

	async fn explain_output(&self, params: ExplainParams) -> ServingResult<Attribution> {
		let s = self.service()?;
		let prompt = s.tokenize(&prompt_of(params.prompt, params.messages)?)?;
		let output = s.tokenize(&Prompt::Text(params.output))?;
		Ok(s.explain(&params.model, prompt, output, params.top_k).await?)
	}
}

#[jsonrpsee::core::async_trait]
impl InferenceApiServer for Inference {
	async fn models(&self) -> RpcResult<Vec<ModelInfo>> {
		Ok(vec![self.service()?.model().clone()])
	}

	async fn adapters(&self) -> RpcResult<Vec<AdapterInfo>> {
		Ok(self.service()?.adapters().await.map_err(ServingError::from)?)
	}

	async fn generate(&self, ext: &Extensions, params: GenerateParams) -> RpcResult<Answer> {
		if params.attribution.is_some() {
			check_unsafe(ext, "inference_generate with `attribution`")?;
		}
		Ok(self.generate_answer(params).await?)
	}

	async fn subscribe_generate(
		&self,
		pending: PendingSubscriptionSink,
		params: GenerateParams,
	) -> SubscriptionResult {
		let started = async {
			let service = self.service()?.clone();
			if params.attribution.is_some() {
				return Err(ServingError::invalid(
					"`attribution` is not streamed: use inference_generate",
				));
			}
			let generation = service.generate(params.into_request()?).await?;
			Ok::<_, ServingError>((service, generation))
		};
		let (service, mut generation) = match started.await {
			Ok(started) => started,
			Err(e) => {
				pending.reject(e).await;
				return Ok(());
			}
		};
		let sink = pending.accept().await?;
		let id = generation.id;
		while let Some(event) = generation.events.next().await {
			let (item, last) = GenerationItem::of(event, |f| Answer::new(id, &f));
			let message = SubscriptionMessage::from_json(&item)?;
			if sink.send(message).await.is_err() {
				// The subscriber left: stop generating for it.
				service.cancel(id);
				break;
			}
			if last {
				break;
			}
		}
		Ok(())
	}

	async fn explain(&self, ext: &Extensions, params: ExplainParams) -> RpcResult<Attribution> {
		check_unsafe(ext, "inference_explain")?;
		Ok(self.explain_output(params).await?)
	}

	async fn load_adapter(&self, ext: &Extensions, name: String) -> RpcResult<LoadedAdapter> {
		check_unsafe(ext, "inference_loadAdapter")?;
		let took = self.service()?.load_adapter(&name).await.map_err(ServingError::from)?;
		Ok(LoadedAdapter { name, load_ms: took.as_secs_f64() * 1e3 })
	}

	async fn unload_adapter(&self, ext: &Extensions, name: String) -> RpcResult<bool> {
		check_unsafe(ext, "inference_unloadAdapter")?;
		Ok(self.service()?.unload_adapter(&name).await.map_err(ServingError::from)?)
	}

	async fn stats(&self) -> RpcResult<ServiceStats> {
		Ok(self.service()?.stats().await.map_err(ServingError::from)?)
	}
}
