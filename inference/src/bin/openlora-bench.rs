//! `cargo run --release -p openledger-inference --bin openlora-bench`: the engine measured on the
//! real base model, side by side in one run; prints tables and writes
//! `bench/results/openlora.json`.
//!
//! - throughput of N requests over N different adapters vs the same N over one adapter (Punica's
//!   bar: ≥ 0.8×), vs the base model alone, vs the N run one at a time;
//! - time to first token and per-token latency at batch 1, 8, 32, against candle's own quantized
//!   llama run as a plain single-request loop;
//! - adapter cold-load latency, and ≥ 1000 distinct adapters served in one run through a cache
//!   holding a fraction of them;
//! - weight memory of the base as shipped (Q4_1), dequantized (f32) and 8-bit (Q8_0);
//! - perplexity of the base on held-out text (`scripts/fetch-eval-text.sh`).
//!
//! Options: `--quick` (smaller sizes, for a smoke run), `--adapters N` (default 1000),
//! `--tokens N` (answer length, default 32), `--precision native|f32|q8` (the engine's base
//! weights, default q8 as the node serves), `--only memory,throughput,adapters,perplexity`,
//! `--out FILE`. Build it with `-C target-cpu=native` (`scripts/bench.sh` does): candle's SIMD
//! kernels for quantized weights are chosen at compile time.

use openledger_inference::{
	lora::adapter::{save_peft, synthetic_weights, LoraAdapter, PeftConfig, Projection},
	lora::store::AdapterStore,
	model::baseline::BaseModel,
	model::default_model,
	model::llama::Precision,
	model::loader::{self, LoadedModel},
	serving::engine::{Engine, EngineConfig, Event, Finished, Request},
	serving::sampling::SamplingParams,
};
use serde_json::{json, Value};
use std::{
	path::{Path, PathBuf},
	sync::mpsc,
	time::Instant,
};

const PROMPTS: [&str; 8] = [
	"What is the capital of France?",
	"Give me three tips for staying healthy.",
	"Explain what a blockchain is in one sentence.",
	"Write a haiku about the sea.",
	"What does a data scientist do?",
	"Name two planets of the solar system.",
	"How do I boil an egg?",
	"Why is the sky blue?",
];

struct Options {
	quick: bool,
	adapters: usize,
	tokens: usize,
	out: PathBuf,
	precision: Precision,
	only: Option<String>,
}

fn options() -> Options {
	let mut o = Options {
		quick: false,
		adapters: 1000,
		tokens: 32,
		out: PathBuf::from("bench/results/openlora.json"),
		// What the node serves by default.
		precision: Precision::Q8,
		only: None,
	};
	let args: Vec<String> = std::env::args().skip(1).collect();
	let mut i = 0;
	while i < args.len() {
		let value = args.get(i + 1).cloned().unwrap_or_default();
		match args[i].as_str() {
			"--quick" => {
				o.quick = true;
				i += 1;
				continue;
			}
			"--adapters" => o.adapters = value.parse().expect("--adapters N"),
			"--tokens" => o.tokens = value.parse().expect("--tokens N"),
			"--out" => o.out = PathBuf::from(value),
			"--precision" => o.precision = value.parse().expect("--precision native|f32|q8"),
			"--only" => o.only = Some(value),
			other => panic!("unknown option {other}"),
		}
		i += 2;
	}
	if o.quick {
		o.adapters = o.adapters.min(100);
		o.tokens = o.tokens.min(8);
	}
	o
}

fn prompt_ids(model: &LoadedModel, i: usize) -> Vec<u32> {
	let text = BaseModel::chat_prompt(PROMPTS[i % PROMPTS.len()]);
	model.tokenizer.encode(text, false).expect("prompt tokenizes").get_ids().to_vec()
}

