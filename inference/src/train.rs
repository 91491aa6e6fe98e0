//! LoRA fine-tuning, ModelFactory's core: the base stays frozen and dense (candle's quantized
//! matmuls have no backward pass), only the adapters' `A` and `B` are trained, with the
//! supervised next-token loss on the completion tokens of prompt/completion pairs (seed eq. 5),
//! through candle's autograd.
//!
//! The training forward pass is written with candle tensor ops so that it can be differentiated;
//! it computes exactly what the serving engine computes (a test holds the two to the same logits),
//! and a trained adapter is written in the PEFT layout the engine loads. Training is deterministic
//! for a seed: initialization and the order of examples in every epoch come from it, so resuming
//! from a checkpoint gives the same adapter as an uninterrupted run.

use crate::{
	adapter::{unpermute_tensor_from_gguf, PeftConfig, PeftWeights, Projection},
	config::{ModelConfig, RopeStyle},
	error::{model_err, Error, Result},
	llama::{DenseWeights, Llama},
	sampling::SplitMix64,
};
use candle_core::{backprop::GradStore, DType, Device, Tensor, Var, D};
use serde::{Deserialize, Serialize};
use std::{
	collections::HashMap,
	path::Path,
	time::{Duration, Instant},
};

/// The adapter to train.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoraConfig {
	pub rank: usize,
	pub alpha: f32,
	pub targets: Vec<String>,
}

impl LoraConfig {
	fn projections(&self) -> Result<Vec<Projection>> {
		self.targets
			.iter()
			.map(|t| {
				Projection::from_peft_name(t)
					.ok_or_else(|| Error::Request(format!("unknown target module `{t}`")))
			})
			.collect()
	}
}

/// How to train.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
	pub lora: LoraConfig,
	pub learning_rate: f64,
	pub epochs: usize,
	pub batch_size: usize,
	pub weight_decay: f64,
	pub seed: u64,
	/// Longest example (prompt + completion) in tokens.
	pub max_tokens: usize,
}

impl Default for TrainConfig {
	fn default() -> Self {
		Self {
			lora: LoraConfig {
				rank: 8,
				alpha: 16.0,
				targets: vec!["q_proj".into(), "v_proj".into()],
			},
			learning_rate: 2e-3,
			epochs: 3,
			batch_size: 8,
			weight_decay: 0.0,
			seed: 0,
			max_tokens: 512,
		}
	}
}

impl TrainConfig {
	fn check(&self) -> Result<()> {
		let refuse = |why: String| Err(Error::Request(why));
		if self.lora.rank == 0 || self.lora.rank > crate::adapter::MAX_RANK {
			return refuse(format!(
				"rank {} is outside 1..={}",
				self.lora.rank,
				crate::adapter::MAX_RANK
			));
		}
		if self.lora.projections()?.is_empty() {
			return refuse("no target module".into());
		}
		if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
			return refuse(format!("learning rate {} must be positive", self.learning_rate));
		}
		if self.epochs == 0 || self.batch_size == 0 {
			return refuse("epochs and batch size must be at least 1".into());
		}
		Ok(())
	}
}

/// One training example: a contribution's prompt and completion, tokenized.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
	/// The contribution it comes from.
	pub id: u64,
	pub prompt: Vec<u32>,
	pub completion: Vec<u32>,
}

/// The LoRA parameters being trained, in the engine's row order (GGUF-permuted q/k rows when the
/// base is a GGUF llama).
pub struct LoraParams {
	pub rank: usize,
	pub scale: f32,
	/// `layers[l][projection.index()] = (A [r, d_in], B [d_out, r])`.
	layers: Vec<Vec<Option<(Var, Var)>>>,
}

impl LoraParams {
	/// PEFT's initialization: `A` uniform in ±1/√d_in (Kaiming-uniform with a = √5), `B` zero, so
	/// training starts from the base model exactly.
	pub fn init(config: &ModelConfig, lora: &LoraConfig, seed: u64) -> Result<Self> {
		let targets = lora.projections()?;
		let mut rng = SplitMix64::new(seed);
		let mut layers = Vec::with_capacity(config.layers);
		for _ in 0..config.layers {
			let mut per = vec![None, None, None, None, None, None, None];
			for p in Projection::ALL {
				if !targets.contains(&p) {
					continue;
				}
				let (d_in, d_out) = p.dims(config);
				let bound = 1.0 / (d_in as f32).sqrt();
				let a: Vec<f32> =
					(0..lora.rank * d_in).map(|_| (rng.next_f32() * 2.0 - 1.0) * bound).collect();
				let a =
					Var::from_vec(a, (lora.rank, d_in), &Device::Cpu).map_err(model_err("init"))?;
				let b = Var::zeros((d_out, lora.rank), DType::F32, &Device::Cpu)
					.map_err(model_err("init"))?;
				per[p.index()] = Some((a, b));
			}
			layers.push(per);
		}
		Ok(Self { rank: lora.rank, scale: lora.alpha / lora.rank as f32, layers })
	}

