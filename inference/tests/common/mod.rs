//! A tiny deterministic model, a character tokenizer and PEFT adapters on disk: what the engine
//! tests need without the real base model.

#![allow(dead_code)]

use openledger_inference::{
	config::{ModelConfig, RopeStyle},
	lora::adapter::{save_peft, synthetic_weights, PeftConfig, Projection},
	lora::store::AdapterStore,
	model::llama::{Llama, Precision},
	serving::engine::{Engine, EngineConfig},
};
use std::{collections::HashMap, path::PathBuf, sync::Arc};
use tokenizers::{decoders::fuse::Fuse, models::wordlevel::WordLevel, Tokenizer};

pub const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz .,!?0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// The last id: end of sequence.
pub const EOS: u32 = 68;

pub fn config() -> ModelConfig {
	ModelConfig {
		hidden: 64,
		intermediate: 128,
		layers: 2,
		heads: 4,
		kv_heads: 2,
		head_dim: 16,
		vocab: 69,
		context: 256,
		rms_eps: 1e-5,
		rope_theta: 10_000.0,
		rope_style: RopeStyle::Interleaved,
	}
}

pub fn model(precision: Precision) -> Arc<Llama> {
	Arc::new(Llama::synthetic(config(), 42, precision).unwrap())
}

/// One token per character of [`ALPHABET`], decoded by concatenation.
pub fn tokenizer() -> Arc<Tokenizer> {
	let mut vocab: HashMap<String, u32> =
		ALPHABET.chars().enumerate().map(|(i, c)| (c.to_string(), i as u32)).collect();
	vocab.insert("<eos>".into(), EOS);
	let wordlevel = WordLevel::builder()
		.vocab(vocab.into_iter().collect())
		.unk_token("<eos>".into())
		.build()
		.unwrap();
	let mut t = Tokenizer::new(wordlevel);
	t.with_decoder(Some(Fuse::new()));
	Arc::new(t)
}

pub fn ids(text: &str) -> Vec<u32> {
	text.chars().map(|c| ALPHABET.find(c).expect("character in the alphabet") as u32).collect()
}

/// A fresh directory under the system's temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("openlora-{}-{name}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

/// Writes `count` PEFT adapters `a0, a1, …` (rank 4 + i % 3 · 4, different targets) under `root`.
pub fn write_adapters(root: &std::path::Path, count: usize) {
	let targets: [&[Projection]; 3] = [
		&[Projection::Q, Projection::V],
		&Projection::ALL,
		&[Projection::K, Projection::O, Projection::Down],
	];
	for i in 0..count {
		let rank = 4 + (i % 3) * 4;
		let t = targets[i % 3];
		let peft = PeftConfig::lora(rank, 2.0 * rank as f32, t);
		save_peft(
			&root.join(format!("a{i}")),
			&peft,
			&synthetic_weights(&config(), rank, t, 1000 + i as u64),
		)
		.unwrap();
	}
}

pub fn engine(root: &std::path::Path, config: EngineConfig, precision: Precision) -> Engine {
	Engine::new(model(precision), tokenizer(), vec![EOS], AdapterStore::new(root, 64 << 20), config)
		.unwrap()
}