fn new_engine(model: &LoadedModel, adapters: &Path, cache_bytes: usize, batch: usize) -> Engine {
	let config = EngineConfig {
		max_batch_size: batch.max(1),
		adapter_cache_bytes: cache_bytes,
		max_waiting: 100_000,
		..Default::default()
	};
	Engine::new(
		model.model.clone(),
		model.tokenizer.clone(),
		model.eos.clone(),
		AdapterStore::new(adapters, cache_bytes),
		config,
	)
	.expect("engine")
}

/// Runs `requests` (prompt index, adapter) through `engine` in one continuous batch; returns
/// the wall time and each request's end.
fn serve(
	engine: &mut Engine,
	requests: &[(Vec<u32>, Option<String>)],
	tokens: usize,
) -> (f64, Vec<Finished>) {
	let started = Instant::now();
	let receivers: Vec<_> = requests
		.iter()
		.map(|(p, adapter)| {
			let (tx, rx) = mpsc::channel();
			let request = Request {
				prompt: p.clone(),
				adapters: adapter.iter().map(|a| (a.clone(), 1.0)).collect(),
				sampling: SamplingParams {
					max_tokens: tokens,
					ignore_eos: true,
					..Default::default()
				},
			};
			engine.submit(request, tx).expect("request accepted");
			rx
		})
		.collect();
	engine.run_until_idle().expect("engine runs");
	let wall = started.elapsed().as_secs_f64();
	let ends = receivers
		.into_iter()
		.map(|rx| {
			rx.into_iter()
				.find_map(|e| match e {
					Event::Done(f) => Some(f),
					Event::Failed(e) => panic!("request failed: {e}"),
					Event::Token { .. } => None,
				})
				.expect("request ended")
		})
		.collect();
	(wall, ends)
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
	let v: Vec<f64> = v.collect();
	v.iter().sum::<f64>() / v.len().max(1) as f64
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
	v.sort_by(|a, b| a.total_cmp(b));
	v.get(((v.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0)
}

/// Writes `count` PEFT adapters (rank `rank` on q and v, like most published LoRAs) under `dir`.
fn write_adapters(dir: &Path, model: &LoadedModel, count: usize, rank: usize) {
	let targets = [Projection::Q, Projection::V];
	let peft = PeftConfig::lora(rank, 2.0 * rank as f32, &targets);
	for i in 0..count {
		let path = dir.join(format!("bench-{i:04}"));
		if path.join("adapter_model.safetensors").exists() {
			continue;
		}
		let weights = synthetic_weights(&model.model.config, rank, &targets, 10_000 + i as u64);
		save_peft(&path, &peft, &weights).expect("adapter written");
	}
}

fn main() {
	let o = options();
	let run =
		|section: &str| o.only.as_deref().is_none_or(|only| only.split(',').any(|s| s == section));
	let path = default_model::default_model_path();
	let mut report = serde_json::Map::new();
	let threads = rayon::current_num_threads();
	println!(
		"openlora-bench: {} ({threads} threads){}",
		path.display(),
		if o.quick { ", quick" } else { "" }
	);
	report.insert("model".into(), json!(default_model::DEFAULT_MODEL_FILE));
	report.insert("threads".into(), json!(threads));
	report.insert("answer_tokens".into(), json!(o.tokens));

	// Weight memory at each precision.
	if run("memory") {
		println!("\n== base weights in memory");
		let mut memory = Vec::new();
		for (label, precision) in [
			("q4_1 (as shipped)", Precision::Native),
			("f32", Precision::F32),
			("q8_0", Precision::Q8),
		] {
			let started = Instant::now();
			let m = loader::load(&path, precision).expect("base model loads");
			let load = started.elapsed().as_secs_f64();
			let mib = m.model.weight_bytes() as f64 / (1 << 20) as f64;
			println!("{label:>18}: {mib:8.1} MiB   (load {load:.2} s)");
			memory.push(json!({"precision": label, "mib": mib, "load_seconds": load}));
		}
		report.insert("weights".into(), Value::Array(memory));
	}

	let model = loader::load(&path, o.precision).expect("base model loads");
	report.insert("precision".into(), json!(format!("{:?}", o.precision)));
	let adapters_dir = std::env::temp_dir().join("openlora-bench-adapters");
	let max_batch = if o.quick { 8 } else { 32 };
	write_adapters(&adapters_dir, &model, o.adapters.max(max_batch), 8);

	// Throughput and latency.
	if run("throughput") {
		println!("\n== throughput, {} tokens per answer (tokens/s; ratio to 1 adapter)", o.tokens);
		println!(
			"{:>5} {:>12} {:>12} {:>12} {:>12} {:>12} {:>8}",
			"batch", "N adapters", "1 adapter", "base only", "one by one", "candle loop", "N/1"
		);
		let mut throughput = Vec::new();
		let mut reference =
			BaseModel::load(&path, &candle_core::Device::Cpu).expect("candle model");
		let batches: Vec<usize> = if o.quick { vec![1, 8] } else { vec![1, 8, 32] };
		for &n in &batches {
			let distinct: Vec<_> =
				(0..n).map(|i| (prompt_ids(&model, i), Some(format!("bench-{i:04}")))).collect();
			let same: Vec<_> =
				(0..n).map(|i| (prompt_ids(&model, i), Some("bench-0000".to_string()))).collect();
			let base: Vec<_> = (0..n).map(|i| (prompt_ids(&model, i), None)).collect();
			let budget = 1 << 30;
			let mut e = new_engine(&model, &adapters_dir, budget, n);
			serve(&mut e, &distinct, 2); // warm the adapters and the caches
			let (t_distinct, ends) = serve(&mut e, &distinct, o.tokens);
			let (t_same, _) = serve(&mut e, &same, o.tokens);
			let (t_base, _) = serve(&mut e, &base, o.tokens);
			let mut t_sequential = 0.0;
			for r in &distinct {
				t_sequential += serve(&mut e, std::slice::from_ref(r), o.tokens).0;
			}
			let mut t_candle = 0.0;
			let mut candle_ttft = Vec::new();
			for i in 0..n {
				let timed = reference
					.greedy_timed(&prompt_ids(&model, i), o.tokens, false)
					.expect("candle loop");
				t_candle += timed.total.as_secs_f64();
				candle_ttft.push(timed.first_token.as_secs_f64() * 1e3);
			}
			let total = (n * o.tokens) as f64;
			let rate = |t: f64| total / t;
			let ttft = mean(ends.iter().map(|f| f.ttft_micros as f64 / 1e3));
			let per_token = mean(ends.iter().map(|f| {
				(f.total_micros - f.ttft_micros) as f64
					/ 1e3 / (f.completion_tokens.max(2) - 1) as f64
			}));
			println!(
				"{n:>5} {:>12.1} {:>12.1} {:>12.1} {:>12.1} {:>12.1} {:>8.2}",
				rate(t_distinct),
				rate(t_same),
				rate(t_base),
				rate(t_sequential),
				rate(t_candle),
				t_same / t_distinct
			);
			throughput.push(json!({
				"batch": n,
				"tokens_per_s": {
					"n_adapters": rate(t_distinct), "one_adapter": rate(t_same), "base_only": rate(t_base),
					"one_at_a_time": rate(t_sequential), "candle_loop": rate(t_candle),
				},
				"n_adapters_over_one_adapter": t_same / t_distinct,
				"n_adapters_over_one_at_a_time": t_sequential / t_distinct,
				"ttft_ms": ttft,
				"per_token_ms": per_token,
				"candle_loop_ttft_ms": mean(candle_ttft.into_iter()),
			}));
		}
		println!("\n== latency with N adapters (ms)");
		println!("{:>5} {:>10} {:>12} {:>16}", "batch", "TTFT", "per token", "candle TTFT");
		for t in &throughput {
			println!(
				"{:>5} {:>10.1} {:>12.1} {:>16.1}",
				t["batch"],
				t["ttft_ms"].as_f64().unwrap_or(0.0),
				t["per_token_ms"].as_f64().unwrap_or(0.0),
				t["candle_loop_ttft_ms"].as_f64().unwrap_or(0.0)
			);
		}
		report.insert("throughput".into(), Value::Array(throughput));
	}

	// Cold loads and many adapters.
	if run("adapters") {
		println!("\n== adapters: {} on disk (rank 8, q and v)", o.adapters);
		let sample = o.adapters.min(200);
		let mut loads = Vec::new();
		let mut adapter_bytes = 0;
		for i in 0..sample {
			let name = format!("bench-{i:04}");
			let started = Instant::now();
			let a = LoraAdapter::load(&name, &adapters_dir.join(&name), &model.model.config)
				.expect("adapter loads");
			loads.push(started.elapsed().as_secs_f64() * 1e3);
			adapter_bytes = a.bytes();
		}
		let (p50, p99) = (percentile(loads.clone(), 0.5), percentile(loads, 0.99));
		println!("cold load (disk → usable, {sample} adapters of {:.0} KiB): p50 {p50:.2} ms, p99 {p99:.2} ms", adapter_bytes as f64 / 1024.0);
		let cached = (o.adapters / 10).max(4);
		let mut e = new_engine(&model, &adapters_dir, cached * adapter_bytes, max_batch);
		// Short raw prompts: this measures adapter traffic, not prefill.
		let short =
			model.tokenizer.encode("Hello there", false).expect("tokenizes").get_ids().to_vec();
		let all: Vec<_> =
			(0..o.adapters).map(|i| (short.clone(), Some(format!("bench-{i:04}")))).collect();
		let (wall, ends) = serve(&mut e, &all, 2);
		let stats = e.stats();
		println!(
		"served {} requests over {} distinct adapters in {wall:.1} s with a cache of {cached} adapters: {} loads, {} evictions, {:.1} requests/s",
		ends.len(),
		o.adapters,
		stats.adapters.loads,
		stats.adapters.evictions,
		ends.len() as f64 / wall
	);
		report.insert(
			"adapters".into(),
			json!({
				"on_disk": o.adapters, "adapter_kib": adapter_bytes as f64 / 1024.0,
				"cold_load_ms": {"p50": p50, "p99": p99, "sample": sample},
				"served_distinct": ends.len(), "cache_capacity_adapters": cached,
				"loads": stats.adapters.loads, "evictions": stats.adapters.evictions,
				"seconds": wall, "requests_per_s": ends.len() as f64 / wall,
			}),
		);
	}

	// Perplexity on held-out text.
	let text_path = default_model::models_dir().join("eval/chatterbot-en.txt");
	if run("perplexity") {
		match std::fs::read_to_string(&text_path) {
			Ok(text) => {
				let limit = if o.quick { 2_000 } else { 20_000 };
				let ids =
					model.tokenizer.encode(text, false).expect("text tokenizes").get_ids().to_vec();
				let ids = &ids[..ids.len().min(limit)];
				let started = Instant::now();
				let nll = model.model.mean_nll(ids, 512).expect("perplexity");
				let ppl = nll.exp();
				println!(
					"\n== perplexity on {} ({} tokens, windows of 512): {ppl:.2}  ({:.1} s)",
					text_path.display(),
					ids.len(),
					started.elapsed().as_secs_f64()
				);
				report.insert("perplexity".into(), json!({"text": "chatterbot-corpus 1.2.0, English", "tokens": ids.len(), "window": 512, "perplexity": ppl}));
			}
			Err(_) => println!(
				"\n(no held-out text at {}: run scripts/fetch-eval-text.sh)",
				text_path.display()
			),
		}
	}

	if let Some(dir) = o.out.parent() {
		std::fs::create_dir_all(dir).expect("results directory");
	}
	std::fs::write(
		&o.out,
		serde_json::to_string_pretty(&Value::Object(report)).expect("json") + "\n",
	)
	.expect("results written");
	println!("\nwrote {}", o.out.display());
}
