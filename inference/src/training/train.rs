//! LoRA fine-tuning, ModelFactory's core: the base stays frozen and dense (candle's quantized
//! matmuls have no backward pass), only the adapters' `A` and `B` are trained, with the
//! supervised next-token loss on the completion tokens of prompt/completion pairs (OpenLedger whitepaper §2.3.2, eq. 5),
//! through candle's autograd.
//!
//! The training forward pass is written with candle tensor ops so that it can be differentiated;
//! it computes exactly what the serving engine computes (a test holds the two to the same logits),
//! and a trained adapter is written in the PEFT layout the engine loads. Training is deterministic
//! for a seed: initialization and the order of examples in every epoch come from it, so resuming
//! from a checkpoint gives the same adapter as an uninterrupted run.

use crate::{
	error::{model_err, Error, Result},
	lora::params::{LoraConfig, LoraParams},
	model::{
		llama::Llama,
		trainable::{Example, Trainable},
	},
	rng::SplitMix64,
	training::{
		checkpoint::{load_checkpoint, save_checkpoint, CheckpointState},
		optimizer::AdamW,
	},
};
use candle_core::Tensor;
use serde::{Deserialize, Serialize};
use std::{
	path::Path,
	time::{Duration, Instant},
};

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
		if self.lora.rank == 0 || self.lora.rank > crate::lora::adapter::MAX_RANK {
			return refuse(format!(
				"rank {} is outside 1..={}",
				self.lora.rank,
				crate::lora::adapter::MAX_RANK
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
