//! The shape of a llama-architecture model, read from GGUF metadata or a Hugging Face
//! `config.json`.

use crate::error::{Error, Result};
use candle_core::quantized::gguf_file;
use serde::Deserialize;

/// How rotary position embeddings pair the dimensions of a head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RopeStyle {
	/// Pairs `(2i, 2i+1)`: GGUF llama checkpoints, whose q/k rows llama.cpp permuted to match.
	Interleaved,
	/// Pairs `(i, i + d/2)`: Hugging Face checkpoints (`rotate_half`).
	Halves,
}

/// Everything the forward pass needs to know about the model's shape.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelConfig {
	pub hidden: usize,
	pub intermediate: usize,
	pub layers: usize,
	pub heads: usize,
	pub kv_heads: usize,
	pub head_dim: usize,
	pub vocab: usize,
	/// The longest sequence (prompt + answer) the model was trained for.
	pub context: usize,
	pub rms_eps: f32,
	pub rope_theta: f32,
	pub rope_style: RopeStyle,
}

impl ModelConfig {
	/// Output width of the query projection.
	pub fn q_width(&self) -> usize {
		self.heads * self.head_dim
	}

	/// Output width of the key and value projections.
	pub fn kv_width(&self) -> usize {
		self.kv_heads * self.head_dim
	}

	/// RoPE's inverse frequencies `θ^(-2i/d)`, one per rotated pair of a head.
	pub fn rope_inv_freq(&self) -> Vec<f32> {
		(0..self.head_dim / 2)
			.map(|i| 1.0 / self.rope_theta.powf(2.0 * i as f32 / self.head_dim as f32))
			.collect()
	}

	/// Checks the relations the forward pass relies on.
	pub fn validate(&self) -> Result<()> {
		let positive = [
			("hidden size", self.hidden),
			("intermediate size", self.intermediate),
			("layers", self.layers),
			("heads", self.heads),
			("kv heads", self.kv_heads),
			("vocabulary", self.vocab),
			("context", self.context),
		];
		if let Some((what, _)) = positive.iter().find(|(_, v)| *v == 0) {
			return Err(Error::Model(format!("{what} is zero")));
		}
		if !self.heads.is_multiple_of(self.kv_heads) {
			return Err(Error::Model(format!(
				"{} heads are not a multiple of {} kv heads",
				self.heads, self.kv_heads
			)));
		}
		if self.head_dim == 0 || !self.head_dim.is_multiple_of(2) {
			return Err(Error::Model(format!("head size {} is not even", self.head_dim)));
		}
		Ok(())
	}

	/// Reads the `llama.*` metadata of a GGUF file.
	pub fn from_gguf(content: &gguf_file::Content) -> Result<Self> {
		let arch = content
			.metadata
			.get("general.architecture")
			.and_then(|v| v.to_string().ok())
			.cloned()
			.unwrap_or_default();
		if arch != "llama" {
			return Err(Error::Model(format!(
				"GGUF architecture `{arch}` is not supported (llama only)"
			)));
		}
		let get = |key: &str| -> Result<u32> {
			content
				.metadata
				.get(key)
				.and_then(|v| v.to_u32().ok())
				.ok_or_else(|| Error::Model(format!("GGUF metadata `{key}` is missing")))
		};
		let hidden = get("llama.embedding_length")? as usize;
		let heads = get("llama.attention.head_count")? as usize;
		let vocab = content
			.tensor_infos
			.get("token_embd.weight")
			.map(|t| t.shape.dims()[0])
			.ok_or_else(|| Error::Model("GGUF has no `token_embd.weight`".into()))?;
		let config = Self {
			hidden,
			intermediate: get("llama.feed_forward_length")? as usize,
			layers: get("llama.block_count")? as usize,
			heads,
			kv_heads: get("llama.attention.head_count_kv").unwrap_or(heads as u32) as usize,
			head_dim: hidden / heads.max(1),
			vocab,
			context: get("llama.context_length").unwrap_or(2048) as usize,
			rms_eps: content
				.metadata
				.get("llama.attention.layer_norm_rms_epsilon")
				.and_then(|v| v.to_f32().ok())
				.unwrap_or(1e-5),
			rope_theta: content
				.metadata
				.get("llama.rope.freq_base")
				.and_then(|v| v.to_f32().ok())
				.unwrap_or(10_000.0),
			rope_style: RopeStyle::Interleaved,
		};
		config.validate()?;
		Ok(config)
	}

