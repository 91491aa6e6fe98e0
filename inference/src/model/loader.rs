//! A base model and its tokenizer from where they live: a GGUF file (weights and tokenizer in
//! one) or a Hugging Face checkpoint directory (`config.json` + `*.safetensors` +
//! `tokenizer.json`). Nothing else in the engine depends on which it was.

use crate::{
	error::{Error, Result},
	model::chat::ChatTemplate,
	model::llama::{Llama, Precision},
	model::tokenizer,
};
use std::{
	path::{Path, PathBuf},
	sync::Arc,
};
use tokenizers::Tokenizer;

/// A loaded base model, ready for engines.
#[derive(Clone)]
pub struct LoadedModel {
	/// The name it is served under (the file or directory name).
	pub name: String,
	pub source: PathBuf,
	pub model: Arc<Llama>,
	pub tokenizer: Arc<Tokenizer>,
	/// [`tokenizer::tokenizer_hash`] of `tokenizer`.
	pub tokenizer_hash: [u8; 32],
	/// Tokens that end an answer.
	pub eos: Vec<u32>,
	/// The chat template over `tokenizer`.
	pub chat: Arc<ChatTemplate>,
}

fn name_of(path: &Path) -> String {
	let stem = path.file_stem().or_else(|| path.file_name()).and_then(|n| n.to_str());
	stem.unwrap_or("base").to_string()
}

/// Loads `path` (a `.gguf` file or a checkpoint directory) at `precision`.
pub fn load(path: &Path, precision: Precision) -> Result<LoadedModel> {
	if path.is_dir() {
		let (model, mut eos) = Llama::from_hf_dir(path, precision)?;
		let tokenizer = Tokenizer::from_file(path.join("tokenizer.json"))
			.map_err(|e| Error::Model(format!("{}/tokenizer.json: {e}", path.display())))?;
		if eos.is_empty() {
			eos.extend(
				["</s>", "<|im_end|>", "<|endoftext|>", "<|eot_id|>"]
					.iter()
					.filter_map(|t| tokenizer.token_to_id(t)),
			);
		}
		let tokenizer_hash =
			tokenizer::tokenizer_hash(&tokenizer).map_err(|e| Error::Model(e.to_string()))?;
		let tokenizer = Arc::new(tokenizer);
		return Ok(LoadedModel {
			name: name_of(path),
			source: path.to_path_buf(),
			model: Arc::new(model),
			chat: Arc::new(ChatTemplate::new(tokenizer.clone())),
			tokenizer,
			tokenizer_hash,
			eos,
		});
	}
	let (model, content) = Llama::from_gguf(path, precision)?;
	let tokenizer = tokenizer::tokenizer(&content).map_err(|e| Error::Model(e.to_string()))?;
	let eos = content
		.metadata
		.get("tokenizer.ggml.eos_token_id")
		.and_then(|v| v.to_u32().ok())
		.ok_or_else(|| Error::Model("no `tokenizer.ggml.eos_token_id` metadata".into()))?;
	let tokenizer_hash =
		tokenizer::tokenizer_hash(&tokenizer).map_err(|e| Error::Model(e.to_string()))?;
	let tokenizer = Arc::new(tokenizer);
	Ok(LoadedModel {
		name: name_of(path),
		source: path.to_path_buf(),
		model: Arc::new(model),
		chat: Arc::new(ChatTemplate::new(tokenizer.clone())),
		tokenizer,
		tokenizer_hash,
		eos: vec![eos],
	})
}

/// Writes a GGUF checkpoint as a Hugging Face directory (f32 safetensors, `config.json`,
/// `tokenizer.json`): the same real weights for the directory loader and the f32/8-bit
/// comparison.
pub fn export_gguf_as_hf(gguf: &Path, dir: &Path) -> Result<()> {
	let (model, content) = Llama::from_gguf(gguf, Precision::F32)?;
	let eos = content
		.metadata
		.get("tokenizer.ggml.eos_token_id")
		.and_then(|v| v.to_u32().ok())
		.ok_or_else(|| Error::Model("no `tokenizer.ggml.eos_token_id` metadata".into()))?;
	model.export_hf(dir, eos)?;
	let json = tokenizer::tokenizer_json(&content).map_err(|e| Error::Model(e.to_string()))?;
	std::fs::write(dir.join("tokenizer.json"), json.to_string())
		.map_err(|e| Error::Model(format!("writing tokenizer.json: {e}")))
}
