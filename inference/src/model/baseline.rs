//! The base model: a GGUF llama-architecture checkpoint and its tokenizer, and the plain
//! single-request decoding loop that the batched engine is measured against.

use crate::model::tokenizer;
use candle_core::{quantized::gguf_file, Device, Tensor};
use candle_transformers::models::quantized_llama::ModelWeights;
use std::path::Path;
use tokenizers::Tokenizer;

/// Why the base model could not be loaded or run.
#[derive(Debug)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "base model: {}", self.0)
	}
}

impl std::error::Error for ModelError {}

fn err(context: &str) -> impl FnOnce(candle_core::Error) -> ModelError + '_ {
	move |e| ModelError(format!("{context}: {e}"))
}

/// Tokens of one request and how long they took.
pub struct Timed {
	pub tokens: Vec<u32>,
	pub first_token: std::time::Duration,
	pub total: std::time::Duration,
}

/// A loaded base model.
pub struct BaseModel {
	weights: ModelWeights,
	pub tokenizer: Tokenizer,
	/// The token that ends an answer (`<|im_end|>` for ChatML models).
	pub eos: u32,
	pub device: Device,
}

impl BaseModel {
	/// Loads a GGUF checkpoint (weights, and the tokenizer from its metadata) onto `device`.
	pub fn load(path: &Path, device: &Device) -> Result<Self, ModelError> {
		let mut file = std::fs::File::open(path)
			.map_err(|e| ModelError(format!("opening {}: {e}", path.display())))?;
		let content = gguf_file::Content::read(&mut file)
			.map_err(|e| ModelError(format!("{} is not a GGUF file: {e}", path.display())))?;
		let tokenizer = tokenizer::tokenizer(&content).map_err(|e| ModelError(e.to_string()))?;
		let eos = content
			.metadata
			.get("tokenizer.ggml.eos_token_id")
			.and_then(|v| v.to_u32().ok())
			.ok_or_else(|| ModelError("no `tokenizer.ggml.eos_token_id` metadata".into()))?;
		let weights = ModelWeights::from_gguf(content, &mut file, device)
			.map_err(err("reading the weights"))?;
		Ok(Self { weights, tokenizer, eos, device: device.clone() })
	}

	/// A single-turn ChatML prompt, as SmolLM2-Instruct was trained on.
	pub fn chat_prompt(user: &str) -> String {
		format!("<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n")
	}

	/// Greedy decoding of one request, token by token with the KV cache: the baseline loop.
	/// Returns the generated text (without the prompt).
	pub fn generate_greedy(
		&mut self,
		prompt: &str,
		max_tokens: usize,
	) -> Result<String, ModelError> {
		let encoding = self
			.tokenizer
			.encode(prompt, false)
			.map_err(|e| ModelError(format!("tokenizing the prompt: {e}")))?;
		let timed = self.greedy_timed(encoding.get_ids(), max_tokens, true)?;
		self.tokenizer
			.decode(&timed.tokens, true)
			.map_err(|e| ModelError(format!("decoding the answer: {e}")))
	}

	/// The plain loop on token ids, timed: what the benchmarks compare the engine with.
	/// `stop_at_eos: false` always generates `max_tokens` tokens.
	pub fn greedy_timed(
		&mut self,
		prompt: &[u32],
		max_tokens: usize,
		stop_at_eos: bool,
	) -> Result<Timed, ModelError> {
		let started = std::time::Instant::now();
		let mut first_token = None;
		let mut input: Vec<u32> = prompt.to_vec();
		let mut position = 0;
		let mut generated = Vec::with_capacity(max_tokens);
		for _ in 0..max_tokens {
			let x = Tensor::new(input.as_slice(), &self.device)
				.and_then(|t| t.unsqueeze(0))
				.map_err(err("building the input"))?;
			let logits = self
				.weights
				.forward(&x, position)
				.and_then(|l| l.squeeze(0))
				.map_err(err("forward pass"))?;
			position += input.len();
			let next = logits
				.argmax(0)
				.and_then(|t| t.to_scalar::<u32>())
				.map_err(err("picking the next token"))?;
			first_token.get_or_insert_with(|| started.elapsed());
			if stop_at_eos && next == self.eos {
				break;
			}
			generated.push(next);
			input = vec![next];
		}
		let total = started.elapsed();
		Ok(Timed { tokens: generated, first_token: first_token.unwrap_or(total), total })
	}
}
