//! Paid inference on the serving node, from a request held in escrow to its settlement.
//!
//! 1. A user puts a request in escrow (`feeSplit.requestInference`: model, blake2-256 of the
//!    prompt, most output tokens, `max_fee` held) and sends the prompt to this node with
//!    `inference_answerRequest` (or its streaming form, `inference_subscribeAnswerRequest`).
//!    Or the user signs the request off-chain (`feeSplit` runtime API `signingDigest`) and sends
//!    it with the prompt: the node asks the runtime whether `submitSignedRequest` would take it
//!    now (signature, expiry, model, the user's balance less what this node has answered for
//!    them and not yet brought on-chain), answers at once, and its off-chain worker puts the
//!    request in escrow just before settling it.
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
use sp_runtime::{DispatchError, MultiSignature};
use std::{
	collections::HashMap,
	path::{Path, PathBuf},
	sync::{Arc, Mutex},
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
	/// The off-chain signed request, for the worker to put in escrow (see [`PreparedSettlement`]).
	signed_request: Option<Vec<u8>>,
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

/// What `inference_answerRequest` takes: `request` (an id in escrow) or `signedRequest`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AnswerParams {
	/// The request's id in escrow.
	#[serde(default)]
	pub request: Option<H256>,
	/// A request the user signed off-chain, for this node to bring on-chain.
	#[serde(default)]
	pub signed_request: Option<SignedRequest>,
	/// The prompt, whose blake2-256 the request carries; answered as the user's chat message.
	pub prompt: String,
	#[serde(default)]
	pub temperature: f32,
	pub seed: Option<u64>,
}

/// A request the user signed off-chain: the fields of `feeSplit.InferenceRequest`, the user,
/// and their signature over the request's signing digest (bare or wallet-wrapped).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SignedRequest {
	pub request: RequestFields,
	/// SS58 address.
	pub user: AccountId,
	/// A 64-byte sr25519 signature, or a SCALE-encoded `MultiSignature`.
	pub signature: sp_core::Bytes,
}

/// `feeSplit.InferenceRequest` in JSON; `maxFee` in the smallest unit, as a string or number.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RequestFields {
	pub model: u32,
	pub prompt_hash: H256,
	pub max_output_tokens: u32,
	#[serde(deserialize_with = "balance")]
	pub max_fee: Balance,
	pub nonce: u64,
	pub expires_at: BlockNumber,
}

type InferenceRequest = pallet_fee_split::InferenceRequest<Balance, BlockNumber>;

impl From<&RequestFields> for InferenceRequest {
	fn from(r: &RequestFields) -> Self {
		Self {
			model: r.model,
			prompt_hash: r.prompt_hash,
			max_output_tokens: r.max_output_tokens,
			max_fee: r.max_fee,
			nonce: r.nonce,
			expires_at: r.expires_at,
		}
	}
}

fn balance<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Balance, D::Error> {
	use serde::de::Error as _;
	match Value::deserialize(d)? {
		Value::String(s) => s.parse().map_err(D::Error::custom),
		Value::Number(n) => n.as_u64().map(Balance::from).ok_or_else(|| {
			D::Error::custom("a balance above 2^64 must be given as a string of digits")
		}),
		other => Err(D::Error::custom(format!("a balance, not {other}"))),
	}
}

impl SignedRequest {
	fn signature(&self) -> Result<MultiSignature, ErrorObjectOwned> {
		let bytes = &self.signature.0;
		if let Ok(raw) = <[u8; 64]>::try_from(bytes.as_slice()) {
			return Ok(MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw(raw)));
		}
		MultiSignature::decode(&mut &bytes[..]).map_err(|_| {
			refused("`signature`: neither 64 sr25519 bytes nor a SCALE MultiSignature")
		})
	}
}

/// The expiry of a SCALE-encoded signed request (`PreparedSettlement::signed_request`).
fn signed_request_expiry(bytes: &[u8]) -> Option<BlockNumber> {
	<(InferenceRequest, AccountId, MultiSignature)>::decode(&mut &bytes[..])
		.ok()
		.map(|(request, _, _)| request.expires_at)
}

