//! The llama forward pass of the engine: a heterogeneous batch of request chunks through one pass
//! of the base weights, each request's LoRA delta added per segment (SGMV), attention over the
//! paged KV cache.
//!
//! A step's batch is the concatenation of *chunks*: a request's next tokens (a whole or partial
//! prompt, or the one token just sampled) at its positions, with its block table and adapters.
//! All rows go through each base projection together (`QMatMul`, quantized or dense); then, for
//! every adapter slot, the rows of each chunk get their adapter's `scale·(x·Aᵀ)·Bᵀ` from
//! [`openledger_kernels::cpu::sgmv`]. Attention is per request, over its own cached positions.

use crate::{
	config::{ModelConfig, RopeStyle},
	error::{model_err, Error, Result},
	lora::adapter::{LoraAdapter, Projection},
	model::kv_cache::{BlockId, KvCache},
	rng::SplitMix64,
};
use candle_core::{
	quantized::{gguf_file, GgmlDType, QMatMul, QTensor},
	DType, Device, Module, Tensor,
};
use openledger_kernels::{cpu::sgmv, Segment, Shape};
use rayon::prelude::*;
use std::{collections::HashMap, path::Path, sync::Arc};

/// How the base weights are held in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
	/// As stored: a GGUF's quantization, a safetensors checkpoint in f32.
	Native,
	/// Dequantized to f32.
	F32,
	/// Quantized to 8 bits (GGML Q8_0: blocks of 32 weights with one f16 scale).
	Q8,
}

impl std::str::FromStr for Precision {
	type Err = Error;
	fn from_str(s: &str) -> Result<Self> {
		match s {
			"native" => Ok(Self::Native),
			"f32" => Ok(Self::F32),
			"q8" | "q8_0" => Ok(Self::Q8),
			other => Err(Error::Model(format!("precision `{other}`: use native, f32 or q8"))),
		}
	}
}

/// A request's adapters and their weights: one for a plain request, several for an ensemble.
pub type AdapterSet = Vec<(Arc<LoraAdapter>, f32)>;

/// One request's part of a batch.
pub struct Chunk<'a> {
	/// The tokens to run, at positions `start..start + tokens.len()`.
	pub tokens: &'a [u32],
	pub start: usize,
	/// The request's blocks, covering at least `start + tokens.len()` positions.
	pub blocks: &'a [BlockId],
	/// The request's adapters and their weights (several = an ensemble).
	pub adapters: &'a [(Arc<LoraAdapter>, f32)],
	/// Whether to return the logits of the chunk's last token.
	pub logits: bool,
}

struct Block {
	attn_norm: Vec<f32>,
	ffn_norm: Vec<f32>,
	/// Indexed by [`Projection::index`].
	proj: [QMatMul; 7],
}

/// One block's weights as dense f32 tensors; `proj` is indexed by [`Projection::index`], each
/// `[d_out, d_in]`.
pub struct DenseBlock {
	pub attn_norm: Tensor,
	pub ffn_norm: Tensor,
	pub proj: Vec<Tensor>,
}

/// The whole base as dense f32 tensors.
pub struct DenseWeights {
	/// `[vocab, hidden]`.
	pub embed: Tensor,
	pub layers: Vec<DenseBlock>,
	pub norm: Tensor,
	/// `[vocab, hidden]`.
	pub lm_head: Tensor,
}

/// A llama-architecture base model, ready to serve batches.
pub struct Llama {
	pub config: ModelConfig,
	embed: QMatMul,
	blocks: Vec<Block>,
	norm: Vec<f32>,
	lm_head: QMatMul,
	tied: bool,
	inv_freq: Vec<f32>,
}

fn convert(w: QMatMul, precision: Precision) -> Result<QMatMul> {
	Ok(match precision {
		Precision::Native => w,
		Precision::F32 => QMatMul::Tensor(dense_f32(&w)?),
		Precision::Q8 => {
			let t = dense_f32(&w)?;
			let q = QTensor::quantize(&t, GgmlDType::Q8_0).map_err(model_err("quantizing"))?;
			QMatMul::QTensor(Arc::new(q))
		}
	})
}

fn bytes_of(w: &QMatMul) -> usize {
	match w {
		QMatMul::QTensor(q) => q.storage_size_in_bytes(),
		QMatMul::Tensor(t) | QMatMul::TensorF16(t) => t.elem_count() * t.dtype().size_in_bytes(),
	}
}

