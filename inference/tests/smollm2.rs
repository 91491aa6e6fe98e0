//! The default base model, for real: SmolLM2-135M-Instruct from its GGUF (fetched by
//! `scripts/setup.sh`), with the tokenizer rebuilt from the GGUF's metadata.

use candle_core::Device;
use openledger_inference::{base::BaseModel, models};

fn load() -> BaseModel {
	let path = models::default_model_path();
	assert!(
		path.exists(),
		"{} is missing: run `bash scripts/fetch-base-model.sh` (part of scripts/setup.sh)",
		path.display()
	);
	BaseModel::load(&path, &Device::Cpu).expect("the default base model loads")
}

#[test]
fn the_default_base_model_tokenizes_and_answers() {
	let mut model = load();

	// The tokenizer rebuilt from GGUF metadata gives SmolLM2's own ids: ChatML specials are
	// single tokens, digits are split one by one, and text round-trips.
	let ids = |text: &str| model.tokenizer.encode(text, false).unwrap().get_ids().to_vec();
	assert_eq!(ids("Hello"), vec![19556]);
	assert_eq!(ids("<|im_start|>user\n"), vec![1, 4093, 198]);
	assert_eq!(ids("2024").len(), 4);
	let text = "Datanets pay contributors — déjà vu, 🙂, fn main() {}";
	let round_trip = model.tokenizer.decode(&ids(text), false).unwrap();
	assert_eq!(round_trip, text);
	assert_eq!(model.eos, 2);

	// Real pretrained weights answer a factual question.
	let answer = model
		.generate_greedy(&BaseModel::chat_prompt("What is the capital of France?"), 24)
		.unwrap();
	assert!(answer.contains("Paris"), "answer: {answer:?}");
}

#[test]
fn a_file_that_is_not_gguf_is_refused_with_a_clear_error() {
	let path = std::env::temp_dir().join("openledger-not-a-model.gguf");
	std::fs::write(&path, b"definitely not a model").unwrap();
	let error = BaseModel::load(&path, &Device::Cpu).err().expect("refused");
	assert!(error.to_string().contains("is not a GGUF file"), "{error}");
	let _ = std::fs::remove_file(&path);
}
