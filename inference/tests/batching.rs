//! The engine's core promises on a tiny deterministic model: a heterogeneous batch gives every
//! request exactly what it would get alone, whatever else shares the batch, however it is
//! chunked, and even when it is preempted and recomputed.

mod common;

use common::*;
use openledger_inference::{
	lora::store::AdapterStore,
	model::kv_cache::{blocks_for, BlockAllocator, KvCache},
	model::llama::{AdapterSet, Chunk, Llama, Precision},
	serving::engine::{EngineConfig, Event, FinishReason, Finished, Request},
	serving::sampling::SamplingParams,
};
use std::sync::mpsc;

/// Logits of the last token of `tokens` for each request, computed in ONE batch.
fn batch_logits(model: &Llama, requests: &[(Vec<u32>, AdapterSet)]) -> Vec<Vec<f32>> {
	let block_size = 4;
	let mut cache = KvCache::new(&model.config, 256, block_size);
	let mut alloc = BlockAllocator::new(256);
	let tables: Vec<Vec<u32>> = requests
		.iter()
		.map(|(t, _)| {
			(0..blocks_for(t.len(), block_size)).map(|_| alloc.allocate().unwrap()).collect()
		})
		.collect();
	let chunks: Vec<Chunk<'_>> = requests
		.iter()
		.zip(&tables)
		.map(|((tokens, adapters), blocks)| Chunk {
			tokens,
			start: 0,
			blocks,
			adapters,
			logits: true,
		})
		.collect();
	model.forward(&chunks, &mut cache).unwrap()
}

fn assert_close(a: &[f32], b: &[f32], what: &str) {
	assert_eq!(a.len(), b.len());
	let scale = a.iter().map(|v| v.abs()).fold(1e-3f32, f32::max);
	let worst = a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
	assert!(worst <= 1e-4 * scale.max(1.0), "{what}: max difference {worst} (scale {scale})");
}

fn max_difference(a: &[f32], b: &[f32]) -> f32 {
	a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max)
}

#[test]
fn batched_lora_logits_equal_each_adapter_alone() {
	let root = temp_dir("batched-logits");
	write_adapters(&root, 4);
	let model = model(Precision::F32);
	let mut store = AdapterStore::new(&root, 64 << 20);
	let a: Vec<_> = (0..4).map(|i| store.get(&format!("a{i}"), &model.config).unwrap()).collect();
	let requests = vec![
		(ids("hello world"), vec![(a[0].clone(), 1.0)]),
		(ids("the quick brown fox jumps"), vec![(a[1].clone(), 1.0)]),
		(ids("no adapter here"), vec![]),
		(ids("abc"), vec![(a[2].clone(), 1.0)]),
		(ids("ensemble of two adapters"), vec![(a[3].clone(), 0.7), (a[0].clone(), 0.3)]),
		(ids("hello world"), vec![(a[1].clone(), 1.0)]),
	];
	let together = batch_logits(&model, &requests);
	for (i, request) in requests.iter().enumerate() {
		let alone = batch_logits(&model, std::slice::from_ref(request));
		assert_close(&together[i], &alone[0], &format!("request {i}"));
	}
	// The adapters do change the answer: the same prompt under a0 and a1 differs, and differs
	// from the base model.
	let base = batch_logits(&model, &[(ids("hello world"), vec![])]);
	assert!(max_difference(&together[0], &base[0]) > 1e-2);
	assert!(max_difference(&together[0], &together[5]) > 1e-2);
}

#[test]
fn an_ensemble_weights_its_adapters() {
	let root = temp_dir("ensemble");
	write_adapters(&root, 2);
	let model = model(Precision::F32);
	let mut store = AdapterStore::new(&root, 64 << 20);
	let a0 = store.get("a0", &model.config).unwrap();
	let a1 = store.get("a1", &model.config).unwrap();
	let prompt = ids("weights");
	let logits = batch_logits(
		&model,
		&[
			(prompt.clone(), vec![(a0.clone(), 1.0)]),
			(prompt.clone(), vec![(a0.clone(), 1.0), (a1.clone(), 0.0)]),
			(prompt.clone(), vec![(a0.clone(), 0.5), (a1.clone(), 0.5)]),
			(prompt.clone(), vec![(a1.clone(), 1.0)]),
		],
	);
	// A zero weight is no adapter at all; a half/half mix is neither adapter.
	assert_close(&logits[0], &logits[1], "weight zero");
	assert!(max_difference(&logits[2], &logits[0]) > 1e-3);
	assert!(max_difference(&logits[2], &logits[3]) > 1e-3);
}

