//! The differentiable llama: the forward pass written with candle tensor ops over the dense
//! base weights and the LoRA variables, so that candle's autograd can take gradients through it
//! (training and DataInf both need them). It computes exactly what the serving engine computes;
//! a test holds the two to the same logits.

use crate::{
	config::{ModelConfig, RopeStyle},
	error::{model_err, Error, Result},
	lora::{adapter::Projection, params::LoraParams},
	model::llama::{DenseWeights, Llama},
};
use candle_core::{Device, Tensor, D};

#[derive(Clone, Debug, PartialEq)]
pub struct Example {
	/// The contribution it comes from.
	pub id: u64,
	pub prompt: Vec<u32>,
	pub completion: Vec<u32>,
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
