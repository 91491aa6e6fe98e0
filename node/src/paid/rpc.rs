//! Answering paid requests: the checks against the chain, admission, the answer and its record,
//! for the JSON-RPC (`inference_answerRequest`, `inference_subscribeAnswerRequest`,
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
use openledger_primitives::ContributionId;
use openledger_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Runtime};
use pallet_fee_split::{runtime_api::FeeSplitApi, RequestStatus};
use pallet_model_registry::{runtime_api::ModelRegistryApi, ModelStatus};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;
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
	prompt: Vec<u32>,
	max_tokens: u32,
	model: u32,
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
}

/// A prepared settlement, as `inference_pendingSettlements` lists it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingSettlement {
	pub request: H256,
	pub tokens_in: u32,
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
}

impl<C> Clone for PaidInference<C> {
	fn clone(&self) -> Self {
		Self {
			client: self.client.clone(),
			service: self.service.clone(),
			store: self.store.clone(),
			admission: self.admission.clone(),
			attribution: self.attribution.clone(),
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
	) -> Self {
		Self { client, service, store, admission, attribution }
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
		let deployed = api
			.model(at, model)?
			.filter(|m| m.status == ModelStatus::Deployed)
			.and_then(|m| m.deployed_version)
			.ok_or_else(|| ServingError::refused(format!("model {model} is not deployed")))?;
		let version = api.version(at, model, deployed)?.ok_or_else(|| {
			ServingError::refused(format!("model {model} has no version {deployed}"))
		})?;
		let adapter =
			adapter_with_hash(service.adapters_dir(), &version.adapter_hash).ok_or_else(|| {
				ServingError::refused(format!(
					"this node does not hold the adapter of model {model} version {deployed} ({:?})",
					version.adapter_hash
				))
			})?;
		let prompt = service.tokenize(&chat(&params.prompt))?;
		let tokens_in = u32::try_from(prompt.len()).unwrap_or(u32::MAX);
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
		Ok(Checked { request: id, signed_request, adapter, prompt, max_tokens: high, model })
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
		let request = InferenceRequest::from(&signed.request);
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
			adapter: checked.adapter.clone(),
			prompt: checked.prompt.clone(),
			output: finished.tokens.clone(),
			tokens_in: u32::try_from(finished.prompt_tokens).unwrap_or(u32::MAX),
			tokens_out: u32::try_from(finished.completion_tokens).unwrap_or(u32::MAX),
			output_hash: H256(blake2_256(finished.text.as_bytes())),
			signed_request: checked.signed_request.clone(),
		};
		if let Err(e) = self.store.put_answer(&answer) {
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
		>,
{
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
				tokens_in: s.tokens_in,
				tokens_out: s.tokens_out,
				output_hash: s.output_hash,
				influences: s.influences.iter().map(|(id, i)| (*id, i.to_string())).collect(),
				signed_off_chain: s.signed_request.is_some(),
			})
			.collect();
		Ok(PendingSettlements { settlements, total, quarantined: self.store.quarantined() })
	}
}
