//! The LoRA parameters being trained: what to adapt ([`LoraConfig`]) and the `A`/`B` variables
//! candle's autograd updates ([`LoraParams`]), exported to and loaded from the PEFT layout.

use crate::{
	config::ModelConfig,
	error::{model_err, Error, Result},
	lora::adapter::{unpermute_tensor_from_gguf, PeftConfig, PeftWeights, Projection},
	rng::SplitMix64,
};
use candle_core::{DType, Device, Var};
use serde::{Deserialize, Serialize};

/// The adapter to train.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoraConfig {
	pub rank: usize,
	pub alpha: f32,
	pub targets: Vec<String>,
}

impl LoraConfig {
	pub(crate) fn projections(&self) -> Result<Vec<Projection>> {
		self.targets
			.iter()
			.map(|t| {
				Projection::from_peft_name(t)
					.ok_or_else(|| Error::Request(format!("unknown target module `{t}`")))
			})
			.collect()
	}
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
		adapter: &crate::lora::adapter::LoraAdapter,
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

	pub(crate) fn get(&self, layer: usize, p: Projection) -> Option<&(Var, Var)> {
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

	pub(crate) fn named(&self) -> Vec<(String, &Var)> {
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