#[test]
fn token_by_token_decoding_matches_one_prefill() {
	let model = model(Precision::F32);
	let tokens = ids("paged attention keeps every position");
	let block_size = 4;
	let mut cache = KvCache::new(&model.config, 64, block_size);
	let blocks: Vec<u32> = (0..blocks_for(tokens.len(), block_size) as u32).rev().collect();
	let mut last = Vec::new();
	for p in 0..tokens.len() {
		let chunk = Chunk {
			tokens: &tokens[p..p + 1],
			start: p,
			blocks: &blocks,
			adapters: &[],
			logits: true,
		};
		last = model.forward(&[chunk], &mut cache).unwrap().remove(0);
	}
	let full = batch_logits(&model, &[(tokens.clone(), vec![])]);
	assert_close(&last, &full[0], "incremental vs full prefill");
}

fn collect(rx: mpsc::Receiver<Event>) -> (Finished, String) {
	let mut streamed = String::new();
	for event in rx {
		match event {
			Event::Token { text, .. } => streamed.push_str(&text),
			Event::Done(f) => return (f, streamed),
			Event::Failed(e) => panic!("request failed: {e}"),
		}
	}
	panic!("the request never ended")
}

fn request(prompt: &str, adapter: Option<&str>, sampling: SamplingParams) -> Request {
	Request {
		prompt: ids(prompt),
		adapters: adapter.map(|a| vec![(a.to_string(), 1.0)]).unwrap_or_default(),
		sampling,
	}
}

fn greedy(max_tokens: usize) -> SamplingParams {
	SamplingParams { max_tokens, ..Default::default() }
}

fn sampled(seed: u64, max_tokens: usize) -> SamplingParams {
	SamplingParams {
		temperature: 0.9,
		top_p: 0.95,
		top_k: 20,
		seed: Some(seed),
		max_tokens,
		..Default::default()
	}
}

/// Runs `requests` through an engine with `config`, submitting the later half after a few
/// steps (continuous batching); returns each one's end.
fn run(
	root: &std::path::Path,
	config: EngineConfig,
	requests: Vec<Request>,
) -> (Vec<Finished>, u64) {
	let mut engine = engine(root, config, Precision::F32);
	let mut receivers = Vec::new();
	let half = requests.len() / 2;
	for (i, r) in requests.into_iter().enumerate() {
		if i == half {
			for _ in 0..3 {
				engine.step().unwrap();
			}
		}
		let (tx, rx) = mpsc::channel();
		engine.submit(r, tx).unwrap();
		receivers.push(rx);
	}
	engine.run_until_idle().unwrap();
	let preemptions = engine.stats().preemptions;
	let ends = receivers
		.into_iter()
		.map(|rx| {
			let (f, streamed) = collect(rx);
			assert_eq!(streamed, f.text, "the streamed deltas add up to the answer");
			f
		})
		.collect();
	(ends, preemptions)
}

fn mixed_requests() -> Vec<Request> {
	vec![
		request("first request", Some("a0"), greedy(20)),
		request("second one, longer prompt here", Some("a1"), sampled(7, 24)),
		request("third", None, greedy(16)),
		request("fourth request with a2", Some("a2"), sampled(9, 30)),
		request("fifth", Some("a1"), greedy(12)),
		request("sixth, sampled without adapter", None, sampled(11, 18)),
	]
}

#[test]
fn continuous_batching_gives_each_request_what_it_gets_alone() {
	let root = temp_dir("continuous");
	write_adapters(&root, 3);
	let (together, _) =
		run(&root, EngineConfig { max_batch_tokens: 16, ..Default::default() }, mixed_requests());
	for (i, r) in mixed_requests().into_iter().enumerate() {
		let (alone, _) = run(&root, EngineConfig::default(), vec![r]);
		assert_eq!(together[i].tokens, alone[0].tokens, "request {i}");
		assert_eq!(together[i].reason, alone[0].reason);
	}
	assert!(together.iter().all(|f| f.completion_tokens > 0));
}

