//! Answering paid requests: the quote a user signs (`inference_quoteRequest`), the checks
//! against the chain, admission, the answer, its record and the receipt signed with the worker
//! key, for the JSON-RPC (`inference_answerRequest`, `inference_subscribeAnswerRequest`,
//! `inference_pendingSettlements`) and the OpenAI-compatible API ([`PaidAnswers`]).

use crate::{
	paid::{
		admission::Admission,
		attribution_queue::AttributionQueue,
		request::{AnswerParams, InferenceRequest, SignedRequest},
		store::{Answered, Reservation, SettlementStore},
	},
	serving::{
		error::{ServingError, ServingResult},
		rpc::GenerationItem,
	},
};
use codec::{Decode, Encode};
use futures::StreamExt;
use jsonrpsee::{
	core::{RpcResult, SubscriptionResult},
	proc_macros::rpc,
	PendingSubscriptionSink, SubscriptionMessage,
};
use openledger_inference::{
	serving::{
		engine::{Event, FinishReason, Finished},
		sampling::SamplingParams,
		service::{ChatMessage, GenerateRequest, Generation, InferenceService, Prompt},
	},
	training::manifest::{blake2_256, Manifest},
};
use openledger_primitives::{receipt_digest, ContributionId, Receipt};
use openledger_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Runtime};
use pallet_attribution::runtime_api::AttributionApi;
use pallet_fee_split::{runtime_api::FeeSplitApi, RequestStatus};
use pallet_model_registry::{runtime_api::ModelRegistryApi, ModelStatus};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{sr25519, H256};
use sp_keystore::KeystorePtr;
use sp_runtime::DispatchError;
use std::{path::Path, sync::Arc};

/// Longest answer a request can ask for, whatever its `max_output_tokens`.
const MAX_ANSWER_TOKENS: u32 = 4096;
/// Most settlements `inference_pendingSettlements` lists.
pub const MAX_LISTED_SETTLEMENTS: usize = 256;

/// What answering a request was checked against and will be charged for.
struct Checked {
	/// The request's id (in escrow, or once the signed request is).
	request: H256,
	signed_request: Option<Vec<u8>>,
	adapter: String,
	adapter_hash: H256,
	/// The prompt as the user sent it (its blake2-256 is the request's `prompt_hash`).
	prompt_text: String,
	prompt: Vec<u32>,
	max_tokens: u32,
	model: u32,
	version: u32,
	/// This node's worker key that the user named: it signs the receipt and settles.
	worker: sr25519::Public,
}

/// What a user signs a paid request with, as `inference_quoteRequest` answers.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestQuote {
	pub model: u32,
	/// The deployed version, whose tokenizer counted the prompt.
	pub version: u32,
	pub tokenizer_hash: H256,
	/// blake2-256 of the prompt: the request's `promptHash`.
	pub prompt_hash: H256,
	/// The prompt's tokens as this node answers it (chat template included): the request's
	/// `tokensIn`, the count that is charged.
	pub tokens_in: u32,
	/// This node's workers that serve the model: name one in the request's `workers`.
	pub workers: Vec<AccountId>,
	/// The fee of the longest answer asked for: enough as the request's `maxFee`.
	pub max_fee: String,
}

/// What the worker signs and hands the user with every paid answer: the user's proof, on-chain,
/// of the answer they got (`attribution.disputeReceipt`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedReceipt {
	pub request: H256,
	pub model: u32,
	pub version: u32,
	pub adapter_hash: H256,
	pub tokens_in: u32,
	pub tokens_out: u32,
	pub output_hash: H256,
	/// The worker that signed it (and settles the request).
	pub worker: AccountId,
	/// sr25519 over `openledger_primitives::receipt_digest` of the receipt.
	pub signature: sp_core::Bytes,
}

#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QuoteParams {
	pub model: u32,
	/// The prompt, answered as the user's chat message.
	pub prompt: String,
	pub max_output_tokens: u32,
}

/// The record of an answer to a paid request, as the RPC and the OpenAI API return it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaidAnswer {
	pub request: H256,
	pub model: u32,
	pub adapter: String,
	pub text: String,
	pub tokens_in: u32,
	pub tokens_out: u32,
	pub max_tokens: u32,
	pub output_hash: H256,
	pub finish_reason: FinishReason,
	/// The worker's signed receipt of this answer.
	pub receipt: SignedReceipt,
}