	/// The parameters of a loaded adapter (as the engine holds them), to differentiate through:
	/// what attribution needs to compute the gradient of an output under a served adapter.
	pub fn from_adapter(
		config: &ModelConfig,
		adapter: &crate::adapter::LoraAdapter,
	) -> Result<Self> {
		let mut layers = Vec::with_capacity(config.layers);
		let (mut rank, mut scale) = (0, None::<f32>);
		for l in 0..config.layers {
			let mut per = vec![None, None, None, None, None, None, None];
			for p in Projection::ALL {
				let Some(w) = adapter.weights(l, p) else { continue };
				if scale.is_some_and(|s| (s - w.scale).abs() > f32::EPSILON * s.abs().max(1.0)) {
					return Err(Error::Adapter(format!(
						"`{}` scales its modules differently; attribution needs one scale",
						adapter.name
					)));
				}
				scale = Some(w.scale);
				rank = rank.max(w.rank);
				let (d_in, d_out) = p.dims(config);
				let a = Var::from_vec(w.a.clone(), (w.rank, d_in), &Device::Cpu)
					.map_err(model_err("adapter"))?;
				let b = Var::from_vec(w.b.clone(), (d_out, w.rank), &Device::Cpu)
					.map_err(model_err("adapter"))?;
				per[p.index()] = Some((a, b));
			}
			layers.push(per);
		}
		Ok(Self { rank, scale: scale.unwrap_or(0.0), layers })
	}

	/// No adapter at all: the base model.
	pub fn none(config: &ModelConfig) -> Self {
		Self { rank: 0, scale: 0.0, layers: (0..config.layers).map(|_| vec![None; 7]).collect() }
	}

	/// Every trained tensor, in a fixed order (layer, projection, A then B).
	pub fn vars(&self) -> Vec<&Var> {
		self.layers.iter().flatten().flatten().flat_map(|(a, b)| [a, b]).collect()
	}

	/// The LoRA blocks (one per targeted projection of each layer) as `(A, B)`, in a fixed order.
	pub fn blocks(&self) -> Vec<(&Var, &Var)> {
		self.layers.iter().flatten().flatten().map(|(a, b)| (a, b)).collect()
	}

	/// `(layer, projection, parameters)` of each block, in the order of [`Self::blocks`].
	pub fn block_layout(&self) -> Vec<(usize, Projection, usize)> {
		let mut out = Vec::new();
		for (l, layer) in self.layers.iter().enumerate() {
			for p in Projection::ALL {
				if let Some((a, b)) = &layer[p.index()] {
					out.push((l, p, a.elem_count() + b.elem_count()));
				}
			}
		}
		out
	}

	/// Number of trained parameters.
	pub fn len(&self) -> usize {
		self.vars().iter().map(|v| v.elem_count()).sum()
	}

	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	fn get(&self, layer: usize, p: Projection) -> Option<&(Var, Var)> {
		self.layers.get(layer).and_then(|l| l[p.index()].as_ref())
	}

	/// The adapter in the PEFT layout (Hugging Face row order), ready for `save_peft`.
	pub fn to_peft(
		&self,
		config: &ModelConfig,
		lora: &LoraConfig,
	) -> Result<(PeftConfig, PeftWeights)> {
		let mut weights = Vec::new();
		for (l, layer) in self.layers.iter().enumerate() {
			for p in Projection::ALL {
				let Some((a, b)) = &layer[p.index()] else { continue };
				let mut b = b.as_tensor().clone();
				if let Some(heads) = p.permuted_heads(config) {
					b = unpermute_tensor_from_gguf(&b, heads)?;
				}
				weights.push(((l, p), (a.as_tensor().copy().map_err(model_err("export"))?, b)));
			}
		}
		let targets = lora.projections()?;
		Ok((PeftConfig::lora(self.rank, lora.alpha, &targets), weights))
	}

