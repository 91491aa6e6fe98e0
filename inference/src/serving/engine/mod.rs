//! The engine: continuous, heterogeneous batching over one base model.
//!
//! Requests wait in a FIFO queue and are *admitted* when the batch has a free place, the KV pool
//! has blocks for their tokens and their adapters are in memory (loaded just in time). Every
//! [`Engine::step`] runs one forward pass over all running requests whatever their adapters:
//! requests still reading their prompt contribute a chunk of it (within a per-step token
//! budget), the others the one token they sampled last. Requests join and leave between steps.
//! When a running request needs a KV block and the pool is empty, the most recently admitted
//! request is *preempted*: its blocks go back to the pool and it returns to the head of the queue
//! with everything it generated, to be recomputed when memory frees up (vLLM's recompute
//! preemption); its random stream is kept, so its answer is the same as if it had never been
//! interrupted.

use crate::{
	error::{Error, Result},
	lora::store::{AdapterStats, AdapterStore},
	model::kv_cache::{blocks_for, BlockAllocator, BlockId, KvCache},
	model::llama::{AdapterSet, Chunk, Llama},
	serving::sampling::{Sampler, SamplingParams},
};
use serde::Serialize;
use std::{
	collections::VecDeque,
	sync::{mpsc::Sender, Arc},
	time::{Duration, Instant},
};
use tokenizers::Tokenizer;

mod isolation;

/// Limits of one engine.
#[derive(Clone, Debug)]
pub struct EngineConfig {
	/// Most requests in the running batch (`B_max`).
	pub max_batch_size: usize,
	/// Most tokens (rows) in one forward pass; long prompts are read in chunks of this.
	pub max_batch_tokens: usize,
	/// Positions per KV block.
	pub kv_block_size: usize,
	/// Memory of the KV pool, in bytes.
	pub kv_cache_bytes: usize,
	/// Memory of the adapter cache, in bytes.
	pub adapter_cache_bytes: usize,
	/// Most requests waiting for admission; more are refused as busy.
	pub max_waiting: usize,
	/// Most adapters in one request's ensemble.
	pub max_ensemble: usize,
}

impl Default for EngineConfig {
	fn default() -> Self {
		Self {
			max_batch_size: 32,
			max_batch_tokens: 512,
			kv_block_size: 16,
			kv_cache_bytes: 512 << 20,
			adapter_cache_bytes: 256 << 20,
			max_waiting: 1024,
			max_ensemble: 4,
		}
	}
}

/// What a request asks for.
#[derive(Clone, Debug)]
pub struct Request {
	/// The prompt, already tokenized.
	pub prompt: Vec<u32>,
	/// Adapters and their weights; empty = the base model alone; several = an ensemble.
	pub adapters: Vec<(String, f32)>,
	pub sampling: SamplingParams,
}

/// Why a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
	/// End-of-sequence token or a stop sequence.
	Stop,
	/// `max_tokens` reached, or the context is full.
	Length,
}

/// The end of a request: its whole answer and what it used.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finished {
	pub text: String,
	pub tokens: Vec<u32>,
	pub reason: FinishReason,
	pub prompt_tokens: usize,
	pub completion_tokens: usize,
	/// Time to first token and total time, in microseconds.
	pub ttft_micros: u64,
	pub total_micros: u64,
	/// Times the request was preempted and recomputed.
	pub preemptions: u32,
}

/// What a request's listener receives, in order: tokens as they are sampled, then one end.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
	/// A sampled token and the text it completes (possibly empty: part of a character, or
	/// held back while it might start a stop sequence).
	Token {
		id: u32,
		text: String,
	},
	Done(Finished),
	Failed(Error),
}

/// Where a request's events go: a channel of any kind. Sending returns `false` once the
/// listener has gone away, and the engine then drops the request (a disconnected client frees
/// its batch place and KV blocks at its next token).
pub struct Listener(Box<dyn Fn(Event) -> bool + Send>);

impl Listener {
	pub fn new(send: impl Fn(Event) -> bool + Send + 'static) -> Self {
		Self(Box::new(send))
	}

	fn send(&self, event: Event) -> Result<(), ()> {
		if (self.0)(event) {
			Ok(())
		} else {
			Err(())
		}
	}
}

impl From<Sender<Event>> for Listener {
	fn from(tx: Sender<Event>) -> Self {
		Self::new(move |e| tx.send(e).is_ok())
	}
}

