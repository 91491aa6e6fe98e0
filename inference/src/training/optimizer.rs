//! AdamW with decoupled weight decay.

use candle_core::{backprop::GradStore, Tensor, Var};

/// AdamW with decoupled weight decay; its moments are plain tensors so that checkpoints hold
/// them and a resumed run continues exactly.
pub(crate) struct AdamW {
	pub(crate) lr: f64,
	pub(crate) weight_decay: f64,
	pub(crate) step: u64,
	pub(crate) m: Vec<Tensor>,
	pub(crate) v: Vec<Tensor>,
}

const BETA1: f64 = 0.9;
const BETA2: f64 = 0.999;
const EPSILON: f64 = 1e-8;

impl AdamW {
	pub(crate) fn new(vars: &[&Var], lr: f64, weight_decay: f64) -> candle_core::Result<Self> {
		let zeros = || vars.iter().map(|v| v.zeros_like()).collect::<candle_core::Result<Vec<_>>>();
		Ok(Self { lr, weight_decay, step: 0, m: zeros()?, v: zeros()? })
	}

	pub(crate) fn update(&mut self, vars: &[&Var], grads: &GradStore) -> candle_core::Result<()> {
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