	fn named(&self) -> Vec<(String, &Var)> {
		let mut out = Vec::new();
		for (l, layer) in self.layers.iter().enumerate() {
			for p in Projection::ALL {
				if let Some((a, b)) = &layer[p.index()] {
					out.push((format!("{l}.{}.A", p.peft_name()), a));
					out.push((format!("{l}.{}.B", p.peft_name()), b));
				}
			}
		}
		out
	}
}

/// The differentiable forward pass over dense base weights.
pub struct Trainable {
	pub config: ModelConfig,
	base: DenseWeights,
	/// `[context, head_dim/2]`.
	cos: Tensor,
	sin: Tensor,
}

impl Trainable {
	pub fn new(model: &Llama) -> Result<Self> {
		let config = model.config.clone();
		let base = model.dense_weights()?;
		let half = config.head_dim / 2;
		let inv_freq = config.rope_inv_freq();
		let mut cos = Vec::with_capacity(config.context * half);
		let mut sin = Vec::with_capacity(config.context * half);
		for p in 0..config.context {
			for f in &inv_freq {
				let (s, c) = (p as f32 * f).sin_cos();
				cos.push(c);
				sin.push(s);
			}
		}
		let table = |v| {
			Tensor::from_vec(v, (config.context, half), &Device::Cpu).map_err(model_err("rope"))
		};
		Ok(Self { cos: table(cos)?, sin: table(sin)?, base, config })
	}

	fn linear(
		&self,
		x: &Tensor,
		layer: usize,
		p: Projection,
		lora: &LoraParams,
	) -> candle_core::Result<Tensor> {
		let w = &self.base.layers[layer].proj[p.index()];
		let y = x.matmul(&w.t()?)?;
		match lora.get(layer, p) {
			Some((a, b)) => {
				let delta = x.matmul(&a.as_tensor().t()?)?.matmul(&b.as_tensor().t()?)?;
				y + (delta * lora.scale as f64)?
			}
			None => Ok(y),
		}
	}

	fn rms_norm(&self, x: &Tensor, w: &Tensor) -> candle_core::Result<Tensor> {
		let mean = x.sqr()?.mean_keepdim(D::Minus1)?;
		x.broadcast_div(&(mean + self.config.rms_eps as f64)?.sqrt()?)?.broadcast_mul(w)
	}

	/// Rotates `x` `[T, heads, d]` for positions `0..T`.
	fn rope(&self, x: &Tensor) -> candle_core::Result<Tensor> {
		let (t, heads, d) = x.dims3()?;
		let half = d / 2;
		let cos = self.cos.narrow(0, 0, t)?.unsqueeze(1)?;
		let sin = self.sin.narrow(0, 0, t)?.unsqueeze(1)?;
		let (x0, x1) = match self.config.rope_style {
			RopeStyle::Interleaved => {
				let pairs = x.reshape((t, heads, half, 2))?;
				(pairs.narrow(3, 0, 1)?.squeeze(3)?, pairs.narrow(3, 1, 1)?.squeeze(3)?)
			}
			RopeStyle::Halves => (x.narrow(2, 0, half)?, x.narrow(2, half, half)?),
		};
		let r0 = (x0.broadcast_mul(&cos)? - x1.broadcast_mul(&sin)?)?;
		let r1 = (x0.broadcast_mul(&sin)? + x1.broadcast_mul(&cos)?)?;
		match self.config.rope_style {
			RopeStyle::Interleaved => Tensor::stack(&[r0, r1], 3)?.reshape((t, heads, d)),
			RopeStyle::Halves => Tensor::cat(&[r0, r1], 2),
		}
	}

	/// Logits `[T, vocab]` of every position of `tokens` under `lora`.
	pub fn logits(&self, tokens: &[u32], lora: &LoraParams) -> Result<Tensor> {
		self.logits_inner(tokens, lora).map_err(model_err("training forward pass"))
	}

