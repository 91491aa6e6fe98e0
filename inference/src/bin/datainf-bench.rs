//! `cargo run --release -p openledger-inference --bin datainf-bench`: the cost of Proof of
//! Attribution on the real base model, printed as a table and written to
//! `bench/results/datainf.json`.
//!
//! - the gradient of one example's loss w.r.t. a rank-8 q/v adapter of SmolLM2 (what storing a
//!   contribution costs once, and what each output costs);
//! - the storage of per-example gradients per 1,000 contributions, exact and CountSketched;
//! - the DataInf scoring of one output over 1,000 and 10,000 stored contributions, and how it
//!   grows, next to the plain gradient dot product. (The stored gradients here are synthetic
//!   values of the real shapes: scoring time does not depend on the values, and 10,000 real
//!   backward passes would take hours on a CPU.)

use openledger_inference::{
	attribution::datainf::{example_gradient, GradientBlock, GradientStore},
	lora::adapter::Projection,
	lora::params::LoraConfig,
	lora::params::LoraParams,
	model::default_model,
	model::llama::Precision,
	model::loader,
	model::trainable::Example,
	model::trainable::Trainable,
	rng::SplitMix64,
};
use serde_json::json;
use std::time::Instant;

fn main() {
	let path = default_model::default_model_path();
	let model = loader::load(&path, Precision::Native).expect("base model");
	let config = model.model.config.clone();
	let lora_config =
		LoraConfig { rank: 8, alpha: 16.0, targets: vec!["q_proj".into(), "v_proj".into()] };
	let lora = LoraParams::init(&config, &lora_config, 1).expect("lora");
	let started = Instant::now();
	let trainable = Trainable::new(&model.model).expect("dense base");
	let dense_s = started.elapsed().as_secs_f64();
	let prompt = model
		.chat
		.conversation(&[("user".into(), "What is the capital of France?".into())])
		.expect("tokens");
	let answer = model.tokenizer.encode("The capital of France is Paris.", false).expect("tokens");
	let example = Example { id: 1, prompt, completion: answer.get_ids().to_vec() };
	example_gradient(&trainable, &lora, &example, None).expect("warm-up");
	let runs = 3;
	let started = Instant::now();
	for _ in 0..runs {
		example_gradient(&trainable, &lora, &example, None).expect("gradient");
	}
	let gradient_ms = started.elapsed().as_secs_f64() * 1e3 / runs as f64;
	let layout = lora.block_layout();
	let full_dims: usize = layout.iter().map(|b| b.2).sum();
	let sketch = 256;
	println!(
		"SmolLM2-135M, rank-8 LoRA on q and v: {} blocks, {full_dims} parameters",
		layout.len()
	);
	println!(
		"gradient of one example ({} tokens): {gradient_ms:.0} ms   (dense base ready in {dense_s:.1} s)",
		example.prompt.len() + example.completion.len()
	);
	let per_1000_exact = full_dims as f64 * 4.0 * 1000.0 / (1 << 20) as f64;
	let per_1000_sketch = (layout.len() * sketch) as f64 * 4.0 * 1000.0 / (1 << 20) as f64;
	println!("storage per 1,000 contributions: {per_1000_exact:.0} MiB exact, {per_1000_sketch:.1} MiB sketched to {sketch} per block");

	println!("\n{:>8} {:>14} {:>16} {:>14}", "n", "DataInf (ms)", "grad·dot (ms)", "store (MiB)");
	let mut rows = Vec::new();
	let mut rng = SplitMix64::new(5);
	for n in [1_000usize, 10_000] {
		let blocks: Vec<GradientBlock> = layout
			.iter()
			.map(|&(layer, projection, _): &(usize, Projection, usize)| GradientBlock {
				layer,
				projection,
				dim: sketch,
				grads: (0..n * sketch).map(|_| rng.next_f32() - 0.5).collect(),
				damping: 0.01,
			})
			.collect();
		let store =
			GradientStore { ids: (0..n as u64).collect(), blocks, sketch: Some((sketch, 1)) };
		let v: Vec<Vec<f32>> =
			layout.iter().map(|_| (0..sketch).map(|_| rng.next_f32() - 0.5).collect()).collect();
		store.datainf(&v).expect("warm-up");
		let started = Instant::now();
		let scores = store.datainf(&v).expect("scores");
		let datainf_ms = started.elapsed().as_secs_f64() * 1e3;
		let started = Instant::now();
		store.gradient_dot(&v).expect("scores");
		let dot_ms = started.elapsed().as_secs_f64() * 1e3;
		let mib = store.bytes() as f64 / (1 << 20) as f64;
		assert_eq!(scores.len(), n);
		println!("{n:>8} {datainf_ms:>14.1} {dot_ms:>16.1} {mib:>14.1}");
		rows.push(json!({ "contributions": n, "datainf_ms": datainf_ms, "gradient_dot_ms": dot_ms, "store_mib": mib }));
	}
	let report = json!({
		"model": default_model::DEFAULT_MODEL_FILE,
		"lora": { "rank": 8, "targets": ["q_proj", "v_proj"], "blocks": layout.len(), "parameters": full_dims },
		"example_gradient_ms": gradient_ms,
		"storage_mib_per_1000": { "exact": per_1000_exact, "sketched": per_1000_sketch, "sketch_per_block": sketch },
		"scoring": rows,
	});
	std::fs::create_dir_all("bench/results").expect("results dir");
	std::fs::write(
		"bench/results/datainf.json",
		serde_json::to_string_pretty(&report).expect("json") + "\n",
	)
	.expect("write");
	println!("\nwrote bench/results/datainf.json");
}