/// A signed request this node answered and has not yet seen in escrow: its max fee counts
/// against the user's balance when they send another.
struct Unopened {
	user: AccountId,
	max_fee: Balance,
	expires_at: BlockNumber,
}

/// Why the chain would refuse a request, by the fee pallet's error name where it is one.
fn refusal_reason(error: DispatchError) -> String {
	match error {
		DispatchError::Module(m) => pallet_fee_split::Error::<Runtime>::decode(&mut &m.error[..])
			.map(|e| format!("{e:?}"))
			.unwrap_or_else(|_| format!("{error:?}")),
		other => format!("{other:?}"),
	}
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
	/// The request's id (in escrow, or once the signed request is).
	request: H256,
	signed_request: Option<Vec<u8>>,
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
	unopened: Arc<Mutex<HashMap<H256, Unopened>>>,
}

impl<C> Clone for PaidInference<C> {
	fn clone(&self) -> Self {
		Self {
			client: self.client.clone(),
			service: self.service.clone(),
			store: self.store.clone(),
			unopened: self.unopened.clone(),
		}
	}
}

impl<C> PaidInference<C> {
	pub fn new(
		client: Arc<C>,
		service: Option<InferenceService>,
		store: Arc<SettlementStore>,
	) -> Self {
		Self { client, service, store, unopened: Default::default() }
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
		let (id, request, signed_request) = match (&params.request, &params.signed_request) {
			(Some(id), None) => {
				let record = api
					.request(at, *id)
					.map_err(chain)?
					.ok_or_else(|| refused(format!("request {id:?} is not in escrow")))?;
				if record.status != RequestStatus::Pending {
					return Err(refused(format!("request {id:?} is already settled")));
				}
				(*id, record.request, None)
			}
			(None, Some(signed)) => self.check_signed(signed, at, now)?,
			_ => {
				return Err(refused(
					"give either `request` (an id in escrow) or `signedRequest`, not both",
				))
			}
		};
		if request.expires_at <= now {
			return Err(refused(format!("request {id:?} has expired")));
		}
		if self.store.contains(&id) {
			return Err(refused(format!("request {id:?} was already answered")));
		}
		if H256(blake2_256(params.prompt.as_bytes())) != request.prompt_hash {
			return Err(refused("the prompt's blake2-256 is not the request's `prompt_hash`"));
		}
		let model = request.model;
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
			Ok(quote.is_some_and(|q| q.total <= request.max_fee))
		};
		// The longest answer whose fee stays within `max_fee` (the fee grows with the tokens).
		let (mut low, mut high) = (0u32, request.max_output_tokens.min(MAX_ANSWER_TOKENS));
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
		if let (Some(signed), Some(_)) = (&params.signed_request, &signed_request) {
			// Counted against the user's balance from now on, until it is in escrow.
			self.unopened.lock().unwrap_or_else(|e| e.into_inner()).insert(
				id,
				Unopened {
					user: signed.user.clone(),
					max_fee: request.max_fee,
					expires_at: request.expires_at,
				},
			);
		}
		Ok(Checked { request: id, signed_request, adapter, prompt, max_tokens: high, model })
	}

	/// A signed request: its id, the request and its SCALE encoding for the worker, if the
	/// chain would take it now. One already in escrow is answered as such.
	#[allow(clippy::type_complexity)]
	fn check_signed(
		&self,
		signed: &SignedRequest,
		at: H256,
		now: BlockNumber,
	) -> RpcResult<(H256, InferenceRequest, Option<Vec<u8>>)> {
		let api = self.client.runtime_api();
		let chain = |e: sp_api::ApiError| refused(format!("reading the chain: {e}"));
		let request = InferenceRequest::from(&signed.request);
		let id = api.request_id(at, signed.user.clone(), request.clone()).map_err(chain)?;
		match api.request(at, id).map_err(chain)? {
			Some(record) if record.status == RequestStatus::Pending => {
				return Ok((id, record.request, None))
			}
			Some(_) => return Err(refused(format!("request {id:?} is already settled"))),
			None => {}
		}
		let signature = signed.signature()?;
		let mut unopened = self.unopened.lock().unwrap_or_else(|e| e.into_inner());
		unopened.retain(|other, u| {
			u.expires_at > now && api.request(at, *other).map(|r| r.is_none()).unwrap_or(true)
		});
		if unopened.contains_key(&id) {
			return Err(refused(format!("request {id:?} was already answered")));
		}
		let also_held = unopened
			.values()
			.filter(|u| u.user == signed.user)
			.fold(0, |sum: Balance, u| sum.saturating_add(u.max_fee));
		api.check_signed_request(
			at,
			request.clone(),
			signed.user.clone(),
			signature.encode(),
			also_held,
		)
		.map_err(chain)?
		.map_err(|e| {
			refused(format!("the chain would not take this signed request: {}", refusal_reason(e)))
		})?;
		let encoded = (request.clone(), signed.user.clone(), signature).encode();
		Ok((id, request, Some(encoded)))
	}

	/// Checks the request and starts answering it (see [`PaidGeneration`]).
	pub async fn start_answer(&self, params: AnswerParams) -> RpcResult<PaidGeneration> {
		let checked = self.check(&params)?;
		let mut generation = self
			.service()?
			.generate(Self::request_of(&params, &checked))
			.await
			.map_err(rpc_error)?;
		let (forward, events) = futures::channel::mpsc::unbounded();
		let mut engine_events = std::mem::replace(&mut generation.events, events);
		let (answer_tx, answer) = tokio::sync::oneshot::channel();
		let adapter = checked.adapter.clone();
		let this = self.clone();
		tokio::spawn(async move {
			let mut answer_tx = Some(answer_tx);
			while let Some(event) = engine_events.next().await {
				let last = !matches!(event, Event::Token { .. });
				if let Event::Done(f) = &event {
					let record = this.answered(&checked, f);
					if let Some(tx) = answer_tx.take() {
						let _ = tx.send(record);
					}
				}
				// The listener may have gone: the answer is recorded all the same.
				let _ = forward.unbounded_send(event);
				if last {
					break;
				}
			}
		});
		Ok(PaidGeneration { generation, answer, adapter })
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
		checked: &Checked,
		finished: &openledger_inference::engine::Finished,
	) -> Value {
		let answer = Answered {
			request: checked.request,
			adapter: checked.adapter.clone(),
			prompt: checked.prompt.clone(),
			output: finished.tokens.clone(),
			tokens_in: finished.prompt_tokens as u32,
			tokens_out: finished.completion_tokens as u32,
			output_hash: H256(blake2_256(finished.text.as_bytes())),
			signed_request: checked.signed_request.clone(),
		};
		if let Err(e) = self.store.put_answer(&answer) {
			log::error!(target: "attribution", "recording the answer to {:?}: {e}", checked.request);
		} else if let Some(service) = self.service.clone() {
			tokio::spawn(attribute(service, self.store.clone(), answer.clone()));
		}
		json!({
			"request": checked.request,
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

/// An answer under way to a paid request: the generation's events, and the answer's record
/// (what `inference_answerRequest` returns) once it is done. The answer is finished, recorded
/// and settled even if nobody listens to the events any more: the user's fee is held for it.
pub struct PaidGeneration {
	pub generation: openledger_inference::service::Generation,
	pub answer: tokio::sync::oneshot::Receiver<Value>,
	/// The adapter that answers.
	pub adapter: String,
}

/// Paid answers for the OpenAI-compatible API, whatever the client's type.
pub trait PaidAnswers: Send + Sync {
	fn start(
		&self,
		params: AnswerParams,
	) -> futures::future::BoxFuture<'_, Result<PaidGeneration, ErrorObjectOwned>>;
}

impl<C> PaidAnswers for PaidInference<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: FeeSplitApi<Block, AccountId, Balance, BlockNumber>
		+ ModelRegistryApi<
			Block,
			pallet_model_registry::ModelOf<Runtime>,
			pallet_model_registry::VersionOf<Runtime>,
		>,
{
	fn start(
		&self,
		params: AnswerParams,
	) -> futures::future::BoxFuture<'_, Result<PaidGeneration, ErrorObjectOwned>> {
		Box::pin(self.start_answer(params))
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
		signed_request: answer.signed_request,
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
		let PaidGeneration { mut generation, answer, .. } = self.start_answer(params).await?;
		while let Some(event) = generation.events.next().await {
			match event {
				Event::Token { .. } => {}
				Event::Done(_) => return answer.await.map_err(|_| rpc_error(Error::Stopped)),
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
		let PaidGeneration { mut generation, mut answer, .. } =
			match self.start_answer(params).await {
				Ok(started) => started,
				Err(e) => {
					pending.reject(e).await;
					return Ok(());
				}
			};
		let sink = pending.accept().await?;
		while let Some(event) = generation.events.next().await {
			let item = match event {
				Event::Token { id, text } => json!({ "token": id, "text": text }),
				// The record is sent before the event is forwarded.
				Event::Done(_) => json!({ "done": answer.try_recv().unwrap_or(Value::Null) }),
				Event::Failed(e) => json!({ "error": e.to_string() }),
			};
			if sink.send(SubscriptionMessage::from_json(&item)?).await.is_err() {
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
				"signedOffChain": s.signed_request.is_some(),
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
	let info = client.info();
	let (at, now) = (info.best_hash, info.best_number);
	let api = client.runtime_api();
	// A signed request not yet in escrow is live until it expires: the worker brings it.
	let unopened_and_live = |s: &PreparedSettlement| {
		s.signed_request.as_deref().and_then(signed_request_expiry).is_some_and(|e| e > now)
	};
	store
		.settlements()
		.into_iter()
		.filter(|s| match api.request(at, s.request) {
			Ok(Some(r)) if r.status == RequestStatus::Pending => true,
			Ok(None) if unopened_and_live(s) => true,
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
			signed_request: None,
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
			signed_request: Some(vec![7; 3]),
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

	#[test]
	fn a_signed_request_reads_as_the_chain_encodes_it() {
		let json = serde_json::json!({
			"request": {
				"model": 3, "promptHash": format!("{:?}", H256::repeat_byte(1)), "maxOutputTokens": 16,
				"maxFee": "1000000000000000000000", "nonce": 5, "expiresAt": 90,
			},
			"user": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
			"signature": format!("0x{}", "11".repeat(64)),
		});
		let signed: SignedRequest = serde_json::from_value(json).unwrap();
		assert_eq!(signed.request.max_fee, 1_000 * 10u128.pow(18));
		let signature = signed.signature().unwrap();
		assert!(matches!(signature, MultiSignature::Sr25519(_)));
		// What the worker decodes: (request, signer, signature), and the expiry from it.
		let encoded =
			(InferenceRequest::from(&signed.request), signed.user.clone(), signature).encode();
		assert_eq!(signed_request_expiry(&encoded), Some(90));
		assert_eq!(signed_request_expiry(&encoded[1..]), None);
		// A SCALE MultiSignature is taken too; anything else is refused.
		let scale = MultiSignature::Ed25519(sp_core::ed25519::Signature::from_raw([2; 64]));
		let signed = SignedRequest { signature: scale.encode().into(), ..signed };
		assert_eq!(signed.signature().unwrap(), scale);
		let signed = SignedRequest { signature: vec![1, 2, 3].into(), ..signed };
		assert!(signed.signature().is_err());
		// Large balances only as strings.
		let too_big = serde_json::json!({ "model": 0, "promptHash": format!("{:?}", H256::zero()),
			"maxOutputTokens": 1, "maxFee": 1e30, "nonce": 0, "expiresAt": 1 });
		assert!(serde_json::from_value::<RequestFields>(too_big).is_err());
	}
}
