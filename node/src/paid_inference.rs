//! Paid inference on the serving node, from a request held in escrow to its settlement.
//!
//! 1. A user puts a request in escrow (`feeSplit.requestInference`: model, blake2-256 of the
//!    prompt, most output tokens, `max_fee` held) and sends the prompt to this node with
//!    `inference_answerRequest` (or its streaming form, `inference_subscribeAnswerRequest`).
//! 2. The node checks the request on-chain (pending, not expired, the prompt's hash), finds the
//!    adapter of the model's deployed version among its adapters (by the adapter hash the version
//!    records), caps the answer so that its fee stays within `max_fee`, and answers.
//! 3. It writes the answer to its settlement store, computes the DataInf attribution of the answer
//!    over the adapter's training contributions with the native engine, and writes the
//!    [`PreparedSettlement`]. Both survive a restart: an answer whose attribution did not finish is
//!    attributed when the node comes back.
//! 4. The off-chain worker (`pallet-attribution-worker`) fetches the prepared settlements from the
//!    loopback endpoint this module serves and submits them signed with the worker key; settled,
//!    refunded and expired ones are dropped from the store when the endpoint is next asked.

use crate::inference_rpc::{rpc_error, NOT_ENABLED};
use codec::{Decode, Encode};
use futures::StreamExt;
use jsonrpsee::{
	core::{RpcResult, SubscriptionResult},
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
	PendingSubscriptionSink, SubscriptionMessage,
};
use openledger_inference::{
	engine::Event,
	manifest::{blake2_256, Manifest},
	sampling::SamplingParams,
	service::{ChatMessage, GenerateRequest, InferenceService, Prompt},
	Error,
};
use openledger_primitives::{PreparedSettlement, SETTLEMENTS_PATH, SETTLEMENT_ENDPOINT_KEY};
use openledger_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Runtime};
use pallet_fee_split::{runtime_api::FeeSplitApi, RequestStatus};
use pallet_model_registry::{runtime_api::ModelRegistryApi, ModelStatus};
use serde::Deserialize;
use serde_json::{json, Value};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{offchain::OffchainStorage, H256};
use std::{
	path::{Path, PathBuf},
	sync::Arc,
};

/// JSON-RPC error for a request the chain does not hold as pending, or whose prompt or fee does
/// not fit it.
pub const REQUEST_REFUSED: i32 = 5300;
/// Most contributions a settlement names (the runtime's `MaxContributionsPerOutput`).
const MAX_CONTRIBUTIONS: usize = 64;
/// Influence weights go on-chain in this fixed point (only their ratios matter).
const INFLUENCE_SCALE: f64 = 1e12;
/// Longest answer a request can ask for, whatever its `max_output_tokens`.
const MAX_ANSWER_TOKENS: u32 = 4096;
/// Attributions run one at a time: each is a forward and backward pass of the dense base, which
/// would exhaust memory and starve the answers if every answered request ran its own at once.
static ATTRIBUTION: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// An answered request whose attribution is not yet computed.
#[derive(Clone, Debug, Encode, Decode)]
struct Answered {
	request: H256,
	adapter: String,
	prompt: Vec<u32>,
	output: Vec<u32>,
	tokens_in: u32,
	tokens_out: u32,
	output_hash: H256,
}

/// Answers and prepared settlements on disk, one file per request: `<id>.answer` until the
/// attribution is done, then `<id>.settlement`. Files are written whole and renamed into place.
pub struct SettlementStore {
	dir: PathBuf,
}

impl SettlementStore {
	pub fn open(dir: PathBuf) -> std::io::Result<Self> {
		std::fs::create_dir_all(&dir)?;
		Ok(Self { dir })
	}

	fn path(&self, request: &H256, kind: &str) -> PathBuf {
		self.dir.join(format!("{request:x}.{kind}"))
	}

	fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
		let tmp = path.with_extension("tmp");
		std::fs::write(&tmp, bytes)?;
		std::fs::rename(tmp, path)
	}

	fn read_all<T: Decode>(&self, kind: &str) -> Vec<T> {
		let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
		let mut items = Vec::new();
		for entry in entries.flatten() {
			let path = entry.path();
			if path.extension().and_then(|e| e.to_str()) != Some(kind) {
				continue;
			}
			match std::fs::read(&path).map(|b| T::decode(&mut &b[..])) {
				Ok(Ok(item)) => items.push(item),
				_ => log::warn!(target: "attribution", "unreadable {}: skipped", path.display()),
			}
		}
		items
	}

	fn put_answer(&self, answer: &Answered) -> std::io::Result<()> {
		self.write(&self.path(&answer.request, "answer"), &answer.encode())
	}

	/// Records a prepared settlement, replacing its answer.
	pub fn put(&self, settlement: &PreparedSettlement) -> std::io::Result<()> {
		self.write(&self.path(&settlement.request, "settlement"), &settlement.encode())?;
		let _ = std::fs::remove_file(self.path(&settlement.request, "answer"));
		Ok(())
	}

	/// Whether the request was answered here (attributed or not).
	pub fn contains(&self, request: &H256) -> bool {
		self.path(request, "settlement").exists() || self.path(request, "answer").exists()
	}

	/// The prepared settlements, oldest request id first (a stable order).
	pub fn settlements(&self) -> Vec<PreparedSettlement> {
		let mut list: Vec<PreparedSettlement> = self.read_all("settlement");
		list.sort_by_key(|s| s.request);
		list
	}

	fn answers(&self) -> Vec<Answered> {
		self.read_all("answer")
	}

	pub fn remove(&self, request: &H256) {
		let _ = std::fs::remove_file(self.path(request, "settlement"));
		let _ = std::fs::remove_file(self.path(request, "answer"));
	}
}

/// What `inference_answerRequest` takes.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AnswerParams {
	/// The request's id in escrow.
	pub request: H256,
	/// The prompt, whose blake2-256 the request carries; answered as the user's chat message.
	pub prompt: String,
	#[serde(default)]
	pub temperature: f32,
	pub seed: Option<u64>,
}

#[rpc(server, namespace = "inference")]
pub trait PaidInferenceApi {
	/// Answers a request held in escrow; the node settles it on-chain afterwards.
	#[method(name = "answerRequest")]
	async fn answer_request(&self, params: AnswerParams) -> RpcResult<Value>;

	/// As `answerRequest`, streaming `{token, text}` items, then `{done}` (or `{error}`).
	#[subscription(
		name = "subscribeAnswerRequest" => "answerRequestItem",
		unsubscribe = "unsubscribeAnswerRequest",
		item = Value
	)]
	async fn subscribe_answer_request(&self, params: AnswerParams) -> SubscriptionResult;

	/// The settlements this node has prepared and not yet seen settled.
	#[method(name = "pendingSettlements")]
	fn pending_settlements(&self) -> RpcResult<Value>;
}

/// What answering a request was checked against and will be charged for.
struct Checked {
	adapter: String,
	prompt: Vec<u32>,
	max_tokens: u32,
	model: u32,
}

/// The JSON-RPC handler.
pub struct PaidInference<C> {
	client: Arc<C>,
	service: Option<InferenceService>,
	store: Arc<SettlementStore>,
}

impl<C> PaidInference<C> {
	pub fn new(
		client: Arc<C>,
		service: Option<InferenceService>,
		store: Arc<SettlementStore>,
	) -> Self {
		Self { client, service, store }
	}
}

fn refused(message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObject::owned(REQUEST_REFUSED, message.into(), None::<()>)
}

/// The adapter in `dir` whose manifest records `hash` as its weights' hash.
pub fn adapter_with_hash(dir: &Path, hash: &H256) -> Option<String> {
	let wanted = format!("{hash:?}");
	std::fs::read_dir(dir).ok()?.flatten().find_map(|entry| {
		let manifest = Manifest::read(&entry.path()).ok()?;
		(manifest.adapter_hash == wanted).then(|| entry.file_name().to_string_lossy().into_owned())
	})
}