#[test]
fn preempted_requests_resume_with_the_same_answer() {
	let root = temp_dir("preemption");
	write_adapters(&root, 3);
	let (roomy, none) = run(&root, EngineConfig::default(), mixed_requests());
	assert_eq!(none, 0);
	// A pool of 12 blocks of 4 positions cannot hold six requests of up to ~60 positions.
	let per_block = KvCache::bytes_per_token(&config()) * 4;
	let tight =
		EngineConfig { kv_block_size: 4, kv_cache_bytes: 24 * per_block, ..Default::default() };
	let (squeezed, preemptions) = run(&root, tight, mixed_requests());
	assert!(preemptions > 0, "the tight pool must have preempted");
	for (i, (a, b)) in roomy.iter().zip(&squeezed).enumerate() {
		assert_eq!(a.tokens, b.tokens, "request {i}");
	}
	assert!(squeezed.iter().any(|f| f.preemptions > 0));
}

#[test]
fn stop_sequences_and_max_tokens_end_requests() {
	let root = temp_dir("stops");
	write_adapters(&root, 1);
	let (free, _) =
		run(&root, EngineConfig::default(), vec![request("stop here", None, greedy(40))]);
	let answer = &free[0].text;
	assert_eq!(free[0].reason, FinishReason::Length);
	assert_eq!(free[0].completion_tokens, 40);
	// Stop on a piece of what the model would say: the answer ends right before it.
	let cut = answer.char_indices().nth(5).map(|(i, _)| i).unwrap();
	let stop = answer[cut..].chars().take(2).collect::<String>();
	let expected_end = answer.find(&stop).unwrap();
	let params = SamplingParams { stop: vec![stop.clone()], ..greedy(40) };
	let (stopped, _) =
		run(&root, EngineConfig::default(), vec![request("stop here", None, params)]);
	assert_eq!(stopped[0].reason, FinishReason::Stop);
	assert_eq!(stopped[0].text, answer[..expected_end]);
}

#[test]
fn bad_requests_are_refused_and_the_engine_keeps_serving() {
	let root = temp_dir("refusals");
	write_adapters(&root, 1);
	let mut engine = engine(&root, EngineConfig::default(), Precision::F32);
	let (tx, _rx) = mpsc::channel();
	let context = config().context;
	let cases = [
		(request("", None, greedy(4)), "empty"),
		(Request { prompt: vec![1; context], ..request("x", None, greedy(4)) }, "context"),
		(request("hi", None, greedy(context)), "exceeds the context"),
		(request("hi", Some("nope"), greedy(4)), "unknown adapter"),
		(request("hi", Some("../etc"), greedy(4)), "adapter name"),
		(Request { prompt: vec![999], ..request("x", None, greedy(4)) }, "vocabulary"),
		(request("hi", None, SamplingParams { temperature: f32::NAN, ..greedy(4) }), "temperature"),
	];
	for (r, why) in cases {
		let err = engine.submit(r, tx.clone()).unwrap_err().to_string();
		assert!(err.contains(why), "{err:?} should mention {why:?}");
	}
	let (tx, rx) = mpsc::channel();
	engine.submit(request("still fine", Some("a0"), greedy(5)), tx).unwrap();
	engine.run_until_idle().unwrap();
	assert_eq!(collect(rx).0.completion_tokens, 5);
}

#[test]
fn eight_bit_weights_take_less_memory_and_stay_close() {
	let f32_model = model(Precision::F32);
	let q8_model = model(Precision::Q8);
	assert!(q8_model.weight_bytes() * 3 < f32_model.weight_bytes());
	let prompt = ids("quantized");
	let a = batch_logits(&f32_model, &[(prompt.clone(), vec![])]);
	let b = batch_logits(&q8_model, &[(prompt, vec![])]);
	let scale = a[0].iter().map(|v| v.abs()).fold(0f32, f32::max);
	assert!(max_difference(&a[0], &b[0]) < 0.05 * scale, "Q8 drifts too far");
}

