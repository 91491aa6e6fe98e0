//! LoRA adapters in the PEFT layout: `adapter_config.json` + `adapter_model.safetensors`, so an
//! adapter trained with Hugging Face PEFT loads unchanged.
//!
//! Loading checks everything against the base model before the adapter can be used: the config
//! (LoRA only, no DoRA, no bias terms, no fan-in/fan-out layout), every tensor's name (a known
//! projection of an existing layer), shape (`lora_A` is `[r, d_in]`, `lora_B` is `[d_out, r]`,
//! both ranks equal), pairing and values (finite). A bad adapter is refused with what is wrong
//! and nothing else is touched.

use crate::{
	config::{ModelConfig, RopeStyle},
	error::{Error, Result},
};
use candle_core::{DType, Device, Tensor};
use serde::{Deserialize, Serialize};
use std::{collections::HashMap, path::Path};

/// PEFT's file names.
pub const CONFIG_FILE: &str = "adapter_config.json";
pub const WEIGHTS_FILE: &str = "adapter_model.safetensors";
/// The adapter's provenance (`training::manifest`), written by ModelFactory beside its weights.
pub const MANIFEST_FILE: &str = "openledger_manifest.json";

/// The largest rank accepted: far above any LoRA in use, low enough to refuse garbage.
pub const MAX_RANK: usize = 1024;

/// A projection of a llama block that LoRA can target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Projection {
	Q,
	K,
	V,
	O,
	Gate,
	Up,
	Down,
}

impl Projection {
	pub const ALL: [Projection; 7] = [
		Projection::Q,
		Projection::K,
		Projection::V,
		Projection::O,
		Projection::Gate,
		Projection::Up,
		Projection::Down,
	];

	/// The module's name in Hugging Face llama checkpoints (and so in PEFT's target_modules).
	pub fn peft_name(self) -> &'static str {
		match self {
			Self::Q => "q_proj",
			Self::K => "k_proj",
			Self::V => "v_proj",
			Self::O => "o_proj",
			Self::Gate => "gate_proj",
			Self::Up => "up_proj",
			Self::Down => "down_proj",
		}
	}

	pub fn from_peft_name(name: &str) -> Option<Self> {
		Self::ALL.into_iter().find(|p| p.peft_name() == name)
	}

	/// The block part it belongs to in Hugging Face module paths.
	pub fn group(self) -> &'static str {
		match self {
			Self::Gate | Self::Up | Self::Down => "mlp",
			_ => "self_attn",
		}
	}

	/// For a GGUF base (interleaved RoPE), the heads of a projection whose output rows llama.cpp
	/// permuted (q and k); `None` for any other projection or base.
	pub fn permuted_heads(self, config: &ModelConfig) -> Option<usize> {
		match (self, config.rope_style) {
			(Self::Q, RopeStyle::Interleaved) => Some(config.heads),
			(Self::K, RopeStyle::Interleaved) => Some(config.kv_heads),
			_ => None,
		}
	}

	/// Position in per-layer arrays.
	pub fn index(self) -> usize {
		self as usize
	}

	/// `(d_in, d_out)` of the projection in `config`.
	pub fn dims(self, config: &ModelConfig) -> (usize, usize) {
		match self {
			Self::Q => (config.hidden, config.q_width()),
			Self::K | Self::V => (config.hidden, config.kv_width()),
			Self::O => (config.q_width(), config.hidden),
			Self::Gate | Self::Up => (config.hidden, config.intermediate),
			Self::Down => (config.intermediate, config.hidden),
		}
	}
}

/// `adapter_config.json`, the fields that change the arithmetic.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct PeftConfig {
	#[serde(default = "lora")]
	pub peft_type: String,
	pub r: usize,
	pub lora_alpha: f32,
	#[serde(default)]
	pub target_modules: serde_json::Value,
	#[serde(default)]
	pub use_rslora: bool,
	#[serde(default)]
	pub use_dora: bool,
	#[serde(default)]
	pub fan_in_fan_out: bool,
	#[serde(default = "none")]
	pub bias: String,
	#[serde(default)]
	pub alpha_pattern: HashMap<String, f32>,
	#[serde(default)]
	pub base_model_name_or_path: Option<String>,
}