/// A prepared settlement, as `inference_pendingSettlements` lists it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingSettlement {
	pub request: H256,
	pub version: u32,
	pub tokens_out: u32,
	pub output_hash: H256,
	/// (contribution, influence in fixed point, as a decimal string).
	pub influences: Vec<(ContributionId, String)>,
	pub signed_off_chain: bool,
}

/// What `inference_pendingSettlements` returns.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingSettlements {
	/// The first [`MAX_LISTED_SETTLEMENTS`], oldest request id first.
	pub settlements: Vec<PendingSettlement>,
	/// How many there are in all.
	pub total: usize,
	/// Files of the settlement store that could not be read and were quarantined.
	pub quarantined: usize,
}

#[rpc(server, namespace = "inference")]
pub trait PaidInferenceApi {
	/// What to sign a paid request of `prompt` with: its hash and token count with the deployed
	/// version's tokenizer, this node's workers, and the fee of the longest answer.
	#[method(name = "quoteRequest")]
	fn quote_request(&self, params: QuoteParams) -> RpcResult<RequestQuote>;

	/// Answers a request held in escrow, or signed off-chain; the node settles it on-chain
	/// afterwards.
	#[method(name = "answerRequest")]
	async fn answer_request(&self, params: AnswerParams) -> RpcResult<PaidAnswer>;

	/// As `answerRequest`, streaming `{token, text}` items, then `{done}` (or `{error}`).
	#[subscription(
		name = "subscribeAnswerRequest" => "answerRequestItem",
		unsubscribe = "unsubscribeAnswerRequest",
		item = GenerationItem<Option<PaidAnswer>>
	)]
	async fn subscribe_answer_request(&self, params: AnswerParams) -> SubscriptionResult;

	/// The settlements this node has prepared and not yet seen settled.
	#[method(name = "pendingSettlements")]
	fn pending_settlements(&self) -> RpcResult<PendingSettlements>;
}

/// The paid-inference handler.
pub struct PaidInference<C> {
	client: Arc<C>,
	service: Option<InferenceService>,
	store: Arc<SettlementStore>,
	admission: Arc<Admission>,
	attribution: AttributionQueue,
	/// Holds the worker keys that sign receipts (and, through the feed, settlements).
	keystore: KeystorePtr,
}

impl<C> Clone for PaidInference<C> {
	fn clone(&self) -> Self {
		Self {
			client: self.client.clone(),
			service: self.service.clone(),
			store: self.store.clone(),
			admission: self.admission.clone(),
			attribution: self.attribution.clone(),
			keystore: self.keystore.clone(),
		}
	}
}

impl<C> PaidInference<C> {
	pub fn new(
		client: Arc<C>,
		service: Option<InferenceService>,
		store: Arc<SettlementStore>,
		admission: Arc<Admission>,
		attribution: AttributionQueue,
		keystore: KeystorePtr,
	) -> Self {
		Self { client, service, store, admission, attribution, keystore }
	}

	/// The worker keys this node holds.
	fn worker_keys(&self) -> Vec<sr25519::Public> {
		self.keystore.sr25519_public_keys(pallet_attribution_worker::KEY_TYPE)
	}
}