	fn logits_inner(&self, tokens: &[u32], lora: &LoraParams) -> candle_core::Result<Tensor> {
		let c = &self.config;
		let t = tokens.len();
		let ids = Tensor::new(tokens, &Device::Cpu)?;
		let mut x = self.base.embed.index_select(&ids, 0)?;
		let mask: Vec<f32> =
			(0..t * t).map(|i| if i % t > i / t { f32::NEG_INFINITY } else { 0.0 }).collect();
		let mask = Tensor::from_vec(mask, (1, t, t), &Device::Cpu)?;
		let group = c.heads / c.kv_heads;
		for (l, block) in self.base.layers.iter().enumerate() {
			let h = self.rms_norm(&x, &block.attn_norm)?;
			let q = self.linear(&h, l, Projection::Q, lora)?.reshape((t, c.heads, c.head_dim))?;
			let k =
				self.linear(&h, l, Projection::K, lora)?.reshape((t, c.kv_heads, c.head_dim))?;
			let v =
				self.linear(&h, l, Projection::V, lora)?.reshape((t, c.kv_heads, c.head_dim))?;
			let q = self.rope(&q)?.transpose(0, 1)?.contiguous()?; // [H, T, d]
			let k = self.rope(&k)?.transpose(0, 1)?.contiguous()?;
			let v = v.transpose(0, 1)?.contiguous()?;
			// Grouped-query attention: each kv head serves `group` query heads.
			let k = repeat_heads(&k, group)?;
			let v = repeat_heads(&v, group)?;
			let scores = (q.matmul(&k.t()?)? / (c.head_dim as f64).sqrt())?.broadcast_add(&mask)?;
			let weights = softmax_last(&scores)?;
			let o = weights.matmul(&v)?.transpose(0, 1)?.reshape((t, c.q_width()))?;
			x = (x + self.linear(&o, l, Projection::O, lora)?)?;
			let h = self.rms_norm(&x, &block.ffn_norm)?;
			let gate = self.linear(&h, l, Projection::Gate, lora)?;
			let up = self.linear(&h, l, Projection::Up, lora)?;
			x = (x + self.linear(&(gate.silu()? * up)?, l, Projection::Down, lora)?)?;
		}
		self.rms_norm(&x, &self.base.norm)?.matmul(&self.base.lm_head.t()?)
	}

	/// Summed negative log-likelihood of the completion given the prompt, and its token count.
	pub fn completion_nll(&self, example: &Example, lora: &LoraParams) -> Result<(Tensor, usize)> {
		let mut tokens = example.prompt.clone();
		tokens.extend_from_slice(&example.completion);
		let logits = self.logits(&tokens, lora)?;
		let (p, n) = (example.prompt.len(), example.completion.len());
		let nll = (|| {
			let predicting = logits.narrow(0, p - 1, n)?;
			let targets = Tensor::new(example.completion.as_slice(), &Device::Cpu)?.unsqueeze(1)?;
			let log_probs = log_softmax_last(&predicting)?;
			log_probs.gather(&targets, 1)?.sum_all()?.neg()
		})()
		.map_err(model_err("loss"))?;
		Ok((nll, n))
	}

	/// Checks an example against the model and the config.
	pub fn check_example(&self, e: &Example, max_tokens: usize) -> Result<()> {
		let len = e.prompt.len() + e.completion.len();
		if e.prompt.is_empty() || e.completion.is_empty() {
			return Err(Error::Request(format!("example {}: empty prompt or completion", e.id)));
		}
		if len > max_tokens.min(self.config.context) {
			return Err(Error::Request(format!(
				"example {}: {len} tokens, more than {}",
				e.id,
				max_tokens.min(self.config.context)
			)));
		}
		if e.prompt.iter().chain(&e.completion).any(|t| *t as usize >= self.config.vocab) {
			return Err(Error::Request(format!(
				"example {}: a token is outside the vocabulary",
				e.id
			)));
		}
		Ok(())
	}
}

fn repeat_heads(x: &Tensor, group: usize) -> candle_core::Result<Tensor> {
	if group == 1 {
		return Ok(x.clone());
	}
	let (heads, t, d) = x.dims3()?;
	x.unsqueeze(1)?.broadcast_as((heads, group, t, d))?.reshape((heads * group, t, d))
}

fn softmax_last(x: &Tensor) -> candle_core::Result<Tensor> {
	let max = x.max_keepdim(D::Minus1)?;
	let e = x.broadcast_sub(&max)?.exp()?;
	e.broadcast_div(&e.sum_keepdim(D::Minus1)?)
}

fn log_softmax_last(x: &Tensor) -> candle_core::Result<Tensor> {
	let max = x.max_keepdim(D::Minus1)?;
	let shifted = x.broadcast_sub(&max)?;
	shifted.broadcast_sub(&shifted.exp()?.sum_keepdim(D::Minus1)?.log()?)
}

/// AdamW with decoupled weight decay; its moments are plain tensors so that checkpoints hold
/// them and a resumed run continues exactly.
struct AdamW {
	lr: f64,
	weight_decay: f64,
	step: u64,
	m: Vec<Tensor>,
	v: Vec<Tensor>,
}

