//! Hostile input to the serving side's request parsing: random JSON (shaped like the real
//! requests, with their field names) and random bytes, thrown at the OpenAI body parser and at
//! the JSON-RPC methods through their real `RpcModule`. Whatever comes in, the answer is a
//! request or a typed error — never a panic, never a server error.
//!
//! Cases: 1,500 OpenAI JSON bodies, 1,000 random byte strings, 1,000 JSON-RPC calls, 1,000
//! paid-request parameter objects.

use crate::{
	factory::rpc::{ModelFactory, ModelFactoryApiServer},
	paid::request::AnswerParams,
	serving::{
		error::ServingError,
		openai::parse_completion,
		rpc::{Inference, InferenceApiServer},
	},
};
use proptest::{collection, prelude::*, sample::select};
use serde_json::{json, Map, Value};

/// Field names of the real requests, so that random objects reach past the first field.
const FIELDS: &[&str] = &[
	"model",
	"prompt",
	"messages",
	"role",
	"content",
	"max_tokens",
	"maxTokens",
	"max_completion_tokens",
	"temperature",
	"top_p",
	"top_k",
	"seed",
	"stop",
	"n",
	"stream",
	"stream_options",
	"include_usage",
	"attribution",
	"openledger",
	"request",
	"signed_request",
	"signedRequest",
	"user",
	"signature",
	"model",
	"promptHash",
	"maxOutputTokens",
	"maxFee",
	"nonce",
	"expiresAt",
	"output",
	"name",
	"contributions",
	"heldOut",
	"holdOut",
	"datanets",
	"rank",
	"targets",
	"epochs",
	"batchSize",
	"learningRate",
	"id",
	"completion",
];

fn number() -> impl Strategy<Value = Value> {
	prop_oneof![
		any::<i64>().prop_map(Value::from),
		any::<u64>().prop_map(Value::from),
		select(vec![0u64, 1, u32::MAX as u64, u64::MAX, usize::MAX as u64]).prop_map(Value::from),
		any::<f64>()
			.prop_filter("JSON numbers are finite", |f| f.is_finite())
			.prop_map(Value::from),
	]
}

fn text() -> impl Strategy<Value = String> {
	prop_oneof![
		".{0,24}",
		select(vec![
			"<|im_end|>".to_string(),
			"<|im_start|>system\n".to_string(),
			"user".to_string(),
			"base".to_string(),
			"a:0.5+b:0.5".to_string(),
			"../../etc".to_string(),
			format!("0x{}", "11".repeat(64)),
			format!("0x{}", "00".repeat(32)),
			"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".to_string(),
			"99999999999999999999999999999999999999".to_string(),
		]),
	]
}

fn json() -> impl Strategy<Value = Value> {
	let leaf = prop_oneof![
		Just(Value::Null),
		any::<bool>().prop_map(Value::Bool),
		number(),
		text().prop_map(Value::String),
	];
	leaf.prop_recursive(4, 48, 8, |inner| {
		prop_oneof![
			collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
			collection::btree_map(
				prop_oneof![select(FIELDS.to_vec()).prop_map(String::from), "[a-z_]{1,8}"],
				inner,
				0..8,
			)
			.prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
		]
	})
}

/// A JSON object: the shape every real request has.
fn object() -> impl Strategy<Value = Value> {
	json().prop_map(|v| match v {
		Value::Object(_) => v,
		other => {
			json!({ "model": "base", "prompt": other, "messages": [{ "role": "user", "content": other }] })
		}
	})
}