fn dense_f32(w: &QMatMul) -> Result<Tensor> {
	match w {
		QMatMul::QTensor(q) => q.dequantize(&Device::Cpu),
		QMatMul::Tensor(t) | QMatMul::TensorF16(t) => t.to_dtype(DType::F32),
	}
	.map_err(model_err("dequantizing"))
}

fn vec1(t: Tensor, what: &str) -> Result<Vec<f32>> {
	t.to_dtype(DType::F32)
		.and_then(|t| t.flatten_all())
		.and_then(|t| t.to_vec1())
		.map_err(model_err(what))
}

impl Llama {
	/// Loads a GGUF llama checkpoint, holding the weights at `precision`.
	pub fn from_gguf(path: &Path, precision: Precision) -> Result<(Self, gguf_file::Content)> {
		let mut file = std::fs::File::open(path)
			.map_err(|e| Error::Model(format!("opening {}: {e}", path.display())))?;
		let content = gguf_file::Content::read(&mut file)
			.map_err(|e| Error::Model(format!("{} is not a GGUF file: {e}", path.display())))?;
		let config = ModelConfig::from_gguf(&content)?;
		let mut tensor = |name: &str| -> Result<QTensor> {
			content
				.tensor(&mut file, name, &Device::Cpu)
				.map_err(|e| Error::Model(format!("GGUF tensor `{name}`: {e}")))
		};
		let norm_vec = |q: QTensor, name: &str| {
			vec1(q.dequantize(&Device::Cpu).map_err(model_err(name))?, name)
		};
		let embed_q = Arc::new(tensor("token_embd.weight")?);
		let (lm_head, tied) = match tensor("output.weight") {
			Ok(q) => (convert(QMatMul::QTensor(Arc::new(q)), precision)?, false),
			Err(_) => (convert(QMatMul::QTensor(embed_q.clone()), precision)?, true),
		};
		let embed =
			if tied { lm_head.clone() } else { convert(QMatMul::QTensor(embed_q), precision)? };
		let norm = norm_vec(tensor("output_norm.weight")?, "output_norm")?;
		let mut blocks = Vec::with_capacity(config.layers);
		for l in 0..config.layers {
			let mut proj = |suffix: &str| -> Result<QMatMul> {
				convert(
					QMatMul::QTensor(Arc::new(tensor(&format!("blk.{l}.{suffix}.weight"))?)),
					precision,
				)
			};
			let projections = [
				proj("attn_q")?,
				proj("attn_k")?,
				proj("attn_v")?,
				proj("attn_output")?,
				proj("ffn_gate")?,
				proj("ffn_up")?,
				proj("ffn_down")?,
			];
			blocks.push(Block {
				attn_norm: norm_vec(tensor(&format!("blk.{l}.attn_norm.weight"))?, "attn_norm")?,
				ffn_norm: norm_vec(tensor(&format!("blk.{l}.ffn_norm.weight"))?, "ffn_norm")?,
				proj: projections,
			});
		}
		let model = Self::assemble(config, embed, blocks, norm, lm_head, tied)?;
		Ok((model, content))
	}