impl<C> PaidInference<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: FeeSplitApi<Block, AccountId, Balance, BlockNumber>
		+ ModelRegistryApi<
			Block,
			pallet_model_registry::ModelOf<Runtime>,
			pallet_model_registry::VersionOf<Runtime>,
		>,
{
	fn service(&self) -> RpcResult<&InferenceService> {
		self.service.as_ref().ok_or_else(|| {
			ErrorObject::owned(NOT_ENABLED, "inference is not enabled on this node", None::<()>)
		})
	}

	/// Checks the request against the chain and the prompt; returns what to answer with.
	fn check(&self, params: &AnswerParams) -> RpcResult<Checked> {
		let service = self.service()?;
		let info = self.client.info();
		let (at, now) = (info.best_hash, info.best_number);
		let api = self.client.runtime_api();
		let chain = |e: sp_api::ApiError| refused(format!("reading the chain: {e}"));
		let record = api
			.request(at, params.request)
			.map_err(chain)?
			.ok_or_else(|| refused(format!("request {:?} is not in escrow", params.request)))?;
		if record.status != RequestStatus::Pending {
			return Err(refused(format!("request {:?} is already settled", params.request)));
		}
		if record.request.expires_at <= now {
			return Err(refused(format!("request {:?} has expired", params.request)));
		}
		if self.store.contains(&params.request) {
			return Err(refused(format!("request {:?} was already answered", params.request)));
		}
		if H256(blake2_256(params.prompt.as_bytes())) != record.request.prompt_hash {
			return Err(refused("the prompt's blake2-256 is not the request's `prompt_hash`"));
		}
		let model = record.request.model;
		let deployed = api
			.model(at, model)
			.map_err(chain)?
			.filter(|m| m.status == ModelStatus::Deployed)
			.and_then(|m| m.deployed_version)
			.ok_or_else(|| refused(format!("model {model} is not deployed")))?;
		let version = api
			.version(at, model, deployed)
			.map_err(chain)?
			.ok_or_else(|| refused(format!("model {model} has no version {deployed}")))?;
		let adapter =
			adapter_with_hash(service.adapters_dir(), &version.adapter_hash).ok_or_else(|| {
				refused(format!(
					"this node does not hold the adapter of model {model} version {deployed} ({:?})",
					version.adapter_hash
				))
			})?;
		let prompt = service.tokenize(&chat(&params.prompt)).map_err(rpc_error)?;
		let tokens_in = u32::try_from(prompt.len()).unwrap_or(u32::MAX);
		let fits = |out: u32| -> RpcResult<bool> {
			let quote = api.quote(at, model, tokens_in, out).map_err(chain)?;
			Ok(quote.is_some_and(|q| q.total <= record.request.max_fee))
		};
		// The longest answer whose fee stays within `max_fee` (the fee grows with the tokens).
		let (mut low, mut high) = (0u32, record.request.max_output_tokens.min(MAX_ANSWER_TOKENS));
		if !fits(high)? {
			while low < high {
				let mid = low + (high - low).div_ceil(2);
				if fits(mid)? {
					low = mid
				} else {
					high = mid - 1
				}
			}
			high = low;
		}
		if high == 0 {
			return Err(refused("`max_fee` does not cover the prompt and one answer token"));
		}
		Ok(Checked { adapter, prompt, max_tokens: high, model })
	}

	fn request_of(params: &AnswerParams, checked: &Checked) -> GenerateRequest {
		GenerateRequest {
			model: checked.adapter.clone(),
			prompt: chat(&params.prompt),
			sampling: SamplingParams {
				temperature: params.temperature,
				seed: params.seed,
				max_tokens: checked.max_tokens as usize,
				..SamplingParams::default()
			},
		}
	}

	/// Records the answer and attributes it in the background.
	fn answered(
		&self,
		params: &AnswerParams,
		checked: &Checked,
		finished: &openledger_inference::engine::Finished,
	) -> Value {
		let answer = Answered {
			request: params.request,
			adapter: checked.adapter.clone(),
			prompt: checked.prompt.clone(),
			output: finished.tokens.clone(),
			tokens_in: finished.prompt_tokens as u32,
			tokens_out: finished.completion_tokens as u32,
			output_hash: H256(blake2_256(finished.text.as_bytes())),
		};
		if let Err(e) = self.store.put_answer(&answer) {
			log::error!(target: "attribution", "recording the answer to {:?}: {e}", params.request);
		} else if let Some(service) = self.service.clone() {
			tokio::spawn(attribute(service, self.store.clone(), answer.clone()));
		}
		json!({
			"request": params.request,
			"model": checked.model,
			"adapter": checked.adapter,
			"text": finished.text,
			"tokensIn": answer.tokens_in,
			"tokensOut": answer.tokens_out,
			"maxTokens": checked.max_tokens,
			"outputHash": answer.output_hash,
			"finishReason": finished.reason,
		})
	}
}

fn chat(prompt: &str) -> Prompt {
	Prompt::Chat(vec![ChatMessage { role: "user".into(), content: prompt.to_string() }])
}