fn client_error(e: &ServingError) -> bool {
	e.http_status().is_client_error()
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(1_500))]

	#[test]
	fn any_openai_json_body_is_a_request_or_a_client_error(body in object(), chat in any::<bool>()) {
		let bytes = serde_json::to_vec(&body).unwrap();
		if let Err(e) = parse_completion(&bytes, chat) {
			prop_assert!(client_error(&e), "{e:?} for {body}");
		}
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(1_000))]

	#[test]
	fn any_bytes_are_a_request_or_a_client_error(bytes in collection::vec(any::<u8>(), 0..512), chat in any::<bool>()) {
		if let Err(e) = parse_completion(&bytes, chat) {
			prop_assert!(client_error(&e), "{e:?}");
		}
	}

	#[test]
	fn any_paid_parameters_parse_or_are_refused(params in object()) {
		if let Ok(answer) = serde_json::from_value::<AnswerParams>(params) {
			if let Some(signed) = answer.signed_request {
				if let Err(e) = signed.signature() {
					prop_assert!(client_error(&e));
				}
			}
		}
	}
}

const METHODS: &[&str] = &[
	"inference_models",
	"inference_adapters",
	"inference_generate",
	"inference_explain",
	"inference_loadAdapter",
	"inference_unloadAdapter",
	"inference_stats",
	"modelFactory_train",
	"modelFactory_job",
	"no_suchMethod",
];

proptest! {
	#![proptest_config(ProptestConfig::with_cases(1_000))]

	#[test]
	fn any_json_rpc_call_gets_a_json_rpc_answer(method in select(METHODS.to_vec()), params in json(), positional in any::<bool>()) {
		let mut module = Inference::new(None).into_rpc();
		module.merge(ModelFactory::new(None, None).into_rpc()).unwrap();
		module.extensions_mut().insert(sc_rpc_api::DenyUnsafe::No);
		let params = if positional { json!([params]) } else { params };
		let call = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
		let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
		let (response, _) = runtime.block_on(module.raw_json_request(&call, 1)).unwrap();
		let response: Value = serde_json::from_str(&response).unwrap();
		let code = response["error"]["code"].as_i64();
		// No method of a node without inference succeeds but the job lookup's refusals; every
		// refusal has a code, and none is an internal error.
		prop_assert!(code.is_some() || response.get("result").is_some(), "{response}");
		prop_assert_ne!(code, Some(jsonrpsee::types::error::INTERNAL_ERROR_CODE as i64), "{}", response);
	}
}

#[test]
fn unsafe_methods_are_refused_where_the_server_denies_them() {
	let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
	for deny in [sc_rpc_api::DenyUnsafe::Yes, sc_rpc_api::DenyUnsafe::No] {
		let mut module = Inference::new(None).into_rpc();
		module.merge(ModelFactory::new(None, None).into_rpc()).unwrap();
		module.extensions_mut().insert(deny);
		let calls = [
			json!(["inference_explain", [{ "model": "a", "prompt": "p", "output": "o" }]]),
			json!(["inference_loadAdapter", ["a"]]),
			json!(["inference_unloadAdapter", ["a"]]),
			json!(["inference_generate", [{ "prompt": "p", "attribution": 3 }]]),
			json!(["modelFactory_train", [{ "name": "x", "contributions": [] }]]),
		];
		for call in calls {
			let request =
				json!({ "jsonrpc": "2.0", "id": 1, "method": call[0], "params": call[1] });
			let (response, _) =
				runtime.block_on(module.raw_json_request(&request.to_string(), 1)).unwrap();
			let message = serde_json::from_str::<Value>(&response).unwrap()["error"]["message"]
				.as_str()
				.unwrap_or_default()
				.to_string();
			match deny {
				// Refused before any work.
				sc_rpc_api::DenyUnsafe::Yes => {
					assert!(message.contains("unsafe"), "{call}: {message}")
				}
				// Allowed: this node has no engine, so it says that instead.
				sc_rpc_api::DenyUnsafe::No => {
					assert!(message.contains("not enabled"), "{call}: {message}")
				}
			}
		}
	}
	// A plain generation is safe.
	let mut module = Inference::new(None).into_rpc();
	module.extensions_mut().insert(sc_rpc_api::DenyUnsafe::Yes);
	let request = json!({ "jsonrpc": "2.0", "id": 1, "method": "inference_generate", "params": [{ "prompt": "p" }] });
	let (response, _) = runtime.block_on(module.raw_json_request(&request.to_string(), 1)).unwrap();
	assert!(response.contains("not enabled"), "{response}");
}
