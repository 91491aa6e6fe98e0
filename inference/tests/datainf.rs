//! DataInf on the tiny deterministic model: it agrees with the exact damped influence, its store
//! round-trips, and it finds mislabeled training data better than chance and than a plain
//! gradient dot product.

mod common;

use common::*;
use openledger_inference::{
	attribution::datainf::{
		auc, example_gradient, pearson, spearman, GradientStore, DEFAULT_DAMPING,
	},
	lora::params::LoraConfig,
	model::llama::Precision,
	model::trainable::Example,
	model::trainable::Trainable,
	rng::SplitMix64,
	training::train::train,
	training::train::Progress,
	training::train::TrainConfig,
};

fn quiet(_: &Progress) {}

fn config(targets: &[&str], rank: usize, epochs: usize) -> TrainConfig {
	TrainConfig {
		lora: LoraConfig {
			rank,
			alpha: 2.0 * rank as f32,
			targets: targets.iter().map(|t| t.to_string()).collect(),
		},
		learning_rate: 1e-2,
		epochs,
		batch_size: 4,
		weight_decay: 0.0,
		seed: 3,
		max_tokens: 64,
	}
}

/// `n` examples "<word>? " → "yes." when the word starts with a vowel, "no." otherwise; the
/// examples listed in `flip` get the wrong answer.
fn yes_no(n: usize, seed: u64, flip: &[usize]) -> Vec<Example> {
	let mut rng = SplitMix64::new(seed);
	let letters: Vec<char> = "abcdefghijklmnopqrstuvwxyz".chars().collect();
	(0..n)
		.map(|i| {
			let len = 3 + (rng.next_u64() % 4) as usize;
			let word: String = (0..len).map(|_| letters[(rng.next_u64() % 26) as usize]).collect();
			let vowel = "aeiou".contains(word.chars().next().unwrap());
			let answer = if vowel != flip.contains(&i) { "yes." } else { "no." };
			Example {
				id: 100 + i as u64,
				prompt: ids(&format!("{word}? ")),
				completion: ids(answer),
			}
		})
		.collect()
}

#[test]
fn datainf_agrees_with_the_exact_damped_influence() {
	let model = model(Precision::F32);
	let train_set = yes_no(48, 1, &[]);
	let cfg = config(&["v_proj"], 1, 4);
	let trained = train(&model, &train_set, &cfg, None, None, &mut quiet).unwrap();
	let trainable = Trainable::new(&model).unwrap();
	let store = GradientStore::build(&trainable, &trained.lora, &train_set, None).unwrap();
	assert_eq!(store.len(), 48);
	let tests: Vec<_> = yes_no(6, 99, &[])
		.iter()
		.map(|t| example_gradient(&trainable, &trained.lora, t, None).unwrap())
		.collect();
	for factor in [0.01, 0.1, 1.0, 10.0, 100.0] {
		let store = store.clone().with_damping(factor);
		let (mut s, mut p) = (0.0, 0.0);
		for v in &tests {
			let approx = store.datainf(v).unwrap();
			let exact = store.exact(v).unwrap();
			s += spearman(&approx, &exact) / tests.len() as f64;
			p += pearson(&approx, &exact) / tests.len() as f64;
		}
		println!("damping {factor}: DataInf vs exact Spearman {s:.3}, Pearson {p:.3}");
		if factor == DEFAULT_DAMPING {
			assert!(s >= 0.9, "Spearman {s} at the default damping");
		}
	}
}

#[test]
fn the_gradient_store_round_trips_and_refuses_a_corrupt_file() {
	let model = model(Precision::F32);
	let train_set = yes_no(10, 2, &[]);
	let cfg = config(&["q_proj", "v_proj"], 2, 1);
	let trained = train(&model, &train_set, &cfg, None, None, &mut quiet).unwrap();
	let trainable = Trainable::new(&model).unwrap();
	let store = GradientStore::build(&trainable, &trained.lora, &train_set, Some((32, 7))).unwrap();
	assert!(store.blocks.iter().all(|b| b.dim == 32));
	let dir = temp_dir("gradients");
	store.save(&dir).unwrap();
	let back = GradientStore::load(&dir).unwrap();
	assert_eq!(back.ids, store.ids);
	let v =
		example_gradient(&trainable, &trained.lora, &yes_no(1, 5, &[])[0], Some((32, 7))).unwrap();
	for (a, b) in back.datainf(&v).unwrap().iter().zip(store.datainf(&v).unwrap()) {
		assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} vs {b}");
	}
	let file = dir.join(openledger_inference::attribution::datainf::GRADIENTS_FILE);
	let bytes = std::fs::read(&file).unwrap();
	std::fs::write(&file, &bytes[..bytes.len() / 3]).unwrap();
	assert!(GradientStore::load(&dir).unwrap_err().to_string().contains("corrupt"));
	// A gradient of another shape is refused, not misread.
	assert!(store.datainf(&v[..1]).is_err());
}

#[test]
fn influence_finds_mislabeled_contributions() {
	let model = model(Precision::F32);
	let n = 60;
	let flipped: Vec<usize> = (0..n).filter(|i| i % 5 == 0).collect(); // 20%
	let train_set = yes_no(n, 11, &flipped);
	let cfg = config(&["q_proj", "v_proj", "down_proj"], 2, 12);
	let trained = train(&model, &train_set, &cfg, None, None, &mut quiet).unwrap();
	let trainable = Trainable::new(&model).unwrap();
	let store = GradientStore::build(&trainable, &trained.lora, &train_set, None).unwrap();
	// Influence on a clean validation set: mislabeled points should hurt it (low scores), so
	// they are found by ranking on minus the summed score.
	let tests: Vec<_> = yes_no(30, 77, &[])
		.iter()
		.map(|t| example_gradient(&trainable, &trained.lora, t, None).unwrap())
		.collect();
	let is_flipped: Vec<bool> = (0..n).map(|i| flipped.contains(&i)).collect();
	let detect = |scores: &dyn Fn(&[Vec<f32>]) -> Vec<f64>| {
		let mut total = vec![0.0; n];
		for v in &tests {
			for (t, x) in total.iter_mut().zip(scores(v)) {
				*t -= x;
			}
		}
		auc(&total, &is_flipped)
	};
	let auc_dot = detect(&|v| store.gradient_dot(v).unwrap());
	let auc_exact = detect(&|v| store.exact(v).unwrap());
	let auc_datainf = detect(&|v| store.datainf(v).unwrap());
	println!("mislabeled detection AUC: DataInf {auc_datainf:.3}, exact {auc_exact:.3}, gradient dot {auc_dot:.3}, random 0.5");
	for factor in [0.1, 1.0] {
		let damped = store.clone().with_damping(factor);
		let a = detect(&|v| damped.datainf(v).unwrap());
		let e = detect(&|v| damped.exact(v).unwrap());
		println!("  damping {factor}: DataInf {a:.3}, exact {e:.3}");
	}
	assert!(auc_datainf > 0.7, "DataInf AUC {auc_datainf}");
}