fn lora() -> String {
	"LORA".into()
}

fn none() -> String {
	"none".into()
}

impl PeftConfig {
	/// A plain LoRA config targeting `targets` with rank `r` and `lora_alpha`.
	pub fn lora(r: usize, lora_alpha: f32, targets: &[Projection]) -> Self {
		Self {
			peft_type: lora(),
			r,
			lora_alpha,
			target_modules: targets.iter().map(|t| t.peft_name()).collect::<Vec<_>>().into(),
			use_rslora: false,
			use_dora: false,
			fan_in_fan_out: false,
			bias: none(),
			alpha_pattern: HashMap::new(),
			base_model_name_or_path: None,
		}
	}

	fn check(&self) -> Result<()> {
		let refuse = |why: String| Err(Error::Adapter(why));
		if !self.peft_type.eq_ignore_ascii_case("lora") {
			return refuse(format!("peft_type `{}` is not LORA", self.peft_type));
		}
		if self.use_dora {
			return refuse("DoRA adapters (use_dora) are not supported".into());
		}
		if self.fan_in_fan_out {
			return refuse("fan_in_fan_out adapters (Conv1D layout) are not supported".into());
		}
		if self.bias != "none" {
			return refuse(format!("bias `{}` is not supported (only `none`)", self.bias));
		}
		if self.r == 0 || self.r > MAX_RANK {
			return refuse(format!("rank r = {} is outside 1..={MAX_RANK}", self.r));
		}
		if !self.lora_alpha.is_finite() {
			return refuse("lora_alpha is not a finite number".into());
		}
		Ok(())
	}

	/// alpha for the module at `path` (`layers.3.self_attn.q_proj`): PEFT's alpha_pattern
	/// keys match the end of the module path.
	fn alpha_for(&self, path: &str) -> f32 {
		self.alpha_pattern
			.iter()
			.filter(|(pattern, _)| path.ends_with(pattern.as_str()))
			.max_by_key(|(pattern, _)| pattern.len())
			.map_or(self.lora_alpha, |(_, alpha)| *alpha)
	}
}

/// PEFT tensors by (layer, projection): `(lora_A, lora_B)` in the Hugging Face row order.
pub type PeftWeights = Vec<((usize, Projection), (Tensor, Tensor))>;

/// One projection's low-rank update, in the layout the SGMV kernels take.
#[derive(Clone, Debug)]
pub struct LoraWeights {
	/// `[rank, d_in]`, row-major.
	pub a: Vec<f32>,
	/// `[d_out, rank]`, row-major (rows in the base model's order).
	pub b: Vec<f32>,
	pub rank: usize,
	/// `alpha / rank` (`alpha / √rank` with rsLoRA).
	pub scale: f32,
}

/// A loaded, checked adapter.
#[derive(Debug)]
pub struct LoraAdapter {
	pub name: String,
	pub config: PeftConfig,
	/// `layers[l][projection.index()]`.
	layers: Vec<[Option<LoraWeights>; 7]>,
	bytes: usize,
}

impl LoraAdapter {
	/// The update of `projection` in `layer`, if the adapter has one.
	pub fn weights(&self, layer: usize, projection: Projection) -> Option<&LoraWeights> {
		self.layers.get(layer).and_then(|l| l[projection.index()].as_ref())
	}

	/// Memory the adapter's weights take.
	pub fn bytes(&self) -> usize {
		self.bytes
	}

	/// Projections the adapter updates (in any layer).
	pub fn targets(&self) -> Vec<Projection> {
		Projection::ALL
			.into_iter()
			.filter(|p| self.layers.iter().any(|l| l[p.index()].is_some()))
			.collect()
	}