/// Attributes an answer with the native engine and stores its settlement. A failed attribution
/// still settles (the fee is charged, the contributors' share goes to the treasury): the user was
/// answered.
async fn attribute(service: InferenceService, store: Arc<SettlementStore>, answer: Answered) {
	// The semaphore is never closed, so acquiring only waits.
	let _turn = ATTRIBUTION.acquire().await;
	let influences = match service
		.explain(&answer.adapter, answer.prompt.clone(), answer.output.clone(), MAX_CONTRIBUTIONS)
		.await
	{
		Ok(attribution) => attribution
			.contributions
			.iter()
			.filter(|c| c.weight > 0.0)
			.map(|c| (c.id, (c.weight * INFLUENCE_SCALE).round() as i128))
			.filter(|(_, w)| *w > 0)
			.collect(),
		Err(e) => {
			log::warn!(target: "attribution", "attributing {:?}: {e}; settled without contributors", answer.request);
			Vec::new()
		}
	};
	let settlement = PreparedSettlement {
		request: answer.request,
		tokens_in: answer.tokens_in,
		tokens_out: answer.tokens_out,
		output_hash: answer.output_hash,
		influences,
	};
	match store.put(&settlement) {
		Ok(()) => log::info!(
			target: "attribution",
			"prepared the settlement of {:?}: {} contribution(s)",
			answer.request,
			settlement.influences.len()
		),
		Err(e) => {
			log::error!(target: "attribution", "storing the settlement of {:?}: {e}", answer.request)
		}
	}
}

/// Attributes the answers a previous run of the node left unattributed.
pub async fn resume(service: InferenceService, store: Arc<SettlementStore>) {
	for answer in store.answers() {
		attribute(service.clone(), store.clone(), answer).await;
	}
}

#[jsonrpsee::core::async_trait]
impl<C> PaidInferenceApiServer for PaidInference<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: FeeSplitApi<Block, AccountId, Balance, BlockNumber>
		+ ModelRegistryApi<
			Block,
			pallet_model_registry::ModelOf<Runtime>,
			pallet_model_registry::VersionOf<Runtime>,
		>,
{
	async fn answer_request(&self, params: AnswerParams) -> RpcResult<Value> {
		let checked = self.check(&params)?;
		let service = self.service()?;
		let mut generation =
			service.generate(Self::request_of(&params, &checked)).await.map_err(rpc_error)?;
		while let Some(event) = generation.events.next().await {
			match event {
				Event::Token { .. } => {}
				Event::Done(f) => return Ok(self.answered(&params, &checked, &f)),
				Event::Failed(e) => return Err(rpc_error(e)),
			}
		}
		Err(rpc_error(Error::Stopped))
	}

	async fn subscribe_answer_request(
		&self,
		pending: PendingSubscriptionSink,
		params: AnswerParams,
	) -> SubscriptionResult {
		let started = match self.check(&params) {
			Ok(checked) => match self.service() {
				Ok(service) => service
					.generate(Self::request_of(&params, &checked))
					.await
					.map(|g| (checked, g))
					.map_err(rpc_error),
				Err(e) => Err(e),
			},
			Err(e) => Err(e),
		};
		let (checked, mut generation) = match started {
			Ok(started) => started,
			Err(e) => {
				pending.reject(e).await;
				return Ok(());
			}
		};
		let sink = pending.accept().await?;
		// Once accepted, the answer is finished and settled even if the subscriber leaves: the
		// user's fee is held for it.
		let mut listening = true;
		while let Some(event) = generation.events.next().await {
			let (item, last) = match event {
				Event::Token { id, text } => (json!({ "token": id, "text": text }), false),
				Event::Done(f) => (json!({ "done": self.answered(&params, &checked, &f) }), true),
				Event::Failed(e) => (json!({ "error": e.to_string() }), true),
			};
			if listening {
				let message = SubscriptionMessage::from_json(&item)?;
				listening = sink.send(message).await.is_ok();
			}
			if last {
				break;
			}
		}
		Ok(())
	}

	fn pending_settlements(&self) -> RpcResult<Value> {
		Ok(json!(self
			.store
			.settlements()
			.iter()
			.map(|s| json!({
				"request": s.request,
				"tokensIn": s.tokens_in,
				"tokensOut": s.tokens_out,
				"outputHash": s.output_hash,
				"influences": s.influences.iter().map(|(id, i)| json!([id, i.to_string()])).collect::<Vec<_>>(),
			}))
			.collect::<Vec<_>>()))
	}
}