	/// Reads a Hugging Face `config.json` of a llama-family model.
	pub fn from_hf_json(json: &str) -> Result<(Self, HfExtras)> {
		let hf: HfConfig =
			serde_json::from_str(json).map_err(|e| Error::Model(format!("config.json: {e}")))?;
		let supported = ["LlamaForCausalLM", "MistralForCausalLM"];
		if let Some(arch) = hf.architectures.first() {
			if !supported.contains(&arch.as_str()) {
				return Err(Error::Model(format!(
					"architecture `{arch}` is not supported (llama family: {supported:?})"
				)));
			}
		}
		let heads = hf.num_attention_heads;
		let config = Self {
			hidden: hf.hidden_size,
			intermediate: hf.intermediate_size,
			layers: hf.num_hidden_layers,
			heads,
			kv_heads: hf.num_key_value_heads.unwrap_or(heads),
			head_dim: hf.head_dim.unwrap_or(hf.hidden_size / heads.max(1)),
			vocab: hf.vocab_size,
			context: hf.max_position_embeddings.unwrap_or(2048),
			rms_eps: hf.rms_norm_eps.unwrap_or(1e-5),
			rope_theta: hf.rope_theta.unwrap_or(10_000.0),
			rope_style: RopeStyle::Halves,
		};
		config.validate()?;
		let eos = match hf.eos_token_id {
			Some(serde_json::Value::Number(n)) => n.as_u64().map(|n| vec![n as u32]),
			Some(serde_json::Value::Array(ids)) => {
				Some(ids.iter().filter_map(|v| v.as_u64()).map(|n| n as u32).collect())
			}
			_ => None,
		}
		.unwrap_or_default();
		Ok((config, HfExtras { tie_word_embeddings: hf.tie_word_embeddings, eos }))
	}

	/// The `config.json` of this model in the Hugging Face layout.
	pub fn to_hf_json(&self, tie_word_embeddings: bool, eos: u32) -> String {
		serde_json::json!({
			"architectures": ["LlamaForCausalLM"],
			"model_type": "llama",
			"hidden_size": self.hidden,
			"intermediate_size": self.intermediate,
			"num_hidden_layers": self.layers,
			"num_attention_heads": self.heads,
			"num_key_value_heads": self.kv_heads,
			"head_dim": self.head_dim,
			"vocab_size": self.vocab,
			"max_position_embeddings": self.context,
			"rms_norm_eps": self.rms_eps,
			"rope_theta": self.rope_theta,
			"tie_word_embeddings": tie_word_embeddings,
			"eos_token_id": eos,
			"torch_dtype": "float32",
		})
		.to_string()
	}
}

/// What `config.json` says beyond the shapes.
#[derive(Clone, Debug)]
pub struct HfExtras {
	pub tie_word_embeddings: bool,
	pub eos: Vec<u32>,
}

#[derive(Deserialize)]
struct HfConfig {
	#[serde(default)]
	architectures: Vec<String>,
	hidden_size: usize,
	intermediate_size: usize,
	num_hidden_layers: usize,
	num_attention_heads: usize,
	num_key_value_heads: Option<usize>,
	head_dim: Option<usize>,
	vocab_size: usize,
	max_position_embeddings: Option<usize>,
	rms_norm_eps: Option<f32>,
	rope_theta: Option<f32>,
	#[serde(default)]
	tie_word_embeddings: bool,
	eos_token_id: Option<serde_json::Value>,
}