impl From<futures::channel::mpsc::UnboundedSender<Event>> for Listener {
	fn from(tx: futures::channel::mpsc::UnboundedSender<Event>) -> Self {
		Self::new(move |e| tx.unbounded_send(e).is_ok())
	}
}

/// Engine counters.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EngineStats {
	pub running: usize,
	pub waiting: usize,
	pub kv_blocks_total: usize,
	pub kv_blocks_free: usize,
	pub kv_block_size: usize,
	pub steps: u64,
	pub prompt_tokens: u64,
	pub generated_tokens: u64,
	pub completed: u64,
	pub failed: u64,
	pub preemptions: u64,
	pub adapters: AdapterStats,
}

pub type RequestId = u64;

/// A request inside the engine.
pub struct Sequence {
	pub id: RequestId,
	prompt_len: usize,
	/// Prompt and generated tokens.
	tokens: Vec<u32>,
	/// Positions already in the KV cache.
	computed: usize,
	blocks: Vec<BlockId>,
	adapter_names: Vec<(String, f32)>,
	adapters: AdapterSet,
	sampler: Sampler,
	events: Listener,
	emitted: usize,
	arrived: Instant,
	first_token: Option<Duration>,
	preemptions: u32,
}

impl Sequence {
	fn generated(&self) -> &[u32] {
		&self.tokens[self.prompt_len..]
	}

	/// KV memory the request needs at most (prompt plus every token it may generate), in
	/// positions: the `M_required` of the scheduling rule.
	pub fn max_positions(&self) -> usize {
		self.prompt_len.saturating_add(self.sampler.params().max_tokens)
	}
}

/// One engine: a base model, its KV pool, its adapter cache and its queue.
pub struct Engine {
	model: Arc<Llama>,
	tokenizer: Arc<Tokenizer>,
	eos: Vec<u32>,
	config: EngineConfig,
	cache: KvCache,
	blocks: BlockAllocator,
	adapters: AdapterStore,
	waiting: VecDeque<Sequence>,
	running: Vec<Sequence>,
	next_id: RequestId,
	stats: EngineStats,
	/// Requests that were in a batch when a step panicked: until each has ended, requests run
	/// one at a time, so that a second panic names its request alone.
	suspects: Vec<RequestId>,
}

/// Request ids of engine `k` start at `k << ENGINE_ID_SHIFT`, so ids are unique across engines.
pub const ENGINE_ID_SHIFT: u32 = 48;

/// What one step did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepReport {
	pub rows: usize,
	pub sequences: usize,
	pub sampled: usize,
	pub preempted: usize,
	pub finished: usize,
}

impl Engine {
	pub fn new(
		model: Arc<Llama>,
		tokenizer: Arc<Tokenizer>,
		eos: Vec<u32>,
		adapters: AdapterStore,
		config: EngineConfig,
	) -> Result<Self> {
		if config.max_batch_size == 0 || config.max_batch_tokens == 0 || config.kv_block_size == 0 {
			return Err(Error::Model(
				"batch size, batch tokens and block size must be positive".into(),
			));
		}
		let per_block = KvCache::bytes_per_token(&model.config) * config.kv_block_size;
		let total = config.kv_cache_bytes / per_block.max(1);
		if total == 0 {
			return Err(Error::Model(format!(
				"a KV cache of {} bytes holds no block of {per_block} bytes",
				config.kv_cache_bytes
			)));
		}
		let cache = KvCache::new(&model.config, total, config.kv_block_size);
		let stats = EngineStats {
			kv_blocks_total: total,
			kv_block_size: config.kv_block_size,
			..Default::default()
		};
		Ok(Self {
			model,
			tokenizer,
			eos,
			cache,
			blocks: BlockAllocator::new(total),
			adapters,
			waiting: VecDeque::new(),
			running: Vec::new(),
			next_id: 1,
			config,
			stats,
			suspects: Vec::new(),
		})
	}

	/// Numbers this engine's requests from `index << ENGINE_ID_SHIFT`.
	pub fn set_index(&mut self, index: usize) {
		self.next_id = ((index as u64) << ENGINE_ID_SHIFT) + 1;
	}

	pub fn model(&self) -> &Arc<Llama> {
		&self.model
	}

	pub fn tokenizer(&self) -> &Arc<Tokenizer> {
		&self.tokenizer
	}

	pub fn config(&self) -> &EngineConfig {
		&self.config
	}

	pub fn adapters(&mut self) -> &mut AdapterStore {
		&mut self.adapters
	}

	pub fn is_idle(&self) -> bool {
		self.running.is_empty() && self.waiting.is_empty()
	}