/// The adapter in `dir` whose manifest records `hash` as its weights' hash.
pub fn adapter_with_hash(dir: &Path, hash: &H256) -> Option<String> {
	let wanted = format!("{hash:?}");
	std::fs::read_dir(dir).ok()?.flatten().find_map(|entry| {
		let manifest = Manifest::read(&entry.path()).ok()?;
		(manifest.adapter_hash == wanted).then(|| entry.file_name().to_string_lossy().into_owned())
	})
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

fn chat(prompt: &str) -> Prompt {
	Prompt::Chat(vec![ChatMessage { role: "user".into(), content: prompt.to_string() }])
}

impl<C> PaidInference<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: FeeSplitApi<Block, AccountId, Balance, BlockNumber>
		+ ModelRegistryApi<
			Block,
			pallet_model_registry::ModelOf<Runtime>,
			pallet_model_registry::VersionOf<Runtime>,
			AccountId,
			pallet_model_registry::StakerInfoOf<Runtime>,
		> + AttributionApi<
			Block,
			AccountId,
			Balance,
			pallet_attribution::RecordOf<Runtime>,
			pallet_attribution::WorkerOf<Runtime>,
		>,
{
	fn service(&self) -> ServingResult<&InferenceService> {
		self.service.as_ref().ok_or(ServingError::NotEnabled)
	}

	/// Checks the request against the chain and the prompt, and reserves it; returns what to
	/// answer with. Every refusal comes before the reservation, which is the last step.
	fn check(&self, params: &AnswerParams) -> ServingResult<Checked> {
		let service = self.service()?;
		let info = self.client.info();
		let (at, now) = (info.best_hash, info.best_number);
		let api = self.client.runtime_api();
		let (id, request, signed) = match (&params.request, &params.signed_request) {
			(Some(id), None) => {
				let record = api.request(at, *id)?.ok_or_else(|| {
					ServingError::refused(format!("request {id:?} is not in escrow"))
				})?;
				if record.status != RequestStatus::Pending {
					return Err(ServingError::refused(format!(
						"request {id:?} is already settled"
					)));
				}
				(*id, record.request, None)
			}
			(None, Some(signed)) => self.signed(signed, at)?,
			_ => {
				return Err(ServingError::refused(
					"give either `request` (an id in escrow) or `signedRequest`, not both",
				))
			}
		};
		if request.expires_at <= now {
			return Err(ServingError::refused(format!("request {id:?} has expired")));
		}
		if H256(blake2_256(params.prompt.as_bytes())) != request.prompt_hash {
			return Err(ServingError::refused(
				"the prompt's blake2-256 is not the request's `prompt_hash`",
			));
		}
		let model = request.model;
		let (deployed, version) = self.deployed_version(at, model)?;
		let adapter =
			adapter_with_hash(service.adapters_dir(), &version.adapter_hash).ok_or_else(|| {
				ServingError::refused(format!(
					"this node does not hold the adapter of model {model} version {deployed} ({:?})",
					version.adapter_hash
				))
			})?;
		let worker = self.chosen_worker(at, model, &request.workers)?;
		let prompt = service.tokenize(&chat(&params.prompt))?;
		let tokens_in = u32::try_from(prompt.len()).unwrap_or(u32::MAX);
		// The count the user signed is the one charged: answering a larger prompt for it would
		// serve tokens nobody pays for, and a smaller one would overcharge the user.
		if tokens_in != request.tokens_in {
			return Err(ServingError::refused(format!(
				"the prompt is {tokens_in} tokens with model {model}'s tokenizer, the request says \
				 {} (ask `inference_quoteRequest`)",
				request.tokens_in
			)));
		}
		let fits = |out: u32| -> ServingResult<bool> {
			let quote = api.quote(at, model, tokens_in, out)?;
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
			return Err(ServingError::refused(
				"`max_fee` does not cover the prompt and one answer token",
			));
		}
		// Last: the reservation, atomically with the balance check of a signed request.
		let reservation = Reservation {
			signed_by: signed.as_ref().map(|(user, _)| user.clone()),
			max_fee: request.max_fee,
			expires_at: request.expires_at,
		};
		let in_escrow =
			|other: &H256| api.request(at, *other).map(|r| r.is_some()).unwrap_or(false);
		let chain_check = |also_held: Balance| -> ServingResult<()> {
			match &signed {
				Some((user, signature)) => api
					.check_signed_request(
						at,
						request.clone(),
						user.clone(),
						signature.encode(),
						also_held,
					)?
					.map_err(|e| {
						ServingError::refused(format!(
							"the chain would not take this signed request: {}",
							refusal_reason(e)
						))
					})
					.map(|_| ()),
				None => Ok(()),
			}
		};
		self.admission.reserve(id, reservation, now, in_escrow, chain_check)?;
		let signed_request =
			signed.map(|(user, signature)| (request.clone(), user, signature).encode());
		Ok(Checked {
			request: id,
			signed_request,
			adapter,
			adapter_hash: version.adapter_hash,
			prompt_text: params.prompt.clone(),
			prompt,
			max_tokens: high,
			model,
			version: deployed,
			worker,
		})
	}

	/// The deployed version of `model` and its provenance, if this node counts its tokens as
	/// the version does (its tokenizer hash is this node's).
	fn deployed_version(
		&self,
		at: H256,
		model: u32,
	) -> ServingResult<(u32, pallet_model_registry::VersionOf<Runtime>)> {
		let api = self.client.runtime_api();
		let deployed = api
			.model(at, model)?
			.filter(|m| m.status == ModelStatus::Deployed)
			.and_then(|m| m.deployed_version)
			.ok_or_else(|| ServingError::refused(format!("model {model} is not deployed")))?;
		let version = api.version(at, model, deployed)?.ok_or_else(|| {
			ServingError::refused(format!("model {model} has no version {deployed}"))
		})?;
		let ours = H256(self.service()?.loaded().tokenizer_hash);
		if version.tokenizer_hash != ours {
			return Err(ServingError::refused(format!(
				"model {model} version {deployed} counts tokens with tokenizer {:?}; this \
				 node's is {ours:?}",
				version.tokenizer_hash
			)));
		}
		Ok((deployed, version))
	}

	/// One of this node's worker keys that serves `model` on-chain and that the user named.
	fn chosen_worker(
		&self,
		at: H256,
		model: u32,
		named: &[AccountId],
	) -> ServingResult<sr25519::Public> {
		self.serving_workers(at, model)?
			.into_iter()
			.find(|key| named.contains(&AccountId::from(key.0)))
			.ok_or_else(|| {
				ServingError::refused(format!(
					"the request names none of this node's workers for model {model} (ask \
					 `inference_quoteRequest`)"
				))
			})
	}

	/// This node's worker keys registered on-chain as serving `model`, not leaving, and allowed
	/// by the model's owner.
	fn serving_workers(&self, at: H256, model: u32) -> ServingResult<Vec<sr25519::Public>> {
		let api = self.client.runtime_api();
		let mut serving = Vec::new();
		for key in self.worker_keys() {
			let account = AccountId::from(key.0);
			let worker = api.worker(at, account.clone())?;
			// Registered, serving the model, not leaving, and with the owner's consent now: a
			// request it could not settle is not answered.
			if worker.is_some_and(|w| w.unbonding_until.is_none() && w.models.contains(&model))
				&& api.may_serve(at, model, account)?
			{
				serving.push(key);
			}
		}
		Ok(serving)
	}

	/// What `inference_quoteRequest` answers.
	pub fn quote(&self, params: &QuoteParams) -> ServingResult<RequestQuote> {
		let service = self.service()?;
		let info = self.client.info();
		let at = info.best_hash;
		let api = self.client.runtime_api();
		let model = params.model;
		let (version, info) = self.deployed_version(at, model)?;
		let workers: Vec<AccountId> = self
			.serving_workers(at, model)?
			.into_iter()
			.map(|key| AccountId::from(key.0))
			.collect();
		if workers.is_empty() {
			return Err(ServingError::refused(format!(
				"this node has no worker serving model {model}"
			)));
		}
		let tokens = service.tokenize(&chat(&params.prompt))?;
		let tokens_in = u32::try_from(tokens.len()).unwrap_or(u32::MAX);
		let out = params.max_output_tokens.min(MAX_ANSWER_TOKENS);
		let fee = api
			.quote(at, model, tokens_in, out)?
			.ok_or_else(|| ServingError::refused("the fee does not fit the balance type"))?;
		Ok(RequestQuote {
			model,
			version,
			tokenizer_hash: info.tokenizer_hash,
			prompt_hash: H256(blake2_256(params.prompt.as_bytes())),
			tokens_in,
			workers,
			max_fee: fee.total.to_string(),
		})
	}

	/// The receipt of an answer, signed with the worker key that the user named.
	fn sign_receipt(&self, checked: &Checked, answer: &Answered) -> Option<SignedReceipt> {
		let receipt = Receipt {
			request: checked.request,
			model: checked.model,
			version: checked.version,
			adapter_hash: checked.adapter_hash,
			tokens_in: answer.tokens_in,
			tokens_out: answer.tokens_out,
			output_hash: answer.output_hash,
		};
		let genesis = self.client.info().genesis_hash;
		let digest = receipt_digest(&genesis.0, &receipt);
		let signature = self
			.keystore
			.sr25519_sign(pallet_attribution_worker::KEY_TYPE, &checked.worker, &digest)
			.ok()??;
		Some(SignedReceipt {
			request: receipt.request,
			model: receipt.model,
			version: receipt.version,
			adapter_hash: receipt.adapter_hash,
			tokens_in: receipt.tokens_in,
			tokens_out: receipt.tokens_out,
			output_hash: receipt.output_hash,
			worker: AccountId::from(checked.worker.0),
			signature: signature.0.to_vec().into(),
		})
	}

	/// A signed request: its id and request, and its signer and signature unless the escrow
	/// already holds it (then it is answered as one in escrow).
	#[allow(clippy::type_complexity)]
	fn signed(
		&self,
		signed: &SignedRequest,
		at: H256,
	) -> ServingResult<(H256, InferenceRequest, Option<(AccountId, sp_runtime::MultiSignature)>)> {
		let api = self.client.runtime_api();
		let request = InferenceRequest::try_from(&signed.request)?;
		let id = api.request_id(at, signed.user.clone(), request.clone())?;
		match api.request(at, id)? {
			Some(record) if record.status == RequestStatus::Pending => {
				Ok((id, record.request, None))
			}
			Some(_) => Err(ServingError::refused(format!("request {id:?} is already settled"))),
			None => Ok((id, request, Some((signed.user.clone(), signed.signature()?)))),
		}
	}

	/// Checks and reserves the request and starts answering it (see [`PaidGeneration`]).
	pub async fn start_answer(&self, params: AnswerParams) -> ServingResult<PaidGeneration> {
		let checked = self.check(&params)?;
		let request = GenerateRequest {
			model: checked.adapter.clone(),
			prompt: chat(&params.prompt),
			sampling: SamplingParams {
				temperature: params.temperature,
				seed: params.seed,
				max_tokens: checked.max_tokens as usize,
				..SamplingParams::default()
			},
		};
		let mut generation = match self.service()?.generate(request).await {
			Ok(g) => g,
			Err(e) => {
				// Nothing was answered: the user may send it again.
				self.admission.release(&checked.request);
				return Err(e.into());
			}
		};
		let (forward, events) = futures::channel::mpsc::unbounded();
		let mut engine_events = std::mem::replace(&mut generation.events, events);
		let (answer_tx, answer) = tokio::sync::oneshot::channel();
		let adapter = checked.adapter.clone();
		let this = self.clone();
		tokio::spawn(async move {
			let mut answer_tx = Some(answer_tx);
			while let Some(event) = engine_events.next().await {
				let last = !matches!(event, Event::Token { .. });
				match &event {
					Event::Done(f) => {
						let record = this.answered(&checked, f);
						if let Some(tx) = answer_tx.take() {
							let _ = tx.send(record);
						}
					}
					Event::Failed(_) => this.admission.release(&checked.request),
					Event::Token { .. } => {}
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

	/// Records the answer and queues its attribution.
	fn answered(&self, checked: &Checked, finished: &Finished) -> Option<PaidAnswer> {
		let answer = Answered {
			request: checked.request,
			version: checked.version,
			adapter: checked.adapter.clone(),
			prompt: checked.prompt.clone(),
			output: finished.tokens.clone(),
			// What the user signed, and what the prompt is (checked before answering).
			tokens_in: u32::try_from(checked.prompt.len()).unwrap_or(u32::MAX),
			tokens_out: u32::try_from(finished.completion_tokens).unwrap_or(u32::MAX),
			output_hash: H256(blake2_256(finished.text.as_bytes())),
			signed_request: checked.signed_request.clone(),
		};
		// Signed before anything is recorded: an answer whose receipt cannot be signed is not
		// charged (its reservation stays, so it is not answered twice either).
		let Some(receipt) = self.sign_receipt(checked, &answer) else {
			log::error!(target: "attribution", "signing the receipt of {:?}", checked.request);
			return None;
		};
		let kept = self.store.put_reveal(&checked.request, &checked.prompt_text, &finished.text);
		if let Err(e) = kept.and_then(|()| self.store.put_answer(&answer)) {
			// The reservation stays: the request is not answered twice, and its escrow is
			// refunded at expiry.
			log::error!(target: "attribution", "recording the answer to {:?}: {e}", checked.request);
			return None;
		}
		self.attribution.push(answer.clone());
		Some(PaidAnswer {
			request: checked.request,
			model: checked.model,
			adapter: checked.adapter.clone(),
			text: finished.text.clone(),
			tokens_in: answer.tokens_in,
			tokens_out: answer.tokens_out,
			max_tokens: checked.max_tokens,
			output_hash: answer.output_hash,
			finish_reason: finished.reason,
			receipt,
		})
	}
}

/// An answer under way to a paid request: the generation's events, and the answer's record
/// (what `inference_answerRequest` returns) once it is done. The answer is finished, recorded
/// and settled even if nobody listens to the events any more: the user's fee is held for it.
pub struct PaidGeneration {
	pub generation: Generation,
	/// `None` when the answer could not be recorded (it is then not charged).
	pub answer: tokio::sync::oneshot::Receiver<Option<PaidAnswer>>,
	/// The adapter that answers.
	pub adapter: String,
}

/// Paid answers for the OpenAI-compatible API, whatever the client's type.
pub trait PaidAnswers: Send + Sync {
	fn start(
		&self,
		params: AnswerParams,
	) -> futures::future::BoxFuture<'_, ServingResult<PaidGeneration>>;
}

impl<C> PaidAnswers for PaidInference<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: FeeSplitApi<Block, AccountId, Balance, BlockNumber>
		+ ModelRegistryApi<
			Block,
			pallet_model_registry::ModelOf<Runtime>,
			pallet_model_registry::VersionOf<Runtime>,
			AccountId,
			pallet_model_registry::StakerInfoOf<Runtime>,
		> + AttributionApi<
			Block,
			AccountId,
			Balance,
			pallet_attribution::RecordOf<Runtime>,
			pallet_attribution::WorkerOf<Runtime>,
		>,
{
	fn start(
		&self,
		params: AnswerParams,
	) -> futures::future::BoxFuture<'_, ServingResult<PaidGeneration>> {
		Box::pin(self.start_answer(params))
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
			AccountId,
			pallet_model_registry::StakerInfoOf<Runtime>,
		> + AttributionApi<
			Block,
			AccountId,
			Balance,
			pallet_attribution::RecordOf<Runtime>,
			pallet_attribution::WorkerOf<Runtime>,
		>,
{
	fn quote_request(&self, params: QuoteParams) -> RpcResult<RequestQuote> {
		Ok(self.quote(&params)?)
	}

	async fn answer_request(&self, params: AnswerParams) -> RpcResult<PaidAnswer> {
		let PaidGeneration { mut generation, answer, .. } = self.start_answer(params).await?;
		while let Some(event) = generation.events.next().await {
			match event {
				Event::Token { .. } => {}
				Event::Done(_) => {
					let recorded = answer.await.ok().flatten();
					return Ok(recorded.ok_or_else(|| {
						ServingError::Internal("the answer could not be recorded".into())
					})?);
				}
				Event::Failed(e) => return Err(ServingError::from(e).into()),
			}
		}
		Err(ServingError::Stopped.into())
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
			// The record is sent before the event is forwarded.
			let (item, last) = GenerationItem::of(event, |_| answer.try_recv().ok().flatten());
			if sink.send(SubscriptionMessage::from_json(&item)?).await.is_err() || last {
				break;
			}
		}
		Ok(())
	}

	fn pending_settlements(&self) -> RpcResult<PendingSettlements> {
		let all = self.store.settlements();
		let total = all.len();
		let settlements = all
			.into_iter()
			.take(MAX_LISTED_SETTLEMENTS)
			.map(|s| PendingSettlement {
				request: s.request,
				version: s.version,
				tokens_out: s.tokens_out,
				output_hash: s.output_hash,
				influences: s.influences.iter().map(|(id, i)| (*id, i.to_string())).collect(),
				signed_off_chain: s.signed_request.is_some(),
			})
			.collect();
		Ok(PendingSettlements { settlements, total, quarantined: self.store.quarantined() })
	}
}
