//! An OpenAI-compatible HTTP API in front of the inference engine, so that agent frameworks and
//! the `openai` client libraries work unchanged: `GET /v1/models`, `POST /v1/completions`,
//! `POST /v1/chat/completions` (both with `stream: true` as server-sent events), `GET /health`.
//! The `model` field picks the base model, an adapter, or an ensemble (`a:0.7+b:0.3`).
//!
//! Paid inference (OpenLedger extension): a chat completion with `"openledger": {"request":
//! "0x<id>"}` answers a request the user holds in escrow, or with `"openledger":
//! {"signed_request": {request, user, signature}}` one the user signed off-chain, which the
//! node brings on-chain; `messages` is then the one user message whose blake2-256 the request
//! carries, the answer is capped to what `max_fee` pays for, and the response carries the
//! answer's record under `openledger` (request id, tokens, output hash). The node attributes and
//! settles it on-chain afterwards.
//!
//! Errors use OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, with the
//! status of their [`ServingError`]: 400 for a bad request, 402 for a paid request the chain
//! would not pay, 404 for an unknown model or path, 413 for a body over 1 MiB, 408 for a body not
//! sent within 30 s, 429 when busy (on every path, the paid one too), 503 when inference is off.
//! The server takes at most [`MAX_CONNECTIONS`] connections and disconnects a client that does
//! not send its headers within 10 s (see [`crate::serving::http`]).
//!
//! The `attribution` option runs in the engine's one bounded attribution queue (429 when it is
//! full), as `inference_explain` does.

use crate::{
	paid::{
		request::{AnswerParams, SignedRequest},
		rpc::{PaidAnswer, PaidAnswers, PaidGeneration},
	},
	serving::{
		error::ServingError,
		http::{self, BodyError, Limits},
	},
};
use bytes::Bytes;
use futures::{stream, StreamExt};
use http_body_util::{combinators::BoxBody, BodyExt, Full, StreamBody};
use hyper::{
	body::{Frame, Incoming},
	header, Method, Request, Response, StatusCode,
};
use openledger_inference::serving::{
	engine::{Event, FinishReason, Finished},
	sampling::SamplingParams,
	service::{
		parse_model_spec, ChatMessage, GenerateRequest, Generation, InferenceService, Prompt,
	},
};
use serde::Deserialize;
use serde_json::{json, Value};
use sp_core::H256;
use std::{
	convert::Infallible,
	net::SocketAddr,
	sync::Arc,
	time::{Duration, SystemTime},
};
use tokio::sync::oneshot;

/// Paid answers, where this node serves them.
type Paid = Option<Arc<dyn PaidAnswers>>;

type Body = BoxBody<Bytes, Infallible>;

/// Largest request body.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// Most connections at once.
pub const MAX_CONNECTIONS: usize = 256;

const LIMITS: Limits = Limits {
	max_connections: MAX_CONNECTIONS,
	header_timeout: Duration::from_secs(10),
	body_timeout: Duration::from_secs(30),
	max_body_bytes: MAX_BODY_BYTES,
};

/// Serves the API on `addr` until the node stops.
pub async fn serve(addr: SocketAddr, service: Option<InferenceService>, paid: Paid) {
	let listener = match tokio::net::TcpListener::bind(addr).await {
		Ok(l) => l,
		Err(e) => {
			log::error!(target: "openlora", "OpenAI-compatible API: cannot listen on {addr}: {e}");
			return;
		}
	};
	log::info!(target: "openlora", "OpenAI-compatible API on http://{addr}/v1");
	http::serve(listener, LIMITS, "OpenAI-compatible API", move |request| {
		route(request, service.clone(), paid.clone())
	})
	.await
}

fn full(status: StatusCode, body: Value) -> Response<Body> {
	let mut response = Response::new(Full::new(Bytes::from(body.to_string())).boxed());
	*response.status_mut() = status;
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
	response
}

fn error_response(status: StatusCode, kind: &str, message: impl Into<String>) -> Response<Body> {
	let body = json!({ "error": { "message": message.into(), "type": kind, "param": null, "code": null } });
	full(status, body)
}

/// The response for a refusal: its status and OpenAI error type, from the one mapping.
fn serving_error(e: impl Into<ServingError>) -> Response<Body> {
	let e = e.into();
	error_response(e.http_status(), e.openai_type(), e.to_string())
}

fn bad_request(message: impl Into<String>) -> Response<Body> {
	serving_error(ServingError::invalid(message))
}