	/// Requests in the running batch (`R_k` of the scheduling rule).
	pub fn running(&self) -> usize {
		self.running.len()
	}

	pub fn waiting(&self) -> usize {
		self.waiting.len()
	}

	/// KV memory free for new requests, in positions (`M_k` of the scheduling rule).
	pub fn free_positions(&self) -> usize {
		self.blocks.free() * self.config.kv_block_size
	}

	pub fn stats(&self) -> EngineStats {
		let mut s = self.stats.clone();
		s.running = self.running.len();
		s.waiting = self.waiting.len();
		s.kv_blocks_free = self.blocks.free();
		s.adapters = self.adapters.stats();
		s
	}

	/// Checks a request and queues it; `events` receives its tokens and its end.
	pub fn submit(&mut self, request: Request, events: impl Into<Listener>) -> Result<RequestId> {
		let sequence = self.prepare(request, events.into())?;
		let id = sequence.id;
		self.enqueue(sequence)?;
		Ok(id)
	}

	/// Checks a request against this engine's model and limits, without queueing it.
	pub fn prepare(&mut self, request: Request, events: Listener) -> Result<Sequence> {
		let Request { prompt, adapters, sampling } = request;
		sampling.validate()?;
		let context = self.model.config.context;
		if prompt.is_empty() {
			return Err(Error::Request("the prompt is empty".into()));
		}
		if prompt.len() >= context {
			return Err(Error::Request(format!(
				"the prompt has {} tokens; the model's context is {context}",
				prompt.len()
			)));
		}
		// Saturating: a client may ask for any `max_tokens`, up to 2^64 − 1.
		if prompt.len().saturating_add(sampling.max_tokens) > context {
			return Err(Error::Request(format!(
				"max_tokens {} with a {}-token prompt exceeds the context of {context} tokens",
				sampling.max_tokens,
				prompt.len()
			)));
		}
		let needed =
			blocks_for(prompt.len().saturating_add(sampling.max_tokens), self.config.kv_block_size);
		if needed > self.blocks.total() {
			return Err(Error::Request(format!(
				"the request needs up to {needed} KV blocks; this engine has {}",
				self.blocks.total()
			)));
		}
		if let Some(t) = prompt.iter().find(|t| **t as usize >= self.model.config.vocab) {
			return Err(Error::Request(format!("token {t} is outside the vocabulary")));
		}
		if adapters.len() > self.config.max_ensemble {
			return Err(Error::Request(format!(
				"{} adapters in one request; at most {}",
				adapters.len(),
				self.config.max_ensemble
			)));
		}
		for (name, weight) in &adapters {
			if !weight.is_finite() || weight.abs() > 16.0 {
				return Err(Error::Request(format!("adapter `{name}` has weight {weight}")));
			}
			crate::lora::store::check_name(name)?;
			if !self.adapters.exists(name) {
				return Err(Error::Request(format!("unknown adapter `{name}`")));
			}
		}
		let id = self.next_id;
		self.next_id += 1;
		Ok(Sequence {
			id,
			prompt_len: prompt.len(),
			tokens: prompt,
			computed: 0,
			blocks: Vec::new(),
			adapter_names: adapters,
			adapters: Vec::new(),
			sampler: Sampler::new(sampling, id),
			events,
			emitted: 0,
			arrived: Instant::now(),
			first_token: None,
			preemptions: 0,
		})
	}

	/// Queues a prepared (or migrated) request.
	pub fn enqueue(&mut self, sequence: Sequence) -> Result<()> {
		if self.waiting.len() >= self.config.max_waiting {
			return Err(Error::Busy(format!(
				"{} requests are already waiting",
				self.waiting.len()
			)));
		}
		self.waiting.push_back(sequence);
		Ok(())
	}

	/// Takes back a waiting request that was preempted here, for another engine to run
	/// (migration). Only requests that have not started, or were preempted, are waiting.
	pub fn take_waiting(&mut self) -> Option<Sequence> {
		self.waiting.pop_front()
	}

	/// The request at the head of the queue.
	pub fn head(&self) -> Option<&Sequence> {
		self.waiting.front()
	}

	/// Whether the head of the queue could be admitted now (batch place and KV blocks).
	pub fn can_admit_head(&self) -> bool {
		self.waiting.front().is_some_and(|s| {
			self.running.len() < self.config.max_batch_size
				&& blocks_for(s.tokens.len() + 1, self.config.kv_block_size) <= self.blocks.free()
		})
	}