	/// Loads and checks `dir/adapter_config.json` and `dir/adapter_model.safetensors` against
	/// the base model's `config`.
	pub fn load(name: &str, dir: &Path, config: &ModelConfig) -> Result<Self> {
		let config_path = dir.join(CONFIG_FILE);
		let json = std::fs::read_to_string(&config_path).map_err(|e| {
			Error::Adapter(format!("`{name}`: reading {}: {e}", config_path.display()))
		})?;
		let peft: PeftConfig = serde_json::from_str(&json)
			.map_err(|e| Error::Adapter(format!("`{name}`: {CONFIG_FILE}: {e}")))?;
		let weights_path = dir.join(WEIGHTS_FILE);
		let bytes = std::fs::read(&weights_path).map_err(|e| {
			Error::Adapter(format!("`{name}`: reading {}: {e}", weights_path.display()))
		})?;
		let tensors = candle_core::safetensors::load_buffer(&bytes, &Device::Cpu)
			.map_err(|e| Error::Adapter(format!("`{name}`: {WEIGHTS_FILE} is corrupt: {e}")))?;
		Self::from_tensors(name, peft, tensors, config)
	}

	/// Checks PEFT tensors against the base model and converts them to the kernels' layout.
	pub fn from_tensors(
		name: &str,
		peft: PeftConfig,
		tensors: HashMap<String, Tensor>,
		config: &ModelConfig,
	) -> Result<Self> {
		let refuse = |why: String| Error::Adapter(format!("`{name}`: {why}"));
		peft.check().map_err(|e| refuse(e.to_string()))?;
		let mut halves: HashMap<(usize, Projection), (Option<Tensor>, Option<Tensor>)> =
			HashMap::new();
		for (key, tensor) in tensors {
			let (layer, projection, is_a) = parse_key(&key).map_err(&refuse)?;
			if layer >= config.layers {
				return Err(refuse(format!(
					"`{key}` is for layer {layer}; the base model has {} layers",
					config.layers
				)));
			}
			let entry = halves.entry((layer, projection)).or_default();
			let slot = if is_a { &mut entry.0 } else { &mut entry.1 };
			if slot.replace(tensor).is_some() {
				return Err(refuse(format!("`{key}` appears twice")));
			}
		}
		if halves.is_empty() {
			return Err(refuse("the adapter has no LoRA weights".into()));
		}
		let mut layers: Vec<[Option<LoraWeights>; 7]> =
			(0..config.layers).map(|_| Default::default()).collect();
		let mut bytes = 0;
		for ((layer, projection), (a, b)) in halves {
			let module =
				format!("layers.{layer}.{}.{}", projection.group(), projection.peft_name());
			let (Some(a), Some(b)) = (a, b) else {
				return Err(refuse(format!("{module} has only one of lora_A / lora_B")));
			};
			let (d_in, d_out) = projection.dims(config);
			let a_dims = a.dims().to_vec();
			let b_dims = b.dims().to_vec();
			let rank = match (a_dims.as_slice(), b_dims.as_slice()) {
				([ra, ia], [ob, rb]) if ia == &d_in && ob == &d_out && ra == rb => *ra,
				_ => {
					return Err(refuse(format!(
						"{module}: lora_A is {a_dims:?} and lora_B is {b_dims:?}; the base model \
						 needs [r, {d_in}] and [{d_out}, r]"
					)))
				}
			};
			if rank == 0 || rank > MAX_RANK {
				return Err(refuse(format!("{module}: rank {rank} is outside 1..={MAX_RANK}")));
			}
			let a = to_f32_vec(&a).map_err(|e| refuse(format!("{module}: lora_A: {e}")))?;
			let mut b = to_f32_vec(&b).map_err(|e| refuse(format!("{module}: lora_B: {e}")))?;
			if a.iter().chain(&b).any(|v| !v.is_finite()) {
				return Err(refuse(format!("{module} holds NaN or infinite values")));
			}
			// GGUF llama checkpoints store q/k rows permuted for interleaved RoPE; an adapter
			// trained on the Hugging Face weights gets the same permutation.
			if let Some(heads) = projection.permuted_heads(config) {
				b = permute_rows_for_gguf(&b, heads, rank);
			}
			let alpha = peft.alpha_for(&module);
			let scale =
				if peft.use_rslora { alpha / (rank as f32).sqrt() } else { alpha / rank as f32 };
			bytes += (a.len() + b.len()) * std::mem::size_of::<f32>();
			layers[layer][projection.index()] = Some(LoraWeights { a, b, rank, scale });
		}
		Ok(Self { name: name.to_string(), config: peft, layers, bytes })
	}
}

