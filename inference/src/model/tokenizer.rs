//! A `tokenizers` tokenizer rebuilt from the vocabulary a GGUF file carries.
//!
//! GGUF checkpoints (llama.cpp's format) hold the byte-level BPE of their model in metadata:
//! `tokenizer.ggml.tokens`, `.merges`, `.token_type` and the pre-tokenizer's name. The base
//! model the node ships comes as GGUF only, so its `tokenizer.json` is built from these, the way
//! llama.cpp reads them: byte-level BPE, no normalizer, control and user-defined tokens special.

use candle_core::quantized::gguf_file::Content;
use serde_json::{json, Value};
use tokenizers::Tokenizer;

/// Token types of GGUF's `tokenizer.ggml.token_type` that are special (not split, not merged).
const CONTROL: i32 = 3;
const USER_DEFINED: i32 = 4;

/// Why a tokenizer could not be built.
#[derive(Debug)]
pub struct TokenizerError(pub String);

impl std::fmt::Display for TokenizerError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "tokenizer from GGUF: {}", self.0)
	}
}

impl std::error::Error for TokenizerError {}

fn string_list(content: &Content, key: &str) -> Result<Vec<String>, TokenizerError> {
	let value =
		content.metadata.get(key).ok_or_else(|| TokenizerError(format!("no `{key}` metadata")))?;
	let list = value.to_vec().map_err(|e| TokenizerError(format!("`{key}`: {e}")))?;
	list.iter()
		.map(|v| v.to_string().cloned().map_err(|e| TokenizerError(format!("`{key}`: {e}"))))
		.collect()
}

/// The pre-tokenizer llama.cpp uses for the GGUF's `tokenizer.ggml.pre`.
fn pre_tokenizer(pre: &str) -> Result<Value, TokenizerError> {
	let byte_level = json!({"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true});
	match pre {
		// "\p{N}" split first (each digit its own token), then the GPT-2 expression.
		"smollm" | "starcoder" | "refact" | "command-r" | "codeshell" | "exaone" => Ok(json!({
			"type": "Sequence",
			"pretokenizers": [{"type": "Digits", "individual_digits": true}, byte_level]
		})),
		"gpt2" | "default" | "mpt" | "olmo" | "jais" => Ok(byte_level),
		other => Err(TokenizerError(format!("pre-tokenizer `{other}` is not supported"))),
	}
}

/// The `tokenizer.json` equivalent of the GGUF's byte-level BPE vocabulary.
pub fn tokenizer_json(content: &Content) -> Result<Value, TokenizerError> {
	let model = content
		.metadata
		.get("tokenizer.ggml.model")
		.and_then(|v| v.to_string().ok())
		.ok_or_else(|| TokenizerError("no `tokenizer.ggml.model` metadata".into()))?;
	if model != "gpt2" {
		return Err(TokenizerError(format!("tokenizer model `{model}` is not byte-level BPE")));
	}
	let pre = content
		.metadata
		.get("tokenizer.ggml.pre")
		.and_then(|v| v.to_string().ok())
		.map_or("default", |s| s.as_str());
	let tokens = string_list(content, "tokenizer.ggml.tokens")?;
	let merges = string_list(content, "tokenizer.ggml.merges")?;
	let types: Vec<i32> = match content.metadata.get("tokenizer.ggml.token_type") {
		Some(v) => v
			.to_vec()
			.map_err(|e| TokenizerError(format!("`tokenizer.ggml.token_type`: {e}")))?
			.iter()
			.map(|t| t.to_i32().unwrap_or(1))
			.collect(),
		None => vec![1; tokens.len()],
	};
	let added: Vec<Value> = tokens
		.iter()
		.zip(&types)
		.enumerate()
		.filter(|(_, (_, t))| matches!(**t, CONTROL | USER_DEFINED))
		.map(|(id, (content, _))| {
			json!({"id": id, "content": content, "single_word": false, "lstrip": false,
				"rstrip": false, "normalized": false, "special": true})
		})
		.collect();
	let vocab: serde_json::Map<String, Value> =
		tokens.iter().enumerate().map(|(id, t)| (t.clone(), json!(id))).collect();
	let byte_level = |prefix: bool| json!({"type": "ByteLevel", "add_prefix_space": prefix, "trim_offsets": false, "use_regex": true});
	Ok(json!({
		"version": "1.0",
		"truncation": null,
		"padding": null,
		"added_tokens": added,
		"normalizer": null,
		"pre_tokenizer": pre_tokenizer(pre)?,
		"post_processor": byte_level(true),
		"decoder": byte_level(true),
		"model": {
			"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
			"end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false,
			"ignore_merges": false, "vocab": vocab, "merges": merges
		}
	}))
}

/// blake2-256 of the tokenizer's serialized form (vocabulary, merges, added tokens, pre- and
/// post-processing): what a model version registers, so that a node counting a prompt's tokens
/// with another tokenizer is found out before it answers.
pub fn tokenizer_hash(tokenizer: &Tokenizer) -> Result<[u8; 32], TokenizerError> {
	let json = tokenizer.to_string(false).map_err(|e| TokenizerError(e.to_string()))?;
	Ok(crate::hash::blake2_256(json.as_bytes()))
}

/// The tokenizer of a GGUF checkpoint.
pub fn tokenizer(content: &Content) -> Result<Tokenizer, TokenizerError> {
	let json = tokenizer_json(content)?;
	let bytes = serde_json::to_vec(&json).map_err(|e| TokenizerError(e.to_string()))?;
	Tokenizer::from_bytes(bytes).map_err(|e| TokenizerError(e.to_string()))
}