async fn route(
	request: Request<Incoming>,
	service: Option<InferenceService>,
	paid: Paid,
) -> Response<Body> {
	let path = request.uri().path().trim_end_matches('/').to_string();
	let method = request.method().clone();
	match (method, path.as_str()) {
		(Method::GET, "/health") => {
			full(StatusCode::OK, json!({ "status": "ok", "inference": service.is_some() }))
		}
		(Method::GET, "/v1/models") => match service {
			Some(s) => models(&s).await,
			None => serving_error(ServingError::NotEnabled),
		},
		(Method::POST, "/v1/completions" | "/v1/chat/completions") => {
			let Some(service) = service else { return serving_error(ServingError::NotEnabled) };
			let body = match http::read_body(request.into_body(), &LIMITS).await {
				Ok(b) => b,
				Err(BodyError::TooLarge) => {
					return error_response(
						StatusCode::PAYLOAD_TOO_LARGE,
						"invalid_request_error",
						format!("the request body is over {MAX_BODY_BYTES} bytes"),
					)
				}
				Err(BodyError::TimedOut) => {
					return error_response(
						StatusCode::REQUEST_TIMEOUT,
						"invalid_request_error",
						"the request body was not sent in time",
					)
				}
				Err(BodyError::Broken) => return bad_request("the request body was cut off"),
			};
			let chat = path.ends_with("chat/completions");
			completions(&service, paid.as_deref(), &body, chat).await
		}
		(_, "/health" | "/v1/models" | "/v1/completions" | "/v1/chat/completions") => {
			error_response(
				StatusCode::METHOD_NOT_ALLOWED,
				"invalid_request_error",
				"method not allowed",
			)
		}
		(_, other) => serving_error(ServingError::NotFound(format!("no route {other}"))),
	}
}

async fn models(service: &InferenceService) -> Response<Body> {
	let base = service.model();
	let mut data =
		vec![json!({ "id": base.name, "object": "model", "created": 0, "owned_by": "openledger" })];
	match service.adapters().await {
		Ok(adapters) => data.extend(adapters.into_iter().map(|a| {
			json!({ "id": a.name, "object": "model", "created": 0, "owned_by": "openledger", "parent": base.name })
		})),
		Err(e) => return serving_error(e),
	}
	full(StatusCode::OK, json!({ "object": "list", "data": data }))
}

/// A string or a list of strings (`prompt`, `stop`).
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
	One(String),
	Many(Vec<String>),
}

impl OneOrMany {
	fn into_vec(self) -> Vec<String> {
		match self {
			Self::One(s) => vec![s],
			Self::Many(v) => v,
		}
	}
}

#[derive(Deserialize)]
struct StreamOptions {
	#[serde(default)]
	include_usage: bool,
}

