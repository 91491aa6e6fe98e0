//! Fine-tuning on the tiny deterministic model: the training forward pass computes what the
//! engine computes, training learns, the result serves through the engine unchanged, and runs are
//! deterministic and resumable.

mod common;

use common::*;
use openledger_inference::{
	lora::adapter::{save_peft, LoraAdapter},
	lora::params::LoraConfig,
	lora::store::AdapterStore,
	model::kv_cache::{blocks_for, KvCache},
	model::llama::{Chunk, Precision},
	model::trainable::Example,
	model::trainable::Trainable,
	serving::engine::{EngineConfig, Event, Request},
	serving::sampling::SamplingParams,
	training::train::train,
	training::train::Progress,
	training::train::TrainConfig,
};
use std::sync::{mpsc, Arc};

fn examples() -> Vec<Example> {
	let pairs = [
		("capital of france? ", "paris."),
		("capital of italy? ", "rome."),
		("capital of spain? ", "madrid."),
		("capital of japan? ", "tokyo."),
		("two plus two? ", "four."),
		("colour of the sky? ", "blue."),
	];
	pairs
		.iter()
		.enumerate()
		.map(|(i, (p, c))| Example { id: i as u64 + 1, prompt: ids(p), completion: ids(c) })
		.collect()
}

fn config(epochs: usize) -> TrainConfig {
	TrainConfig {
		lora: LoraConfig {
			rank: 8,
			alpha: 16.0,
			targets: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
				.map(String::from)
				.to_vec(),
		},
		learning_rate: 1e-2,
		epochs,
		batch_size: 3,
		weight_decay: 0.0,
		seed: 9,
		max_tokens: 64,
	}
}

fn quiet(_: &Progress) {}

#[test]
fn the_training_forward_pass_computes_what_the_engine_computes() {
	let model = model(Precision::F32);
	// A few steps so that B is no longer zero.
	let trained = train(&model, &examples(), &config(2), None, None, &mut quiet).unwrap();
	let dir = temp_dir("train-vs-engine").join("tuned");
	let (peft, weights) = trained.lora.to_peft(&model.config, &config(2).lora).unwrap();
	save_peft(&dir, &peft, &weights).unwrap();
	let adapter = Arc::new(LoraAdapter::load("tuned", &dir, &model.config).unwrap());

	let tokens = ids("capital of france? pa");
	let trainable = Trainable::new(&model).unwrap();
	let all = trainable.logits(&tokens, &trained.lora).unwrap();
	let last: Vec<f32> = all.get(tokens.len() - 1).unwrap().to_vec1().unwrap();

	let mut cache = KvCache::new(&model.config, 32, 4);
	let blocks: Vec<u32> = (0..blocks_for(tokens.len(), 4) as u32).collect();
	let adapters = vec![(adapter, 1.0)];
	let chunk =
		Chunk { tokens: &tokens, start: 0, blocks: &blocks, adapters: &adapters, logits: true };
	let engine = model.forward(&[chunk], &mut cache).unwrap().remove(0);
	let worst = last.iter().zip(&engine).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
	assert!(worst < 1e-3, "training and serving disagree by {worst}");
}

#[test]
fn fine_tuning_learns_and_the_engine_serves_what_it_learned() {
	let model = model(Precision::F32);
	let mut steps = Vec::new();
	let trained = train(&model, &examples(), &config(40), None, None, &mut |p: &Progress| {
		steps.push(p.clone())
	})
	.unwrap();
	let first = trained.epoch_losses[0];
	let last = *trained.epoch_losses.last().unwrap();
	assert!(last < first / 10.0, "loss {first} → {last}");
	assert_eq!(steps.len(), 40 * 2);
	assert_eq!(steps.last().unwrap().step, steps.last().unwrap().total_steps);
	assert!(steps.iter().all(|p| p.tokens_per_second > 0.0));

	// Write it as PEFT and serve it: the engine answers the training prompts as taught.
	let root = temp_dir("learned");
	let (peft, weights) = trained.lora.to_peft(&model.config, &config(40).lora).unwrap();
	save_peft(&root.join("capitals"), &peft, &weights).unwrap();
	let mut engine = openledger_inference::serving::engine::Engine::new(
		model.clone(),
		tokenizer(),
		vec![EOS],
		AdapterStore::new(&root, 64 << 20),
		EngineConfig::default(),
	)
	.unwrap();
	let mut right = 0;
	for e in examples() {
		let (tx, rx) = mpsc::channel();
		let request = Request {
			prompt: e.prompt.clone(),
			adapters: vec![("capitals".into(), 1.0)],
			sampling: SamplingParams { max_tokens: e.completion.len(), ..Default::default() },
		};
		engine.submit(request, tx).unwrap();
		engine.run_until_idle().unwrap();
		let done = rx
			.into_iter()
			.find_map(|ev| if let Event::Done(f) = ev { Some(f) } else { None })
			.unwrap();
		right += usize::from(done.tokens == e.completion);
	}
	assert!(right >= 5, "{right} of 6 answers learned");
}

#[test]
fn training_is_deterministic_and_resumes_exactly() {
	let model = model(Precision::F32);
	let flat = |t: &openledger_inference::training::train::Trained| -> Vec<f32> {
		t.lora
			.vars()
			.iter()
			.flat_map(|v| v.flatten_all().unwrap().to_vec1::<f32>().unwrap())
			.collect()
	};
	let straight = train(&model, &examples(), &config(3), None, None, &mut quiet).unwrap();
	let again = train(&model, &examples(), &config(3), None, None, &mut quiet).unwrap();
	assert_eq!(flat(&straight), flat(&again));

	// Stop after one epoch (a run configured for 1 epoch writes the same checkpoint a 3-epoch run
	// would after its first), then resume to 3.
	let dir = temp_dir("resume");
	let mut one = config(3);
	one.epochs = 1;
	train(&model, &examples(), &one, Some(&dir), None, &mut quiet).unwrap();
	let resumed = train(&model, &examples(), &config(3), None, Some(&dir), &mut quiet).unwrap();
	assert_eq!(flat(&resumed), flat(&straight), "resumed = uninterrupted");
	assert_eq!(resumed.steps, straight.steps);
	assert_eq!(resumed.epoch_losses, straight.epoch_losses);
	// Any other change makes it another run: refused.
	let mut other = config(3);
	other.learning_rate = 5e-3;
	let refused = train(&model, &examples(), &other, None, Some(&dir), &mut quiet).err().unwrap();
	assert!(refused.to_string().contains("another training config"));
}
