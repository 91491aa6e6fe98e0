//! The chat template (ChatML, as SmolLM2, Qwen and most small instruct models use it), turned
//! into tokens so that what a user typed stays text: `<|im_end|>` or `<|im_start|>system` inside
//! a message is tokenized as the characters it is, never as the control tokens that delimit
//! turns. Only the template itself places control tokens.

use crate::error::{Error, Result};
use std::sync::Arc;
use tokenizers::Tokenizer;

const START: &str = "<|im_start|>";
const END: &str = "<|im_end|>";

/// Tokenizes chat turns and plain text for one tokenizer.
pub struct ChatTemplate {
	/// Recognizes special tokens (for the template's markers and raw prompts).
	tokenizer: Arc<Tokenizer>,
	/// The same vocabulary, with special tokens encoded as plain text.
	literal: Tokenizer,
	start: Option<u32>,
	end: Option<u32>,
}

impl ChatTemplate {
	pub fn new(tokenizer: Arc<Tokenizer>) -> Self {
		let mut literal = (*tokenizer).clone();
		literal.set_encode_special_tokens(true);
		let start = tokenizer.token_to_id(START);
		let end = tokenizer.token_to_id(END);
		Self { tokenizer, literal, start, end }
	}

	/// `text` as text: no special token is recognized in it.
	pub fn literal_tokens(&self, text: &str) -> Result<Vec<u32>> {
		self.literal
			.encode(text, false)
			.map(|e| e.get_ids().to_vec())
			.map_err(|e| Error::Request(format!("the text cannot be tokenized: {e}")))
	}

	/// `text` with the tokenizer's special tokens recognized (a raw prompt the caller formats).
	pub fn raw_tokens(&self, text: &str) -> Result<Vec<u32>> {
		self.tokenizer
			.encode(text, false)
			.map(|e| e.get_ids().to_vec())
			.map_err(|e| Error::Request(format!("the prompt cannot be tokenized: {e}")))
	}

	/// A marker: its control token, or its text where the vocabulary has none.
	fn marker(&self, id: Option<u32>, text: &str, out: &mut Vec<u32>) -> Result<()> {
		match id {
			Some(id) => out.push(id),
			None => out.extend(self.literal_tokens(text)?),
		}
		Ok(())
	}

	/// `<|im_start|>{role}\n{content}<|im_end|>\n` for each turn, then `<|im_start|>assistant\n`.
	pub fn conversation(&self, turns: &[(String, String)]) -> Result<Vec<u32>> {
		let mut out = Vec::new();
		for (role, content) in turns {
			self.marker(self.start, START, &mut out)?;
			out.extend(self.literal_tokens(&format!("{role}\n{content}"))?);
			self.marker(self.end, END, &mut out)?;
			out.extend(self.literal_tokens("\n")?);
		}
		self.marker(self.start, START, &mut out)?;
		out.extend(self.literal_tokens("assistant\n")?);
		Ok(out)
	}

	/// A completion to train on: its text, then the end-of-turn token so that the model learns
	/// to stop.
	pub fn completion(&self, text: &str) -> Result<Vec<u32>> {
		let mut out = self.literal_tokens(text)?;
		if let Some(end) = self.end {
			out.push(end);
		}
		Ok(out)
	}
}