	/// Cancels a request (its listener went away, or the caller asked).
	pub fn cancel(&mut self, id: RequestId) -> bool {
		if let Some(at) = self.waiting.iter().position(|s| s.id == id) {
			self.waiting.remove(at);
			return true;
		}
		if let Some(at) = self.running.iter().position(|s| s.id == id) {
			let s = self.running.remove(at);
			self.blocks.release(s.blocks);
			return true;
		}
		false
	}

	/// Moves waiting requests into the batch while there is room.
	fn admit(&mut self) {
		let batch = if self.suspects.is_empty() { self.config.max_batch_size } else { 1 };
		while self.running.len() < batch {
			let Some(front) = self.waiting.front() else { break };
			// Blocks for what must be computed now, plus the next token.
			let needed = blocks_for(front.tokens.len() + 1, self.config.kv_block_size);
			if needed > self.blocks.free() {
				break;
			}
			let mut adapters = Vec::with_capacity(front.adapter_names.len());
			let mut failure = None;
			for (name, weight) in &front.adapter_names {
				match self.adapters.get(name, &self.model.config) {
					Ok(a) => adapters.push((a, *weight)),
					Err(e) => {
						failure = Some(e);
						break;
					}
				}
			}
			match failure {
				// The cache is full of adapters in use: wait for a request to finish.
				Some(Error::Busy(_)) if !self.running.is_empty() => break,
				Some(e) => {
					if let Some(s) = self.waiting.pop_front() {
						self.stats.failed += 1;
						let _ = s.events.send(Event::Failed(e));
					}
					continue;
				}
				None => {}
			}
			let Some(mut s) = self.waiting.pop_front() else { break };
			s.adapters = adapters;
			s.blocks = (0..needed).filter_map(|_| self.blocks.allocate()).collect();
			self.running.push(s);
		}
	}

	/// Returns a running request to the head of the queue, freeing its KV blocks.
	fn preempt(&mut self, index: usize) {
		let mut s = self.running.remove(index);
		self.blocks.release(std::mem::take(&mut s.blocks));
		s.computed = 0;
		s.adapters.clear();
		s.preemptions += 1;
		self.stats.preemptions += 1;
		self.waiting.push_front(s);
	}

	/// Runs one batch step: admission, one forward pass, sampling, and the requests that end
	/// (the body of [`Engine::step`], which keeps a panic in it to its request).
	fn step_batch(&mut self) -> Result<StepReport> {
		self.admit();
		let mut report = StepReport::default();
		// Every running request gets the blocks its next rows need; when the pool is dry the
		// youngest request is preempted (possibly the one asking).
		let mut i = 0;
		let mut budget = self.config.max_batch_tokens;
		let mut plan: Vec<(usize, usize)> = Vec::new(); // (running index, rows)
		while i < self.running.len() {
			let s = &self.running[i];
			let remaining = s.tokens.len() - s.computed;
			let rows = remaining.min(budget);
			if rows == 0 {
				i += 1;
				continue;
			}
			let needed = blocks_for(s.computed + rows, self.config.kv_block_size);
			let mut preempted_self = false;
			while self.running[i].blocks.len() < needed {
				if let Some(b) = self.blocks.allocate() {
					self.running[i].blocks.push(b);
					continue;
				}
				let youngest = self.running.len() - 1;
				self.preempt(youngest);
				report.preempted += 1;
				if youngest == i {
					preempted_self = true;
					break;
				}
			}
			if preempted_self {
				break;
			}
			budget -= rows;
			plan.push((i, rows));
			i += 1;
		}
		plan.retain(|(i, _)| *i < self.running.len());
		if plan.is_empty() {
			return Ok(report);
		}
		let chunks: Vec<Chunk<'_>> = plan
			.iter()
			.map(|&(i, rows)| {
				let s = &self.running[i];
				Chunk {
					tokens: &s.tokens[s.computed..s.computed + rows],
					start: s.computed,
					blocks: &s.blocks,
					adapters: &s.adapters,
					logits: s.computed + rows == s.tokens.len(),
				}
			})
			.collect();
		let outcome = self.model.forward(&chunks, &mut self.cache);
		drop(chunks);
		let logits = match outcome {
			Ok(l) => l,
			Err(e) => {
				// A failed pass fails the requests in it, never the engine.
				for &(i, _) in plan.iter().rev() {
					let s = self.running.remove(i);
					self.blocks.release(s.blocks);
					self.stats.failed += 1;
					let _ = s.events.send(Event::Failed(e.clone()));
				}
				report.finished = plan.len();
				return Ok(report);
			}
		};
		self.stats.steps += 1;
		report.rows = plan.iter().map(|(_, r)| r).sum();
		report.sequences = plan.len();
		let mut logits = logits.into_iter();
		let mut done = Vec::new();
		for &(i, rows) in &plan {
			let s = &mut self.running[i];
			if s.computed < s.prompt_len {
				self.stats.prompt_tokens += rows.min(s.prompt_len - s.computed) as u64;
			}
			s.computed += rows;
			if s.computed < s.tokens.len() {
				continue; // still reading its prompt
			}
			let Some(l) = logits.next() else { continue };
			let token = s.sampler.sample(&l);
			s.tokens.push(token);
			report.sampled += 1;
			self.stats.generated_tokens += 1;
			if s.first_token.is_none() {
				s.first_token = Some(s.arrived.elapsed());
			}
			if let Some(end) = Self::emit(&self.tokenizer, &self.eos, self.model.config.context, s)
			{
				done.push((i, end));
			}
		}
		report.finished = done.len();
		for (i, end) in done.into_iter().rev() {
			let s = self.running.remove(i);
			self.blocks.release(s.blocks.iter().copied());
			// `Err`: the listener is gone, there is nothing to tell.
			if let Ok(finished) = end {
				self.stats.completed += 1;
				let _ = s.events.send(Event::Done(finished));
			}
		}
		Ok(report)
	}