/// The fields of both endpoints that this engine honours; others are ignored, as OpenAI's
/// own server ignores what it does not know.
#[derive(Deserialize)]
struct CompletionBody {
	model: String,
	prompt: Option<OneOrMany>,
	messages: Option<Vec<ChatMessage>>,
	max_tokens: Option<usize>,
	max_completion_tokens: Option<usize>,
	temperature: Option<f32>,
	top_p: Option<f32>,
	top_k: Option<usize>,
	seed: Option<u64>,
	stop: Option<OneOrMany>,
	#[serde(default)]
	stream: bool,
	stream_options: Option<StreamOptions>,
	n: Option<usize>,
	/// OpenLedger extension: `{"top_k": k}` adds the k training contributions behind the
	/// answer (DataInf) to the response (to the last chunk when streaming).
	attribution: Option<AttributionOption>,
	/// OpenLedger extension: a paid request (see the module's docs).
	openledger: Option<PaidOption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaidOption {
	request: Option<H256>,
	#[serde(alias = "signedRequest")]
	signed_request: Option<SignedRequest>,
}

#[derive(Deserialize)]
struct AttributionOption {
	top_k: usize,
}

/// What is needed to attribute the answer once it is complete.
#[derive(Clone)]
struct Attribute {
	service: InferenceService,
	model: String,
	top_k: usize,
}

impl Attribute {
	async fn run(&self, prompt: Vec<u32>, output: Vec<u32>) -> Result<Value, ServingError> {
		let a = self.service.explain(&self.model, prompt, output, self.top_k).await?;
		Ok(json!(a))
	}
}

fn now() -> u64 {
	SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn finish_reason(reason: FinishReason) -> &'static str {
	match reason {
		FinishReason::Stop => "stop",
		FinishReason::Length => "length",
	}
}

fn usage(f: &Finished) -> Value {
	json!({
		"prompt_tokens": f.prompt_tokens,
		"completion_tokens": f.completion_tokens,
		"total_tokens": f.prompt_tokens + f.completion_tokens,
	})
}

/// A completion request as parsed from its body: free, or paid on-chain.
pub enum ParsedCompletion {
	Free {
		request: GenerateRequest,
		stream: bool,
		include_usage: bool,
		/// The `attribution` option's `top_k`.
		attribution: Option<usize>,
	},
	Paid {
		params: AnswerParams,
		stream: bool,
		include_usage: bool,
	},
}

/// Reads a `/v1/completions` (`chat: false`) or `/v1/chat/completions` body: any bytes give a
/// request or a [`ServingError`], never a panic (a property test throws random ones at it).
pub fn parse_completion(body: &[u8], chat: bool) -> Result<ParsedCompletion, ServingError> {
	let body: CompletionBody = serde_json::from_slice(body)
		.map_err(|e| ServingError::invalid(format!("malformed request body: {e}")))?;
	let include_usage = body.stream_options.as_ref().is_some_and(|o| o.include_usage);
	if let Some(option) = body.openledger {
		if !chat {
			return Err(ServingError::invalid("paid requests go to /v1/chat/completions"));
		}
		if body.attribution.is_some() {
			return Err(ServingError::invalid(
				"a paid answer is attributed on-chain: drop `attribution`",
			));
		}
		let prompt = match body.messages.as_deref() {
			Some([message]) if message.role == "user" => message.content.clone(),
			_ => {
				return Err(ServingError::invalid(
					"a paid request carries one user message: the prompt it was signed for",
				))
			}
		};
		let params = AnswerParams {
			request: option.request,
			signed_request: option.signed_request,
			prompt,
			temperature: body.temperature.unwrap_or(1.0),
			seed: body.seed,
		};
		return Ok(ParsedCompletion::Paid { params, stream: body.stream, include_usage });
	}
	if body.n.is_some_and(|n| n != 1) {
		return Err(ServingError::invalid("only n = 1 is supported"));
	}
	let prompt = if chat {
		Prompt::Chat(body.messages.ok_or_else(|| ServingError::invalid("`messages` is required"))?)
	} else {
		match body.prompt.map(OneOrMany::into_vec).as_deref() {
			Some([one]) => Prompt::Text(one.clone()),
			Some(_) => {
				return Err(ServingError::invalid(
					"`prompt` must be one string (batches of prompts: send several requests)",
				))
			}
			None => return Err(ServingError::invalid("`prompt` is required")),
		}
	};
	// OpenAI's defaults: 16 tokens for completions, up to the context for chat; temperature 1.
	let max_tokens =
		body.max_completion_tokens.or(body.max_tokens).unwrap_or(if chat { 256 } else { 16 });
	let request = GenerateRequest {
		model: body.model,
		prompt,
		sampling: SamplingParams {
			temperature: body.temperature.unwrap_or(1.0),
			top_p: body.top_p.unwrap_or(1.0),
			top_k: body.top_k.unwrap_or(0),
			seed: body.seed,
			max_tokens,
			stop: body.stop.map(OneOrMany::into_vec).unwrap_or_default(),
			ignore_eos: false,
		},
	};
	request.sampling.validate()?;
	Ok(ParsedCompletion::Free {
		request,
		stream: body.stream,
		include_usage,
		attribution: body.attribution.map(|a| a.top_k),
	})
}

async fn completions(
	service: &InferenceService,
	paid: Option<&dyn PaidAnswers>,
	body: &[u8],
	chat: bool,
) -> Response<Body> {
	let (request, stream, include_usage, attribution) = match parse_completion(body, chat) {
		Ok(ParsedCompletion::Free { request, stream, include_usage, attribution }) => {
			(request, stream, include_usage, attribution)
		}
		Ok(ParsedCompletion::Paid { params, stream, include_usage }) => {
			return paid_completion(paid, params, stream, include_usage).await
		}
		Err(e) => return serving_error(e),
	};
	let model = request.model.clone();
	if attribution.is_some() {
		match parse_model_spec(&model, &service.model().name) {
			Ok(adapters) if adapters.len() == 1 => {}
			Ok(_) => return bad_request("attribution needs `model` to name one adapter"),
			Err(e) => return serving_error(e),
		}
	}
	let generation = match service.generate(request).await {
		Ok(g) => g,
		Err(e) => return serving_error(e),
	};
	let id = format!("{}-{}", if chat { "chatcmpl" } else { "cmpl" }, generation.id);
	let attribute = attribution.map(|top_k| Attribute {
		service: service.clone(),
		model: model.clone(),
		top_k,
	});
	if stream {
		stream_response(generation, id, model, chat, include_usage, attribute, None)
	} else {
		whole_response(generation, id, model, chat, attribute, None).await
	}
}

/// A chat completion paid for on-chain.
async fn paid_completion(
	paid: Option<&dyn PaidAnswers>,
	params: AnswerParams,
	stream: bool,
	include_usage: bool,
) -> Response<Body> {
	let Some(paid) = paid else {
		return bad_request("this node does not answer paid requests");
	};
	// One mapping: a refusal is 402, busy is 429, a bad request 400, as on every path.
	let PaidGeneration { generation, answer, adapter } = match paid.start(params).await {
		Ok(started) => started,
		Err(e) => return serving_error(e),
	};
	let id = format!("chatcmpl-{}", generation.id);
	if stream {
		stream_response(generation, id, adapter, true, include_usage, None, Some(answer))
	} else {
		whole_response(generation, id, adapter, true, None, Some(answer)).await
	}
}

async fn whole_response(
	mut generation: Generation,
	id: String,
	model: String,
	chat: bool,
	attribute: Option<Attribute>,
	paid_answer: Option<oneshot::Receiver<Option<PaidAnswer>>>,
) -> Response<Body> {
	while let Some(event) = generation.events.next().await {
		match event {
			Event::Token { .. } => {}
			Event::Failed(e) => return serving_error(e),
			Event::Done(f) => {
				let choice = if chat {
					json!({
						"index": 0,
						"message": { "role": "assistant", "content": f.text },
						"finish_reason": finish_reason(f.reason),
					})
				} else {
					json!({ "index": 0, "text": f.text, "logprobs": null, "finish_reason": finish_reason(f.reason) })
				};
				let object = if chat { "chat.completion" } else { "text_completion" };
				let mut body = json!({
					"id": id, "object": object, "created": now(), "model": model,
					"choices": [choice], "usage": usage(&f),
				});
				if let Some(attribute) = &attribute {
					match attribute.run(generation.prompt.clone(), f.tokens.clone()).await {
						Ok(a) => body["attribution"] = a,
						Err(e) => return serving_error(e),
					}
				}
				if let Some(answer) = paid_answer {
					body["openledger"] = json!(answer.await.ok().flatten());
				}
				return full(StatusCode::OK, body);
			}
		}
	}
	serving_error(ServingError::Stopped)
}

/// Server-sent events: one chunk per token, a last chunk with the finish reason, optionally a
/// usage chunk, then `data: [DONE]`.
fn stream_response(
	generation: Generation,
	id: String,
	model: String,
	chat: bool,
	include_usage: bool,
	attribute: Option<Attribute>,
	paid_answer: Option<oneshot::Receiver<Option<PaidAnswer>>>,
) -> Response<Body> {
	let created = now();
	let object = if chat { "chat.completion.chunk" } else { "text_completion" };
	let chunk = move |delta: Value, finish: Option<&str>| -> Value {
		let choice = if chat {
			json!({ "index": 0, "delta": delta, "finish_reason": finish })
		} else {
			json!({ "index": 0, "text": delta.get("content").cloned().unwrap_or(json!("")), "logprobs": null, "finish_reason": finish })
		};
		json!({ "id": id, "object": object, "created": created, "model": model, "choices": [choice] })
	};
	let sse = |v: &Value| Bytes::from(format!("data: {v}\n\n"));
	let mut first = chat.then(|| sse(&chunk(json!({ "role": "assistant", "content": "" }), None)));
	let events = generation.events;
	let prompt = generation.prompt;
	let body =
		stream::unfold((events, false, paid_answer), move |(mut events, ended, mut paid)| {
			let chunk = chunk.clone();
			let first = first.take();
			let attribute = attribute.clone();
			let prompt = prompt.clone();
			async move {
				if let Some(first) = first {
					return Some((vec![first], (events, false, paid)));
				}
				if ended {
					return None;
				}
				let out = match events.next().await {
					Some(Event::Token { text, .. }) if text.is_empty() => vec![],
					Some(Event::Token { text, .. }) => {
						vec![sse(&chunk(json!({ "content": text }), None))]
					}
					Some(Event::Done(f)) => {
						let mut last = chunk(json!({}), Some(finish_reason(f.reason)));
						if include_usage {
							last["usage"] = usage(&f);
						}
						if let Some(attribute) = attribute {
							last["attribution"] =
								match attribute.run(prompt, f.tokens.clone()).await {
									Ok(a) => a,
									Err(e) => json!({ "error": e.to_string() }),
								};
						}
						if let Some(answer) = paid.take() {
							last["openledger"] = json!(answer.await.ok().flatten());
						}
						return Some((
							vec![sse(&last), Bytes::from_static(b"data: [DONE]\n\n")],
							(events, true, paid),
						));
					}
					Some(Event::Failed(e)) => {
						let e = ServingError::from(e);
						let error = json!({ "error": { "message": e.to_string(), "type": e.openai_type() } });
						return Some((
							vec![sse(&error), Bytes::from_static(b"data: [DONE]\n\n")],
							(events, true, paid),
						));
					}
					None => return None,
				};
				Some((out, (events, false, paid)))
			}
		})
		.flat_map(|frames| {
			stream::iter(frames.into_iter().map(|b| Ok::<_, Infallible>(Frame::data(b))))
		});
	let mut response = Response::new(BodyExt::boxed(StreamBody::new(body)));
	let headers = response.headers_mut();
	headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/event-stream"));
	headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-cache"));
	response
}