	/// Loads a Hugging Face llama checkpoint directory (`config.json` + `*.safetensors`).
	/// Returns the model and the end-of-sequence ids `config.json` names.
	pub fn from_hf_dir(dir: &Path, precision: Precision) -> Result<(Self, Vec<u32>)> {
		let json = std::fs::read_to_string(dir.join("config.json"))
			.map_err(|e| Error::Model(format!("reading {}/config.json: {e}", dir.display())))?;
		let (config, extras) = ModelConfig::from_hf_json(&json)?;
		let mut files: Vec<_> = std::fs::read_dir(dir)
			.map_err(|e| Error::Model(format!("reading {}: {e}", dir.display())))?
			.filter_map(|e| e.ok().map(|e| e.path()))
			.filter(|p| p.extension().is_some_and(|x| x == "safetensors"))
			.collect();
		files.sort();
		if files.is_empty() {
			return Err(Error::Model(format!("no .safetensors file in {}", dir.display())));
		}
		let mut tensors = HashMap::new();
		for f in &files {
			let loaded = candle_core::safetensors::load(f, &Device::Cpu)
				.map_err(|e| Error::Model(format!("{}: {e}", f.display())))?;
			tensors.extend(loaded);
		}
		let mut take = |name: &str| -> Result<Tensor> {
			let t = tensors
				.remove(name)
				.ok_or_else(|| Error::Model(format!("the checkpoint has no `{name}`")))?;
			t.to_dtype(DType::F32).map_err(model_err(name))
		};
		let weight = |t: Tensor| convert(QMatMul::Tensor(t), precision);
		let embed_t = take("model.embed_tokens.weight")?;
		let (lm_head, tied) = match take("lm_head.weight") {
			Ok(t) if !extras.tie_word_embeddings => (weight(t)?, false),
			_ => (weight(embed_t.clone())?, true),
		};
		let embed = if tied { lm_head.clone() } else { weight(embed_t)? };
		let norm = vec1(take("model.norm.weight")?, "model.norm")?;
		let mut blocks = Vec::with_capacity(config.layers);
		for l in 0..config.layers {
			let p = format!("model.layers.{l}");
			let mut proj = |projection: Projection| -> Result<QMatMul> {
				weight(take(&format!(
					"{p}.{}.{}.weight",
					projection.group(),
					projection.peft_name()
				))?)
			};
			let projections = [
				proj(Projection::Q)?,
				proj(Projection::K)?,
				proj(Projection::V)?,
				proj(Projection::O)?,
				proj(Projection::Gate)?,
				proj(Projection::Up)?,
				proj(Projection::Down)?,
			];
			blocks.push(Block {
				attn_norm: vec1(take(&format!("{p}.input_layernorm.weight"))?, "input_layernorm")?,
				ffn_norm: vec1(
					take(&format!("{p}.post_attention_layernorm.weight"))?,
					"post_attention_layernorm",
				)?,
				proj: projections,
			});
		}
		Ok((Self::assemble(config, embed, blocks, norm, lm_head, tied)?, extras.eos))
	}

	/// A small model with deterministic pseudo-random weights, for tests that only need shapes
	/// and arithmetic (never for the demo or benchmarks, which use the real base model).
	pub fn synthetic(config: ModelConfig, seed: u64, precision: Precision) -> Result<Self> {
		config.validate()?;
		let mut rng = SplitMix64::new(seed);
		let mut dense = |rows: usize, cols: usize| -> Result<QMatMul> {
			let amplitude = 1.0 / (cols as f32).sqrt();
			let data: Vec<f32> =
				(0..rows * cols).map(|_| (rng.next_f32() * 2.0 - 1.0) * amplitude * 1.7).collect();
			let t = Tensor::from_vec(data, (rows, cols), &Device::Cpu)
				.map_err(model_err("synthetic"))?;
			convert(QMatMul::Tensor(t), precision)
		};
		let embed = dense(config.vocab, config.hidden)?;
		let mut blocks = Vec::new();
		for _ in 0..config.layers {
			let mut proj = Vec::new();
			for p in Projection::ALL {
				let (d_in, d_out) = p.dims(&config);
				proj.push(dense(d_out, d_in)?);
			}
			let proj: [QMatMul; 7] =
				proj.try_into().map_err(|_| Error::Model("seven projections".into()))?;
			blocks.push(Block {
				attn_norm: vec![1.0; config.hidden],
				ffn_norm: vec![1.0; config.hidden],
				proj,
			});
		}
		let lm_head = dense(config.vocab, config.hidden)?;
		let norm = vec![1.0; config.hidden];
		Self::assemble(config, embed, blocks, norm, lm_head, false)
	}

	fn assemble(
		config: ModelConfig,
		embed: QMatMul,
		blocks: Vec<Block>,
		norm: Vec<f32>,
		lm_head: QMatMul,
		tied: bool,
	) -> Result<Self> {
		let inv_freq = config.rope_inv_freq();
		Ok(Self { config, embed, blocks, norm, lm_head, tied, inv_freq })
	}