	/// Streams the text a new token completes; returns the end of the request if it ended
	/// (`Err` when its listener has gone away).
	fn emit(
		tokenizer: &Tokenizer,
		eos: &[u32],
		context: usize,
		s: &mut Sequence,
	) -> Option<std::result::Result<Finished, ()>> {
		let &token = s.tokens.last()?;
		let params = s.sampler.params();
		let is_eos = !params.ignore_eos && eos.contains(&token);
		let generated = s.generated();
		let generated_len = generated.len();
		let visible = if is_eos { &generated[..generated_len - 1] } else { generated }.to_vec();
		let text = tokenizer.decode(&visible, true).unwrap_or_default();
		let stop_at = params.stop.iter().filter_map(|stop| text.find(stop.as_str())).min();
		let length = generated_len >= params.max_tokens || s.tokens.len() >= context;
		let reason = if is_eos || stop_at.is_some() {
			Some(FinishReason::Stop)
		} else if length {
			Some(FinishReason::Length)
		} else {
			None
		};
		let end = match (stop_at, reason) {
			(Some(at), _) => at,
			(None, Some(_)) => text.len(),
			// Hold back an incomplete character, and anything that may begin a stop sequence.
			(None, None) => {
				let mut safe = text.len();
				if text.ends_with('\u{FFFD}') {
					safe -= '\u{FFFD}'.len_utf8();
				}
				for stop in &params.stop {
					for k in (1..stop.len()).rev() {
						if stop.is_char_boundary(k) && text[..safe].ends_with(&stop[..k]) {
							safe -= k;
							break;
						}
					}
				}
				safe
			}
		};
		let end = end.max(s.emitted);
		let delta = text.get(s.emitted..end).unwrap_or_default().to_string();
		s.emitted = end;
		if s.events.send(Event::Token { id: token, text: delta }).is_err() {
			return Some(Err(()));
		}
		let reason = reason?;
		let total = s.arrived.elapsed();
		Some(Ok(Finished {
			text: text.get(..end).unwrap_or_default().to_string(),
			completion_tokens: generated_len,
			tokens: visible,
			reason,
			prompt_tokens: s.prompt_len,
			ttft_micros: s.first_token.unwrap_or(total).as_micros() as u64,
			total_micros: total.as_micros() as u64,
			preemptions: s.preemptions,
		}))
	}

	/// Steps until every request has ended.
	pub fn run_until_idle(&mut self) -> Result<()> {
		while !self.is_idle() {
			let report = self.step()?;
			let progress = report.rows > 0 || report.preempted > 0 || report.finished > 0;
			if !progress && !self.waiting.is_empty() && self.running.is_empty() {
				// Nothing could be admitted and nothing runs: fail the head rather than spin.
				if let Some(s) = self.waiting.pop_front() {
					self.stats.failed += 1;
					let _ = s.events.send(Event::Failed(Error::Busy(
						"the request cannot fit in this engine's memory".into(),
					)));
				}
			}
		}
		Ok(())
	}
}
