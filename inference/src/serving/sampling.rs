//! Choosing the next token: greedy, temperature, top-k, top-p, reproducible with a seed.

use crate::error::{Error, Result};
pub use crate::rng::SplitMix64;
use serde::{Deserialize, Serialize};

/// How a request wants its tokens chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SamplingParams {
	/// 0 picks the most likely token (greedy); higher flattens the distribution.
	pub temperature: f32,
	/// Keep the smallest set of tokens whose probability reaches `top_p` (1 = all).
	pub top_p: f32,
	/// Keep the `top_k` most likely tokens (0 = all).
	pub top_k: usize,
	/// Seed of the request's random stream: the same seed gives the same answer.
	pub seed: Option<u64>,
	/// Most tokens to generate.
	pub max_tokens: usize,
	/// Generation stops before any of these strings; they are not part of the answer.
	pub stop: Vec<String>,
	/// Keep generating past the end-of-sequence token (benchmarks: fixed-length answers).
	pub ignore_eos: bool,
}

impl Default for SamplingParams {
	fn default() -> Self {
		Self {
			temperature: 0.0,
			top_p: 1.0,
			top_k: 0,
			seed: None,
			max_tokens: 128,
			stop: vec![],
			ignore_eos: false,
		}
	}
}

/// Most stop sequences a request may give, and their longest length.
pub const MAX_STOP_SEQUENCES: usize = 8;
pub const MAX_STOP_LEN: usize = 256;

impl SamplingParams {
	/// Refuses values no sampler can honour.
	pub fn validate(&self) -> Result<()> {
		let refuse = |why: String| Err(Error::Request(why));
		if !(self.temperature.is_finite() && (0.0..=100.0).contains(&self.temperature)) {
			return refuse(format!("temperature {} is outside 0..=100", self.temperature));
		}
		if !(self.top_p.is_finite() && self.top_p > 0.0 && self.top_p <= 1.0) {
			return refuse(format!("top_p {} is outside (0, 1]", self.top_p));
		}
		if self.max_tokens == 0 {
			return refuse("max_tokens must be at least 1".into());
		}
		if self.stop.len() > MAX_STOP_SEQUENCES {
			return refuse(format!("at most {MAX_STOP_SEQUENCES} stop sequences"));
		}
		if self.stop.iter().any(|s| s.is_empty() || s.len() > MAX_STOP_LEN) {
			return refuse(format!("stop sequences must be 1..={MAX_STOP_LEN} bytes"));
		}
		Ok(())
	}
}

/// A request's sampler: its parameters and its random stream.
#[derive(Clone, Debug)]
pub struct Sampler {
	params: SamplingParams,
	rng: SplitMix64,
}

impl Sampler {
	pub fn new(params: SamplingParams, fallback_seed: u64) -> Self {
		let seed = params.seed.unwrap_or(fallback_seed);
		Self { params, rng: SplitMix64::new(seed) }
	}

	pub fn params(&self) -> &SamplingParams {
		&self.params
	}

	/// Picks the next token from `logits`.
	pub fn sample(&mut self, logits: &[f32]) -> u32 {
		let argmax = || {
			logits
				.iter()
				.enumerate()
				.fold(
					(0, f32::NEG_INFINITY),
					|best, (i, &l)| if l > best.1 { (i, l) } else { best },
				)
				.0 as u32
		};
		if self.params.temperature == 0.0 || self.params.top_k == 1 {
			return argmax();
		}
		let mut candidates: Vec<(u32, f32)> = logits
			.iter()
			.enumerate()
			.filter(|(_, l)| l.is_finite())
			.map(|(i, &l)| (i as u32, l / self.params.temperature))
			.collect();
		if candidates.is_empty() {
			return argmax();
		}
		candidates.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
		if self.params.top_k > 0 {
			candidates.truncate(self.params.top_k);
		}
		let max = candidates[0].1;
		let mut total = 0.0;
		for c in candidates.iter_mut() {
			c.1 = (c.1 - max).exp();
			total += c.1;
		}
		// Nucleus: the shortest prefix (by probability) whose mass reaches top_p.
		if self.params.top_p < 1.0 {
			let mut mass = 0.0;
			let mut keep = candidates.len();
			for (i, c) in candidates.iter().enumerate() {
				mass += c.1 / total;
				if mass >= self.params.top_p {
					keep = i + 1;
					break;
				}
			}
			candidates.truncate(keep);
			total = candidates.iter().map(|c| c.1).sum();
		}
		let mut draw = self.rng.next_f32() * total;
		for c in &candidates {
			draw -= c.1;
			if draw <= 0.0 {
				return c.0;
			}
		}
		candidates.last().map_or(0, |c| c.0)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn params(temperature: f32, top_k: usize, top_p: f32, seed: u64) -> SamplingParams {
		SamplingParams { temperature, top_k, top_p, seed: Some(seed), ..Default::default() }
	}

	#[test]
	fn greedy_takes_the_argmax() {
		let mut s = Sampler::new(SamplingParams::default(), 0);
		assert_eq!(s.sample(&[0.1, 3.0, -1.0, 2.9]), 1);
	}

	#[test]
	fn top_k_one_is_greedy_at_any_temperature() {
		let mut s = Sampler::new(params(5.0, 1, 1.0, 7), 0);
		for _ in 0..20 {
			assert_eq!(s.sample(&[0.1, 3.0, -1.0, 2.9]), 1);
		}
	}

	#[test]
	fn same_seed_same_tokens_and_top_k_bounds_the_choice() {
		let logits: Vec<f32> = (0..50).map(|i| (i as f32 * 0.37).sin()).collect();
		let draw = |seed| {
			let mut s = Sampler::new(params(1.5, 5, 1.0, seed), 0);
			(0..64).map(|_| s.sample(&logits)).collect::<Vec<_>>()
		};
		assert_eq!(draw(11), draw(11));
		assert_ne!(draw(11), draw(12));
		let mut top5: Vec<u32> = (0..50).collect();
		top5.sort_by(|a, b| logits[*b as usize].total_cmp(&logits[*a as usize]));
		top5.truncate(5);
		assert!(draw(11).iter().all(|t| top5.contains(t)));
	}

	#[test]
	fn top_p_keeps_only_the_nucleus() {
		// Token 0 has ~88% of the mass: top_p 0.5 must always pick it.
		let logits = [4.0, 1.0, 1.0, 0.5];
		let mut s = Sampler::new(params(1.0, 0, 0.5, 3), 0);
		assert!((0..100).all(|_| s.sample(&logits) == 0));
		// With top_p 1, the others appear.
		let mut s = Sampler::new(params(1.0, 0, 1.0, 3), 0);
		assert!((0..200).any(|_| s.sample(&logits) != 0));
	}

	#[test]
	fn bad_parameters_are_refused() {
		let bad = [
			SamplingParams { temperature: -1.0, ..Default::default() },
			SamplingParams { top_p: 0.0, ..Default::default() },
			SamplingParams { max_tokens: 0, ..Default::default() },
			SamplingParams { stop: vec![String::new()], ..Default::default() },
		];
		for p in bad {
			assert!(matches!(p.validate(), Err(Error::Request(_))), "{p:?}");
		}
	}
}