/// `…layers.{i}.{self_attn|mlp}.{module}.lora_{A|B}[.default].weight` → (i, module, is_A).
fn parse_key(key: &str) -> std::result::Result<(usize, Projection, bool), String> {
	let parts: Vec<&str> = key.split('.').collect();
	let lora_at = parts.iter().position(|p| *p == "lora_A" || *p == "lora_B").ok_or_else(|| {
		format!("`{key}` is not a LoRA weight (modules_to_save is not supported)")
	})?;
	let is_a = parts[lora_at] == "lora_A";
	let module = lora_at.checked_sub(1).map(|i| parts[i]).unwrap_or_default();
	let projection = Projection::from_peft_name(module).ok_or_else(|| {
		format!("`{key}` targets `{module}`, which is not a projection of a llama block")
	})?;
	let layer = parts
		.iter()
		.position(|p| *p == "layers")
		.and_then(|i| parts.get(i + 1))
		.and_then(|n| n.parse().ok())
		.ok_or_else(|| format!("`{key}` names no layer"))?;
	Ok((layer, projection, is_a))
}

fn to_f32_vec(t: &Tensor) -> candle_core::Result<Vec<f32>> {
	t.to_dtype(DType::F32)?.flatten_all()?.to_vec1()
}

/// Reorders the rows of a `[heads·head_dim, rank]` matrix from the Hugging Face order to the
/// one llama.cpp gives q/k in GGUF: within a head, row `2j + t` of GGUF is row
/// `t·head_dim/2 + j` of Hugging Face.
pub fn permute_rows_for_gguf(b: &[f32], heads: usize, rank: usize) -> Vec<f32> {
	permute_rows(b, heads, rank, false)
}

/// The inverse of [`permute_rows_for_gguf`].
pub fn unpermute_rows_from_gguf(b: &[f32], heads: usize, rank: usize) -> Vec<f32> {
	permute_rows(b, heads, rank, true)
}

/// [`unpermute_rows_from_gguf`] on a `[rows, width]` tensor: the Hugging Face row order back.
pub fn unpermute_tensor_from_gguf(t: &Tensor, heads: usize) -> Result<Tensor> {
	let err = |e: candle_core::Error| Error::Model(format!("un-permuting rows: {e}"));
	let (rows, width) = t.dims2().map_err(err)?;
	let data = to_f32_vec(t).map_err(err)?;
	Tensor::from_vec(unpermute_rows_from_gguf(&data, heads, width), (rows, width), &Device::Cpu)
		.map_err(err)
}

fn permute_rows(b: &[f32], heads: usize, width: usize, inverse: bool) -> Vec<f32> {
	let rows = b.len() / width.max(1);
	let head_dim = rows / heads.max(1);
	let half = head_dim / 2;
	let mut out = vec![0.0; b.len()];
	for h in 0..heads {
		for j in 0..half {
			for t in 0..2 {
				let gguf = h * head_dim + 2 * j + t;
				let hf = h * head_dim + t * half + j;
				let (to, from) = if inverse { (hf, gguf) } else { (gguf, hf) };
				out[to * width..(to + 1) * width]
					.copy_from_slice(&b[from * width..(from + 1) * width]);
			}
		}
	}
	out
}