	/// The base weights as dense f32 tensors, for training and gradients (candle's quantized
	/// matmuls have no backward pass). GGUF q/k rows stay in their permuted order, matching
	/// [`RopeStyle::Interleaved`].
	pub fn dense_weights(&self) -> Result<DenseWeights> {
		let vector = |v: &[f32]| Tensor::new(v, &Device::Cpu).map_err(model_err("norm"));
		let layers = self
			.blocks
			.iter()
			.map(|b| {
				Ok(DenseBlock {
					attn_norm: vector(&b.attn_norm)?,
					ffn_norm: vector(&b.ffn_norm)?,
					proj: b.proj.iter().map(dense_f32).collect::<Result<Vec<_>>>()?,
				})
			})
			.collect::<Result<Vec<_>>>()?;
		let embed = dense_f32(&self.embed)?;
		let lm_head = if self.tied { embed.clone() } else { dense_f32(&self.lm_head)? };
		Ok(DenseWeights { embed, layers, norm: vector(&self.norm)?, lm_head })
	}

	/// Memory the weights take, in bytes (a tied embedding counted once).
	pub fn weight_bytes(&self) -> usize {
		let projections: usize =
			self.blocks.iter().flat_map(|b| b.proj.iter()).map(bytes_of).sum::<usize>();
		let norms: usize =
			self.blocks.iter().map(|b| b.attn_norm.len() + b.ffn_norm.len()).sum::<usize>()
				+ self.norm.len();
		let head = if self.tied { 0 } else { bytes_of(&self.lm_head) };
		projections + norms * 4 + bytes_of(&self.embed) + head
	}

	/// Writes the model as a Hugging Face checkpoint directory (f32 safetensors, `config.json`),
	/// undoing GGUF's q/k row permutation, so that the directory loader can be checked against
	/// the GGUF one on the same real weights. The tokenizer is written by the caller.
	pub fn export_hf(&self, dir: &Path, eos: u32) -> Result<()> {
		std::fs::create_dir_all(dir)
			.map_err(|e| Error::Model(format!("{}: {e}", dir.display())))?;
		let c = &self.config;
		let mut out: HashMap<String, Tensor> = HashMap::new();
		let cpu = &Device::Cpu;
		let vector = |v: &[f32]| Tensor::new(v, cpu).map_err(model_err("export"));
		out.insert("model.embed_tokens.weight".into(), dense_f32(&self.embed)?);
		if !self.tied {
			out.insert("lm_head.weight".into(), dense_f32(&self.lm_head)?);
		}
		out.insert("model.norm.weight".into(), vector(&self.norm)?);
		for (l, block) in self.blocks.iter().enumerate() {
			let p = format!("model.layers.{l}");
			for projection in Projection::ALL {
				let mut w = dense_f32(&block.proj[projection.index()])?;
				if let Some(heads) = projection.permuted_heads(c) {
					w = crate::lora::adapter::unpermute_tensor_from_gguf(&w, heads)?;
				}
				out.insert(
					format!("{p}.{}.{}.weight", projection.group(), projection.peft_name()),
					w,
				);
			}
			out.insert(format!("{p}.input_layernorm.weight"), vector(&block.attn_norm)?);
			out.insert(format!("{p}.post_attention_layernorm.weight"), vector(&block.ffn_norm)?);
		}
		candle_core::safetensors::save(&out, dir.join("model.safetensors"))
			.map_err(model_err("writing model.safetensors"))?;
		let mut hf = c.clone();
		hf.rope_style = RopeStyle::Halves;
		std::fs::write(dir.join("config.json"), hf.to_hf_json(self.tied, eos))
			.map_err(|e| Error::Model(format!("writing config.json: {e}")))
	}

	fn matmul(w: &QMatMul, x: &[f32], rows: usize, d_in: usize) -> Result<Vec<f32>> {
		let t = Tensor::from_slice(x, (rows, d_in), &Device::Cpu).map_err(model_err("batch"))?;
		vec1(w.forward(&t).map_err(model_err("matmul"))?, "matmul")
	}

	/// `x·Wᵀ` for every row, plus each row's LoRA delta.
	fn project(
		&self,
		layer: usize,
		projection: Projection,
		x: &[f32],
		rows: usize,
		lora: &LoraPlan<'_>,
	) -> Result<Vec<f32>> {
		let (d_in, d_out) = projection.dims(&self.config);
		let mut y = Self::matmul(&self.blocks[layer].proj[projection.index()], x, rows, d_in)?;
		for slot in &lora.slots {
			let segments: Vec<Segment<'_>> = slot
				.iter()
				.filter_map(|(range, adapter, weight)| {
					adapter.weights(layer, projection).map(|w| Segment {
						rows: range.clone(),
						a: &w.a,
						b: &w.b,
						rank: w.rank,
						scale: w.scale * weight,
					})
				})
				.collect();
			if !segments.is_empty() {
				sgmv(Shape { rows, d_in, d_out }, x, &segments, &mut y).map_err(|e| {
					Error::Model(format!("LoRA on {}: {e}", projection.peft_name()))
				})?;
			}
		}
		Ok(y)
	}

