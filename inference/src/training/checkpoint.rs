//! Training checkpoints: where training stands, the optimizer's moments and the LoRA variables,
//! so that a resumed run continues exactly.

use crate::{
	error::{model_err, Error, Result},
	lora::params::LoraParams,
	training::{optimizer::AdamW, train::TrainConfig},
};
use candle_core::Device;
use serde::{Deserialize, Serialize};
use std::{collections::HashMap, path::Path};

/// Where training stands, as saved in a checkpoint.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct CheckpointState {
	pub(crate) config: TrainConfig,
	/// Epochs completed.
	pub(crate) epochs_done: usize,
	pub(crate) steps: usize,
	pub(crate) adam_step: u64,
	pub(crate) epoch_losses: Vec<f64>,
}

const STATE_FILE: &str = "trainer_state.json";
const TENSORS_FILE: &str = "trainer_tensors.safetensors";

pub(crate) fn save_checkpoint(
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

pub(crate) fn load_checkpoint(
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
