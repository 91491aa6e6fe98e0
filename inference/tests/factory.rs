//! A ModelFactory job on the tiny model, written as a checkpoint directory: it trains, evaluates,
//! stores gradients and a manifest, and the result serves and explains its answers.

mod common;

use common::*;
use openledger_inference::{
	attribution::datainf::{example_gradient, GradientStore},
	lora::adapter::LoraAdapter,
	lora::params::LoraConfig,
	lora::params::LoraParams,
	model::llama::Precision,
	model::trainable::Example,
	model::trainable::Trainable,
	training::job::{run, Job},
	training::manifest::{training_data_root, Manifest},
	training::train::TrainConfig,
};

fn pairs(items: &[(&str, &str)], first_id: u64) -> Vec<Example> {
	items
		.iter()
		.enumerate()
		.map(|(i, (p, c))| Example { id: first_id + i as u64, prompt: ids(p), completion: ids(c) })
		.collect()
}

#[test]
fn a_factory_job_trains_evaluates_and_records_provenance() {
	let root = temp_dir("factory");
	let base = root.join("tiny-base");
	model(Precision::F32).export_hf(&base, EOS).unwrap();
	tokenizer().save(base.join("tokenizer.json"), false).unwrap();
	let train = pairs(
		&[
			("capital of france? ", "paris."),
			("capital of italy? ", "rome."),
			("capital of spain? ", "madrid."),
			("capital of japan? ", "tokyo."),
			("capital of peru? ", "lima."),
			("capital of chile? ", "santiago."),
		],
		10,
	);
	let held_out =
		pairs(&[("capital of france ? ", "paris."), ("capital of italy ? ", "rome.")], 50);
	let job = Job {
		model: None,
		base: base.clone(),
		train: train.clone(),
		held_out,
		datanets: vec![1],
		contributors: vec![(10, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".into())],
		config: TrainConfig {
			lora: LoraConfig {
				rank: 4,
				alpha: 8.0,
				targets: vec!["q_proj".into(), "v_proj".into(), "down_proj".into()],
			},
			learning_rate: 1e-2,
			epochs: 30,
			batch_size: 3,
			weight_decay: 0.0,
			seed: 1,
			max_tokens: 64,
		},
		sketch: None,
		out: root.join("capitals"),
	};
	let manifest = run(&job, &mut |_| {}).unwrap();
	// Provenance.
	assert_eq!(manifest.training_data_count, 6);
	assert_eq!(manifest.contributions, (10..16).collect::<Vec<_>>());
	let root_hex: String =
		training_data_root(&manifest.contributions).iter().map(|b| format!("{b:02x}")).collect();
	assert_eq!(manifest.training_data_root, format!("0x{root_hex}"));
	let back = Manifest::read(&job.out).unwrap();
	assert_eq!(
		(
			&back.adapter_hash,
			&back.base_model_hash,
			&back.config_hash,
			&back.contributions,
			&back.contributors
		),
		(
			&manifest.adapter_hash,
			&manifest.base_model_hash,
			&manifest.config_hash,
			&manifest.contributions,
			&manifest.contributors
		)
	);
	assert!(!job.out.join("checkpoint").exists(), "the checkpoint is removed once done");
	// Evaluation: the adapter beats the base on the held-out split.
	let eval = manifest.evaluation.clone().unwrap();
	assert!(eval.tuned.loss < eval.base.loss, "{eval:?}");
	assert!(eval.tuned.rouge_l >= eval.base.rouge_l);
	assert!(eval.peak_memory_bytes.unwrap() > 0);
	assert_eq!(manifest.eval_scores.len(), 4);

	// Attribution from what the job stored: the contribution the question was trained on
	// supports the answer most.
	let adapter = LoraAdapter::load("capitals", &job.out, &model(Precision::F32).config).unwrap();
	let tiny = model(Precision::F32);
	let lora = LoraParams::from_adapter(&tiny.config, &adapter).unwrap();
	let trainable = Trainable::new(&tiny).unwrap();
	let store = GradientStore::load(&job.out).unwrap();
	assert_eq!(store.ids, (10..16).collect::<Vec<_>>());
	let output = Example { id: 0, prompt: ids("capital of spain? "), completion: ids("madrid.") };
	let v = example_gradient(&trainable, &lora, &output, None).unwrap();
	let scores = store.datainf(&v).unwrap();
	let best = scores.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
	assert_eq!(store.ids[best], 12, "scores {scores:?}");
}