	fn rms_norm(&self, x: &[f32], weight: &[f32]) -> Vec<f32> {
		let eps = self.config.rms_eps;
		let mut out = vec![0.0; x.len()];
		out.par_chunks_mut(weight.len()).zip(x.par_chunks(weight.len())).for_each(|(o, x)| {
			let mean = x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32;
			let r = 1.0 / (mean + eps).sqrt();
			for ((o, x), w) in o.iter_mut().zip(x).zip(weight) {
				*o = x * r * w;
			}
		});
		out
	}

	fn rotate(&self, row: &mut [f32], position: usize) {
		let d = self.config.head_dim;
		let half = d / 2;
		for head in row.chunks_exact_mut(d) {
			for (i, f) in self.inv_freq.iter().enumerate() {
				let (sin, cos) = (position as f32 * f).sin_cos();
				let (a, b) = match self.config.rope_style {
					RopeStyle::Interleaved => (2 * i, 2 * i + 1),
					RopeStyle::Halves => (i, i + half),
				};
				let (x0, x1) = (head[a], head[b]);
				head[a] = x0 * cos - x1 * sin;
				head[b] = x0 * sin + x1 * cos;
			}
		}
	}

	/// Runs one batch step. Keys and values of every chunk's tokens are written to `cache`;
	/// returns the logits of the last token of each chunk that asked for them, in order.
	pub fn forward(&self, chunks: &[Chunk<'_>], cache: &mut KvCache) -> Result<Vec<Vec<f32>>> {
		self.run(chunks, cache, false)
	}

	/// Mean negative log-likelihood (nats per token) of `tokens[1..]` given what precedes each
	/// of them, reading `tokens` in windows of at most the context: the base of perplexity.
	pub fn mean_nll(&self, tokens: &[u32], window: usize) -> Result<f64> {
		let window = window.clamp(2, self.config.context);
		let block_size = 16;
		let mut cache = KvCache::new(&self.config, window.div_ceil(block_size), block_size);
		let blocks: Vec<BlockId> = (0..window.div_ceil(block_size) as BlockId).collect();
		let (mut total, mut count) = (0f64, 0usize);
		for piece in tokens.chunks(window).filter(|p| p.len() >= 2) {
			let chunk =
				Chunk { tokens: piece, start: 0, blocks: &blocks, adapters: &[], logits: true };
			let logits = self.run(&[chunk], &mut cache, true)?;
			for (row, next) in logits.iter().zip(&piece[1..]) {
				let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
				let log_sum =
					row.iter().map(|l| ((l - max) as f64).exp()).sum::<f64>().ln() + max as f64;
				total += log_sum - row[*next as usize] as f64;
				count += 1;
			}
		}
		if count == 0 {
			return Err(Error::Request("perplexity needs at least two tokens".into()));
		}
		Ok(total / count as f64)
	}

	/// The forward pass; `every_row` returns the logits of every row instead of the last of
	/// each chunk.
	fn run(
		&self,
		chunks: &[Chunk<'_>],
		cache: &mut KvCache,
		every_row: bool,
	) -> Result<Vec<Vec<f32>>> {
		let c = &self.config;
		let mut rows_of = Vec::new(); // row → (chunk, position)
		for (i, chunk) in chunks.iter().enumerate() {
			let end = chunk.start + chunk.tokens.len();
			if end > c.context {
				return Err(Error::Request(format!(
					"position {end} is past the context of {}",
					c.context
				)));
			}
			if chunk.blocks.len() * cache.block_size() < end {
				return Err(Error::Model(format!(
					"chunk {i} has too few KV blocks for {end} positions"
				)));
			}
			if let Some(t) = chunk.tokens.iter().find(|t| **t as usize >= c.vocab) {
				return Err(Error::Request(format!(
					"token {t} is outside the vocabulary of {}",
					c.vocab
				)));
			}
			rows_of.extend((chunk.start..end).map(|p| (i, p)));
		}
		let rows = rows_of.len();
		if rows == 0 {
			return Ok(Vec::new());
		}
		let lora = LoraPlan::new(chunks);
		let ids: Vec<u32> = chunks.iter().flat_map(|ch| ch.tokens.iter().copied()).collect();
		let ids = Tensor::new(ids.as_slice(), &Device::Cpu).map_err(model_err("ids"))?;
		let mut x = vec1(self.embed.embedding(&ids).map_err(model_err("embedding"))?, "embedding")?;
		let (h, qw, kvw) = (c.hidden, c.q_width(), c.kv_width());
		for (l, block) in self.blocks.iter().enumerate() {
			let normed = self.rms_norm(&x, &block.attn_norm);
			let mut q = self.project(l, Projection::Q, &normed, rows, &lora)?;
			let mut k = self.project(l, Projection::K, &normed, rows, &lora)?;
			let v = self.project(l, Projection::V, &normed, rows, &lora)?;
			q.par_chunks_mut(qw).zip(&rows_of).for_each(|(row, (_, p))| self.rotate(row, *p));
			k.par_chunks_mut(kvw).zip(&rows_of).for_each(|(row, (_, p))| self.rotate(row, *p));
			for (r, (i, p)) in rows_of.iter().enumerate() {
				let at = r * kvw..(r + 1) * kvw;
				cache.write(l, chunks[*i].blocks, *p, &k[at.clone()], &v[at]);
			}
			let mut attended = vec![0.0; rows * qw];
			let cache_ref = &*cache;
			attended.par_chunks_mut(qw).zip(q.par_chunks(qw)).zip(&rows_of).for_each_init(
				Vec::new,
				|scores, ((out, query), (i, p))| {
					cache_ref.attend(l, chunks[*i].blocks, *p, query, out, scores)
				},
			);
			let o = self.project(l, Projection::O, &attended, rows, &lora)?;
			x.iter_mut().zip(&o).for_each(|(x, o)| *x += o);
			let normed = self.rms_norm(&x, &block.ffn_norm);
			let gate = self.project(l, Projection::Gate, &normed, rows, &lora)?;
			let mut up = self.project(l, Projection::Up, &normed, rows, &lora)?;
			up.par_iter_mut().zip(&gate).for_each(|(u, g)| *u *= g / (1.0 + (-g).exp()));
			let down = self.project(l, Projection::Down, &up, rows, &lora)?;
			x.iter_mut().zip(&down).for_each(|(x, d)| *x += d);
		}
		// Logits only where a token will be sampled: the last row of chunks that asked.
		let last_rows = if every_row {
			x
		} else {
			let mut last_rows = Vec::new();
			let mut end = 0;
			for chunk in chunks {
				end += chunk.tokens.len();
				if chunk.logits && !chunk.tokens.is_empty() {
					last_rows.extend_from_slice(&x[(end - 1) * h..end * h]);
				}
			}
			last_rows
		};
		if last_rows.is_empty() {
			return Ok(Vec::new());
		}
		let m = last_rows.len() / h;
		let normed = self.rms_norm(&last_rows, &self.norm);
		let logits = Self::matmul(&self.lm_head, &normed, m, h)?;
		Ok(logits.chunks(c.vocab).map(<[f32]>::to_vec).collect())
	}
}

/// Which rows get which adapter: slot `k` holds the `k`-th adapter of every request that has
/// one, so a request with an ensemble of `n` adapters is covered by `n` disjoint-segment SGMV
/// calls and no adapter is ever merged into the base.
struct LoraPlan<'a> {
	slots: Vec<Vec<(std::ops::Range<usize>, &'a LoraAdapter, f32)>>,
}

impl<'a> LoraPlan<'a> {
	fn new(chunks: &'a [Chunk<'a>]) -> Self {
		let mut slots: Vec<Vec<_>> = Vec::new();
		let mut start = 0;
		for chunk in chunks {
			let range = start..start + chunk.tokens.len();
			start = range.end;
			for (k, (adapter, weight)) in chunk.adapters.iter().enumerate() {
				if slots.len() <= k {
					slots.push(Vec::new());
				}
				slots[k].push((range.clone(), adapter.as_ref(), *weight));
			}
		}
		Self { slots }
	}
}