/// Serves the prepared settlements to the off-chain worker on a loopback port, and publishes the
/// URL in the offchain storage. Settlements the chain no longer holds as pending (settled,
/// refunded, expired) are dropped from the store as they are listed.
pub async fn serve_settlements<C, S>(client: Arc<C>, mut storage: S, store: Arc<SettlementStore>)
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: FeeSplitApi<Block, AccountId, Balance, BlockNumber>,
	S: OffchainStorage + 'static,
{
	let listener = match tokio::net::TcpListener::bind(("127.0.0.1", 0)).await {
		Ok(l) => l,
		Err(e) => {
			log::error!(target: "attribution", "settlement endpoint: cannot listen: {e}");
			return;
		}
	};
	let Ok(addr) = listener.local_addr() else { return };
	let url = format!("http://{addr}");
	storage.set(sp_offchain::STORAGE_PREFIX, SETTLEMENT_ENDPOINT_KEY, url.as_bytes());
	log::info!(target: "attribution", "settlements for the off-chain worker at {url}{SETTLEMENTS_PATH}");
	loop {
		let Ok((stream, _)) = listener.accept().await else { continue };
		let (client, store) = (client.clone(), store.clone());
		tokio::spawn(async move {
			let io = hyper_util::rt::TokioIo::new(stream);
			let handler = hyper::service::service_fn(move |request: hyper::Request<_>| {
				let (client, store) = (client.clone(), store.clone());
				async move {
					let response = if request.uri().path() == SETTLEMENTS_PATH {
						let live = live_settlements(&*client, &store);
						hyper::Response::new(http_body_util::Full::new(bytes::Bytes::from(
							live.encode(),
						)))
					} else {
						let mut r =
							hyper::Response::new(http_body_util::Full::new(bytes::Bytes::new()));
						*r.status_mut() = hyper::StatusCode::NOT_FOUND;
						r
					};
					Ok::<_, std::convert::Infallible>(response)
				}
			});
			let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, handler).await;
		});
	}
}

/// The stored settlements still pending on-chain; drops the others.
fn live_settlements<C>(client: &C, store: &SettlementStore) -> Vec<PreparedSettlement>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
	C::Api: FeeSplitApi<Block, AccountId, Balance, BlockNumber>,
{
	let at = client.info().best_hash;
	let api = client.runtime_api();
	store
		.settlements()
		.into_iter()
		.filter(|s| match api.request(at, s.request) {
			Ok(Some(r)) if r.status == RequestStatus::Pending => true,
			Ok(_) => {
				store.remove(&s.request);
				false
			}
			// The chain could not be read: keep it for the next time.
			Err(_) => true,
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn settlement(byte: u8) -> PreparedSettlement {
		PreparedSettlement {
			request: H256::repeat_byte(byte),
			tokens_in: 10,
			tokens_out: 20,
			output_hash: H256::repeat_byte(9),
			influences: vec![(3, 700), (1, 300)],
		}
	}

	#[test]
	fn store_keeps_answers_and_settlements_across_reopening() {
		let dir = std::env::temp_dir().join(format!("settlements-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		let store = SettlementStore::open(dir.clone()).unwrap();
		let answer = Answered {
			request: H256::repeat_byte(2),
			adapter: "a".into(),
			prompt: vec![1, 2],
			output: vec![3],
			tokens_in: 2,
			tokens_out: 1,
			output_hash: H256::zero(),
		};
		store.put_answer(&answer).unwrap();
		store.put(&settlement(1)).unwrap();
		assert!(store.contains(&H256::repeat_byte(2)));

		let reopened = SettlementStore::open(dir.clone()).unwrap();
		assert_eq!(reopened.answers().len(), 1);
		assert_eq!(reopened.settlements(), vec![settlement(1)]);
		// Attributing the answer replaces it with its settlement.
		reopened.put(&settlement(2)).unwrap();
		assert!(reopened.answers().is_empty());
		assert_eq!(reopened.settlements().len(), 2);
		reopened.remove(&H256::repeat_byte(1));
		assert_eq!(reopened.settlements(), vec![settlement(2)]);
		// A corrupt file is skipped, not fatal.
		std::fs::write(dir.join(format!("{}.settlement", "ff".repeat(32))), b"junk").unwrap();
		assert_eq!(reopened.settlements().len(), 1);
		let _ = std::fs::remove_dir_all(&dir);
	}
}
