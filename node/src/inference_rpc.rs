//! JSON-RPC of the inference engine: `inference_models`, `inference_adapters`,
//! `inference_generate` (the whole answer), `inference_subscribeGenerate` (tokens as they come),
//! `inference_loadAdapter`, `inference_unloadAdapter`, `inference_stats`.
//!
//! Error codes: -32602 for a bad request (unknown adapter, prompt over the context, bad sampling
//! parameters), 5200 inference not enabled on this node, 5201 model failure, 5202 bad adapter
//! file, 5203 busy (try again), 5204 engine stopped.

use futures::StreamExt;
use jsonrpsee::{
	core::{RpcResult, SubscriptionResult},
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
	PendingSubscriptionSink, SubscriptionMessage,
};
use openledger_inference::{
	engine::{Event, Finished},
	sampling::SamplingParams,
	service::{ChatMessage, GenerateRequest, InferenceService, Prompt},
	Error,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub const NOT_ENABLED: i32 = 5200;
pub const MODEL_ERROR: i32 = 5201;
pub const ADAPTER_ERROR: i32 = 5202;
pub const BUSY: i32 = 5203;
pub const STOPPED: i32 = 5204;

/// The JSON-RPC error for an engine error.
pub fn rpc_error(e: Error) -> ErrorObjectOwned {
	let code = match &e {
		Error::Request(_) => jsonrpsee::types::error::INVALID_PARAMS_CODE,
		Error::Model(_) => MODEL_ERROR,
		Error::Adapter(_) => ADAPTER_ERROR,
		Error::Busy(_) => BUSY,
		Error::Stopped => STOPPED,
	};
	ErrorObject::owned(code, e.to_string(), None::<()>)
}

fn not_enabled() -> ErrorObjectOwned {
	ErrorObject::owned(
		NOT_ENABLED,
		"inference is not enabled on this node (no base model, or --no-inference)",
		None::<()>,
	)
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
	fn into_request(self) -> Result<GenerateRequest, Error> {
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

fn prompt_of(prompt: Option<String>, messages: Option<Vec<ChatMessage>>) -> Result<Prompt, Error> {
	match (prompt, messages) {
		(Some(p), None) => Ok(Prompt::Text(p)),
		(None, Some(m)) => Ok(Prompt::Chat(m)),
		_ => Err(Error::Request("give exactly one of `prompt` and `messages`".into())),
	}
}

/// The JSON of a finished answer.
pub fn finished_json(id: u64, f: &Finished) -> Value {
	json!({
		"id": id,
		"text": f.text,
		"finishReason": f.reason,
		"promptTokens": f.prompt_tokens,
		"completionTokens": f.completion_tokens,
		"ttftMs": f.ttft_micros as f64 / 1e3,
		"totalMs": f.total_micros as f64 / 1e3,
		"preemptions": f.preemptions,
	})
}

#[rpc(server, namespace = "inference")]
pub trait InferenceApi {
	/// The base model this node serves: `{name, context, precision, weightBytes, …}`.
	#[method(name = "models")]
	async fn models(&self) -> RpcResult<Value>;

	/// Adapters on disk, and which are in memory: `[{name, cached}]`.
	#[method(name = "adapters")]
	async fn adapters(&self) -> RpcResult<Value>;

	/// Generates a whole answer: `{id, text, finishReason, promptTokens, completionTokens, …}`.
	#[method(name = "generate")]
	async fn generate(&self, params: GenerateParams) -> RpcResult<Value>;

	/// Generates and streams: `{token, text}` per token, then `{done: {…}}` (or `{error}`).
	#[subscription(
		name = "subscribeGenerate" => "generation",
		unsubscribe = "unsubscribeGenerate",
		item = Value
	)]
	async fn subscribe_generate(&self, params: GenerateParams) -> SubscriptionResult;

	/// The training contributions behind an output of an adapter (DataInf):
	/// `{adapter, method, scored, positive, contributions: [{id, contributor, influence, weight}]}`.
	#[method(name = "explain")]
	async fn explain(&self, params: ExplainParams) -> RpcResult<Value>;

	/// Loads an adapter into memory now: `{name, loadMs}`.
	#[method(name = "loadAdapter")]
	async fn load_adapter(&self, name: String) -> RpcResult<Value>;

	/// Drops an adapter from memory: whether it was there.
	#[method(name = "unloadAdapter")]
	async fn unload_adapter(&self, name: String) -> RpcResult<bool>;

	/// Engine counters: batches, tokens, KV blocks, adapter cache.
	#[method(name = "stats")]
	async fn stats(&self) -> RpcResult<Value>;
}

/// The RPC handler; without a service every method answers "not enabled".
pub struct Inference {
	service: Option<InferenceService>,
}

impl Inference {
	pub fn new(service: Option<InferenceService>) -> Self {
		Self { service }
	}

	fn service(&self) -> RpcResult<&InferenceService> {
		self.service.as_ref().ok_or_else(not_enabled)
	}
}

#[jsonrpsee::core::async_trait]
impl InferenceApiServer for Inference {
	async fn models(&self) -> RpcResult<Value> {
		let s = self.service()?;
		Ok(json!([s.model()]))
	}

	async fn adapters(&self) -> RpcResult<Value> {
		let list = self.service()?.adapters().await.map_err(rpc_error)?;
		Ok(json!(list))
	}

	async fn generate(&self, params: GenerateParams) -> RpcResult<Value> {
		let s = self.service()?;
		let (model, top_k) = (params.model.clone(), params.attribution);
		let request = params.into_request().map_err(rpc_error)?;
		let mut generation = s.generate(request).await.map_err(rpc_error)?;
		while let Some(event) = generation.events.next().await {
			match event {
				Event::Token { .. } => {}
				Event::Done(f) => {
					let mut answer = finished_json(generation.id, &f);
					if let Some(k) = top_k {
						let attribution = s
							.explain(&model, generation.prompt.clone(), f.tokens.clone(), k)
							.await
							.map_err(rpc_error)?;
						answer["attribution"] = json!(attribution);
					}
					return Ok(answer);
				}
				Event::Failed(e) => return Err(rpc_error(e)),
			}
		}
		Err(rpc_error(Error::Stopped))
	}

	async fn subscribe_generate(
		&self,
		pending: PendingSubscriptionSink,
		params: GenerateParams,
	) -> SubscriptionResult {
		let service = match self.service() {
			Ok(s) => s.clone(),
			Err(e) => {
				pending.reject(e).await;
				return Ok(());
			}
		};
		let started = match params.into_request() {
			Ok(request) => service.generate(request).await,
			Err(e) => Err(e),
		};
		let mut generation = match started {
			Ok(g) => g,
			Err(e) => {
				pending.reject(rpc_error(e)).await;
				return Ok(());
			}
		};
		let sink = pending.accept().await?;
		while let Some(event) = generation.events.next().await {
			let (item, last) = match event {
				Event::Token { id, text } => (json!({ "token": id, "text": text }), false),
				Event::Done(f) => (json!({ "done": finished_json(generation.id, &f) }), true),
				Event::Failed(e) => (json!({ "error": e.to_string() }), true),
			};
			let message = SubscriptionMessage::from_json(&item)?;
			if sink.send(message).await.is_err() {
				// The subscriber left: stop generating for it.
				service.cancel(generation.id);
				break;
			}
			if last {
				break;
			}
		}
		Ok(())
	}

	async fn explain(&self, params: ExplainParams) -> RpcResult<Value> {
		let s = self.service()?;
		let prompt = prompt_of(params.prompt, params.messages).map_err(rpc_error)?;
		let prompt = s.tokenize(&prompt).map_err(rpc_error)?;
		let output = s.tokenize(&Prompt::Text(params.output)).map_err(rpc_error)?;
		let attribution =
			s.explain(&params.model, prompt, output, params.top_k).await.map_err(rpc_error)?;
		Ok(json!(attribution))
	}

	async fn load_adapter(&self, name: String) -> RpcResult<Value> {
		let took = self.service()?.load_adapter(&name).await.map_err(rpc_error)?;
		Ok(json!({ "name": name, "loadMs": took.as_secs_f64() * 1e3 }))
	}

	async fn unload_adapter(&self, name: String) -> RpcResult<bool> {
		self.service()?.unload_adapter(&name).await.map_err(rpc_error)
	}

	async fn stats(&self) -> RpcResult<Value> {
		let stats = self.service()?.stats().await.map_err(rpc_error)?;
		Ok(json!(stats))
	}
}