/// Writes an adapter in the PEFT layout (what `save_pretrained` writes): for tests, benchmarks
/// and the demo adapters. `weights` maps (layer, projection) to HF-ordered `(A, B)`.
pub fn save_peft(dir: &Path, peft: &PeftConfig, weights: &PeftWeights) -> Result<()> {
	std::fs::create_dir_all(dir)
		.map_err(|e| Error::Adapter(format!("creating {}: {e}", dir.display())))?;
	let json = serde_json::to_string_pretty(peft).map_err(|e| Error::Adapter(e.to_string()))?;
	std::fs::write(dir.join(CONFIG_FILE), json)
		.map_err(|e| Error::Adapter(format!("writing {CONFIG_FILE}: {e}")))?;
	let mut tensors = HashMap::new();
	for ((layer, projection), (a, b)) in weights {
		let stem = format!(
			"base_model.model.model.layers.{layer}.{}.{}",
			projection.group(),
			projection.peft_name()
		);
		tensors.insert(format!("{stem}.lora_A.weight"), a.clone());
		tensors.insert(format!("{stem}.lora_B.weight"), b.clone());
	}
	candle_core::safetensors::save(&tensors, dir.join(WEIGHTS_FILE))
		.map_err(|e| Error::Adapter(format!("writing {WEIGHTS_FILE}: {e}")))
}

/// A deterministic adapter with small pseudo-random weights (a SplitMix64 stream from `seed`),
/// targeting `targets` in every layer: what the tests and the throughput benchmarks serve by the
/// thousand. Its scale is chosen so that it visibly changes the output without wrecking it.
pub fn synthetic_weights(
	config: &ModelConfig,
	rank: usize,
	targets: &[Projection],
	seed: u64,
) -> PeftWeights {
	let mut rng = crate::rng::SplitMix64::new(seed);
	let mut out = Vec::new();
	for layer in 0..config.layers {
		for &projection in targets {
			let (d_in, d_out) = projection.dims(config);
			let mut fill = |n: usize, amplitude: f32| -> Vec<f32> {
				(0..n).map(|_| (rng.next_f32() * 2.0 - 1.0) * amplitude).collect()
			};
			let a = fill(rank * d_in, 1.0 / (d_in as f32).sqrt());
			let b = fill(d_out * rank, 0.5 / (rank as f32).sqrt());
			let (Ok(a), Ok(b)) = (
				Tensor::from_vec(a, (rank, d_in), &Device::Cpu),
				Tensor::from_vec(b, (d_out, rank), &Device::Cpu),
			) else {
				continue;
			};
			out.push(((layer, projection), (a, b)));
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn keys_parse_in_peft_spellings() {
		assert_eq!(
			parse_key("base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight"),
			Ok((3, Projection::Q, true))
		);
		assert_eq!(
			parse_key("base_model.model.model.layers.12.mlp.down_proj.lora_B.default.weight"),
			Ok((12, Projection::Down, false))
		);
		assert!(parse_key("base_model.model.lm_head.lora_A.weight").is_err());
		assert!(parse_key("base_model.model.model.layers.0.mlp.up_proj.weight").is_err());
	}

	#[test]
	fn gguf_row_permutation_round_trips() {
		let heads = 2;
		let head_dim = 4;
		let rank = 3;
		let b: Vec<f32> = (0..heads * head_dim * rank).map(|v| v as f32).collect();
		let p = permute_rows_for_gguf(&b, heads, rank);
		// Row 1 of GGUF (j = 0, t = 1) is row head_dim/2 = 2 of HF.
		assert_eq!(&p[rank..2 * rank], &b[2 * rank..3 * rank]);
		assert_eq!(unpermute_rows_from_gguf(&p, heads, rank), b);
	}

	#[test]
	fn alpha_pattern_matches_module_suffix() {
		let mut c = PeftConfig::lora(8, 16.0, &[Projection::Q]);
		c.alpha_pattern.insert("q_proj".into(), 32.0);
		c.alpha_pattern.insert("layers.1.self_attn.q_proj".into(), 4.0);
		assert_eq!(c.alpha_for("layers.0.self_attn.q_proj"), 32.0);
		assert_eq!(c.alpha_for("layers.1.self_attn.q_proj"), 4.0);
		assert_eq!(c.alpha_for("layers.1.self_attn.v_proj"), 16.0);
	}
}