#[test]
fn the_router_spreads_requests_by_the_rule_and_migrates_preempted_ones() {
	use openledger_inference::serving::router::Router;
	let root = temp_dir("router");
	write_adapters(&root, 3);
	let per_block = KvCache::bytes_per_token(&config()) * 4;
	// Engine 0 is short of KV memory and will preempt; engine 1 has room.
	let small = EngineConfig {
		max_batch_size: 4,
		kv_block_size: 4,
		kv_cache_bytes: 24 * per_block,
		..Default::default()
	};
	let roomy = EngineConfig {
		max_batch_size: 4,
		kv_block_size: 4,
		kv_cache_bytes: 400 * per_block,
		..Default::default()
	};
	let mut router = Router::new(vec![
		engine(&root, small, Precision::F32),
		engine(&root, roomy, Precision::F32),
	])
	.unwrap();
	let mut receivers = Vec::new();
	for r in mixed_requests() {
		let (tx, rx) = mpsc::channel();
		router.submit(r, tx).unwrap();
		receivers.push(rx);
	}
	// The busiest engine with room takes requests until its batch is full: 4 and 2.
	assert_eq!(router.engines()[0].waiting(), 4);
	assert_eq!(router.engines()[1].waiting(), 2);
	while !router.is_idle() {
		router.step().unwrap();
	}
	let preempted: u64 = router.engines().iter().map(|e| e.stats().preemptions).sum();
	assert!(preempted > 0);
	assert!(router.migrations() > 0, "preempted requests move to the engine with room");
	let (alone, _) = run(&root, EngineConfig::default(), mixed_requests());
	for (i, rx) in receivers.into_iter().enumerate() {
		assert_eq!(collect(rx).0.tokens, alone[i].tokens, "request {i}");
	}
}

#[test]
fn absurd_max_tokens_are_refused_not_overflowed() {
	use openledger_inference::serving::router::Router;
	let root = temp_dir("absurd");
	write_adapters(&root, 1);
	let mut engine = engine(&root, EngineConfig::default(), Precision::F32);
	let (tx, _rx) = mpsc::channel();
	let err = engine.submit(request("hi", None, greedy(usize::MAX)), tx.clone()).unwrap_err();
	assert!(err.to_string().contains("exceeds the context"), "{err}");
	// The router sizes a request before any engine sees it.
	let mut router = Router::new(vec![engine]).unwrap();
	let err = router.submit(request("hi", None, greedy(usize::MAX)), tx).unwrap_err();
	assert!(err.to_string().contains("exceeds the context"), "{err}");
}

#[test]
fn a_panic_while_serving_one_request_fails_that_request_only() {
	let root = temp_dir("panic");
	write_adapters(&root, 2);
	let alone: Vec<(Finished, String)> = ["first", "second"]
		.iter()
		.map(|p| {
			let mut e = engine(&root, EngineConfig::default(), Precision::F32);
			let (tx, rx) = mpsc::channel();
			e.submit(request(p, Some("a0"), greedy(6)), tx).unwrap();
			e.run_until_idle().unwrap();
			collect(rx)
		})
		.collect();

	let mut engine = engine(&root, EngineConfig::default(), Precision::F32);
	let (tx1, rx1) = mpsc::channel();
	let (tx2, rx2) = mpsc::channel();
	engine.submit(request("first", Some("a0"), greedy(6)), tx1).unwrap();
	// A listener that panics from its second token on: a panic inside the engine's step, every
	// time that request is served.
	let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
	let bad = openledger_inference::serving::engine::Listener::new(move |event| {
		if matches!(event, Event::Token { .. })
			&& seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 1
		{
			panic!("a listener that panics");
		}
		true
	});
	engine.submit(request("poison", Some("a1"), greedy(6)), bad).unwrap();
	engine.submit(request("second", Some("a0"), greedy(6)), tx2).unwrap();
	engine.run_until_idle().unwrap();
	// The others got exactly what they get alone; the engine still serves.
	assert_eq!(collect(rx1).1, alone[0].1);
	assert_eq!(collect(rx2).1, alone[1].1);
	assert_eq!(engine.stats().failed, 1);
	let (tx, rx) = mpsc::channel();
	engine.submit(request("after", None, greedy(3)), tx).unwrap();
	engine.run_until_idle().unwrap();
	assert_eq!(collect(rx).0.completion_tokens, 3);
}