const BETA1: f64 = 0.9;
const BETA2: f64 = 0.999;
const EPSILON: f64 = 1e-8;

impl AdamW {
	fn new(vars: &[&Var], lr: f64, weight_decay: f64) -> candle_core::Result<Self> {
		let zeros = || vars.iter().map(|v| v.zeros_like()).collect::<candle_core::Result<Vec<_>>>();
		Ok(Self { lr, weight_decay, step: 0, m: zeros()?, v: zeros()? })
	}

	fn update(&mut self, vars: &[&Var], grads: &GradStore) -> candle_core::Result<()> {
		self.step += 1;
		let t = self.step as i32;
		let (c1, c2) = (1.0 - BETA1.powi(t), 1.0 - BETA2.powi(t));
		for (i, var) in vars.iter().enumerate() {
			let Some(g) = grads.get(var.as_tensor()) else { continue };
			self.m[i] = ((&self.m[i] * BETA1)? + (g * (1.0 - BETA1))?)?;
			self.v[i] = ((&self.v[i] * BETA2)? + (g.sqr()? * (1.0 - BETA2))?)?;
			let m_hat = (&self.m[i] / c1)?;
			let v_hat = (&self.v[i] / c2)?;
			let step = (m_hat / (v_hat.sqrt()? + EPSILON)?)?;
			let decayed = (var.as_tensor() * (1.0 - self.lr * self.weight_decay))?;
			var.set(&(decayed - (step * self.lr)?)?)?;
		}
		Ok(())
	}
}

/// What training reports after every step.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
	pub epoch: usize,
	pub step: usize,
	pub total_steps: usize,
	/// Mean loss per completion token of this step's batch.
	pub loss: f64,
	pub tokens_per_second: f64,
	pub eta: Duration,
}

/// The result of a training run.
pub struct Trained {
	pub lora: LoraParams,
	/// Mean loss per token of each epoch.
	pub epoch_losses: Vec<f64>,
	pub steps: usize,
	pub elapsed: Duration,
}

/// Where training stands, as saved in a checkpoint.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct CheckpointState {
	config: TrainConfig,
	/// Epochs completed.
	epochs_done: usize,
	steps: usize,
	adam_step: u64,
	epoch_losses: Vec<f64>,
}

const STATE_FILE: &str = "trainer_state.json";
const TENSORS_FILE: &str = "trainer_tensors.safetensors";

fn save_checkpoint(
	dir: &Path,
	state: &CheckpointState,
	lora: &LoraParams,
	adam: &AdamW,
) -> Result<()> {
	std::fs::create_dir_all(dir).map_err(|e| Error::Model(format!("{}: {e}", dir.display())))?;
	let mut tensors = HashMap::new();
	for (i, (name, var)) in lora.named().into_iter().enumerate() {
		tensors.insert(format!("lora.{name}"), var.as_tensor().clone());
		tensors.insert(format!("adam_m.{name}"), adam.m[i].clone());
		tensors.insert(format!("adam_v.{name}"), adam.v[i].clone());
	}
	candle_core::safetensors::save(&tensors, dir.join(TENSORS_FILE))
		.map_err(model_err("checkpoint"))?;
	let json = serde_json::to_string_pretty(state).map_err(|e| Error::Model(e.to_string()))?;
	std::fs::write(dir.join(STATE_FILE), json).map_err(|e| Error::Model(format!("checkpoint: {e}")))
}

fn load_checkpoint(
	dir: &Path,
	config: &TrainConfig,
	lora: &LoraParams,
	adam: &mut AdamW,
) -> Result<CheckpointState> {
	let json = std::fs::read_to_string(dir.join(STATE_FILE))
		.map_err(|e| Error::Request(format!("no checkpoint in {}: {e}", dir.display())))?;
	let state: CheckpointState = serde_json::from_str(&json)
		.map_err(|e| Error::Request(format!("checkpoint state: {e}")))?;
	// More epochs may be asked for (training continues); anything else must be the same run.
	let same = |c: &TrainConfig| TrainConfig { epochs: 0, ..c.clone() };
	if same(&state.config) != same(config) {
		return Err(Error::Request("the checkpoint was made with another training config".into()));
	}
	let mut state = state;
	state.config = config.clone();
	let tensors = candle_core::safetensors::load(dir.join(TENSORS_FILE), &Device::Cpu)
		.map_err(|e| Error::Request(format!("checkpoint tensors: {e}")))?;
	let take = |name: &str| {
		tensors
			.get(name)
			.cloned()
			.ok_or_else(|| Error::Request(format!("checkpoint lacks `{name}`")))
	};
	for (i, (name, var)) in lora.named().into_iter().enumerate() {
		var.set(&take(&format!("lora.{name}"))?).map_err(model_err("checkpoint"))?;
		adam.m[i] = take(&format!("adam_m.{name}"))?;
		adam.v[i] = take(&format!("adam_v.{name}"))?;
	}
	adam.step = state.adam_step;
	Ok(state)
}

/// The order of the examples in `epoch`: a seeded Fisher–Yates shuffle.
fn epoch_order(n: usize, seed: u64, epoch: usize) -> Vec<usize> {
	let mut rng = SplitMix64::new(seed ^ (epoch as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
	let mut order: Vec<usize> = (0..n).collect();
	for i in (1..n).rev() {
		let j = (rng.next_u64() % (i as u64 + 1)) as usize;
		order.swap(i, j);
	}
	order
}

/// Fine-tunes a LoRA adapter on `examples`. With `checkpoints`, the state is saved there after
/// every epoch; with `resume`, training continues from such a checkpoint.
pub fn train(
	model: &Llama,
	examples: &[Example],
	config: &TrainConfig,
	checkpoints: Option<&Path>,
	resume: Option<&Path>,
	progress: &mut dyn FnMut(&Progress),
) -> Result<Trained> {
	config.check()?;
	if examples.is_empty() {
		return Err(Error::Request("no training examples".into()));
	}
	let trainable = Trainable::new(model)?;
	for e in examples {
		trainable.check_example(e, config.max_tokens)?;
	}
	let lora = LoraParams::init(&model.config, &config.lora, config.seed)?;
	let vars = lora.vars();
	let mut adam = AdamW::new(&vars, config.learning_rate, config.weight_decay)
		.map_err(model_err("optimizer"))?;
	let mut state = CheckpointState {
		config: config.clone(),
		epochs_done: 0,
		steps: 0,
		adam_step: 0,
		epoch_losses: Vec::new(),
	};
	if let Some(dir) = resume {
		state = load_checkpoint(dir, config, &lora, &mut adam)?;
	}
	let per_epoch = examples.len().div_ceil(config.batch_size);
	let total_steps = per_epoch * config.epochs;
	let started = Instant::now();
	let mut tokens_seen = 0usize;
	let mut steps_this_run = 0usize;
	for epoch in state.epochs_done..config.epochs {
		let (mut epoch_loss, mut epoch_tokens) = (0.0, 0usize);
		for batch in epoch_order(examples.len(), config.seed, epoch).chunks(config.batch_size) {
			let mut losses = Vec::with_capacity(batch.len());
			let mut tokens = 0;
			for &i in batch {
				let (nll, n) = trainable.completion_nll(&examples[i], &lora)?;
				losses.push(nll);
				tokens += n;
			}
			let loss = (Tensor::stack(&losses, 0).and_then(|l| l.sum_all()))
				.and_then(|l| l / tokens as f64)
				.map_err(model_err("loss"))?;
			let grads = loss.backward().map_err(model_err("backward pass"))?;
			adam.update(&vars, &grads).map_err(model_err("optimizer step"))?;
			let value = loss.to_scalar::<f32>().map_err(model_err("loss"))? as f64;
			epoch_loss += value * tokens as f64;
			epoch_tokens += tokens;
			tokens_seen += batch
				.iter()
				.map(|&i| examples[i].prompt.len() + examples[i].completion.len())
				.sum::<usize>();
			state.steps += 1;
			steps_this_run += 1;
			let elapsed = started.elapsed().as_secs_f64().max(1e-9);
			let remaining = total_steps.saturating_sub(state.steps);
			let per_step = elapsed / steps_this_run as f64;
			progress(&Progress {
				epoch,
				step: state.steps,
				total_steps,
				loss: value,
				tokens_per_second: tokens_seen as f64 / elapsed,
				eta: Duration::from_secs_f64(per_step * remaining as f64),
			});
		}
		state.epoch_losses.push(epoch_loss / epoch_tokens.max(1) as f64);
		state.epochs_done = epoch + 1;
		state.adam_step = adam.step;
		if let Some(dir) = checkpoints {
			save_checkpoint(dir, &state, &lora, &adam)?;
		}
	}
	Ok(Trained {
		lora,
		epoch_losses: state.epoch_losses,
		steps: state.steps,
		elapsed: started.elapsed(),
	})
}
