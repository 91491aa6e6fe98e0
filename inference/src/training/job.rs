//! A ModelFactory job, end to end: fine-tune an adapter on contributions, write it in the PEFT
//! layout, evaluate it on a held-out split, compute and store the per-example gradients that
//! attribution needs, and write the provenance manifest that registers it on-chain.
//!
//! The output directory is a servable adapter (drop it under the node's adapter directory):
//! `adapter_config.json`, `adapter_model.safetensors`, `openledger_manifest.json`,
//! `influence_gradients.{json,safetensors}`, and `checkpoint/` while training.

use crate::{
	attribution::datainf::GradientStore,
	error::{Error, Result},
	lora::adapter::save_peft,
	model::llama::Precision,
	model::loader,
	model::trainable::Example,
	model::trainable::Trainable,
	training::evaluate::evaluate,
	training::manifest::Manifest,
	training::train::train,
	training::train::Progress,
	training::train::TrainConfig,
};
use std::path::{Path, PathBuf};

/// What to train, on what, and where to put it.
pub struct Job {
	/// The registered model it trains a version of, if any (recorded in the manifest).
	pub model: Option<u32>,
	/// The base model (`.gguf` or checkpoint directory).
	pub base: PathBuf,
	/// Training contributions (their ids are the contribution ids).
	pub train: Vec<Example>,
	/// Held-out contributions for the evaluation.
	pub held_out: Vec<Example>,
	/// The Datanets the contributions were read from.
	pub datanets: Vec<u32>,
	/// Contributor accounts by contribution id, recorded in the manifest.
	pub contributors: Vec<(u64, String)>,
	pub config: TrainConfig,
	/// CountSketch size per LoRA block for the stored gradients (`None` = exact).
	pub sketch: Option<usize>,
	pub out: PathBuf,
}

/// The checkpoint sub-directory.
pub const CHECKPOINT_DIR: &str = "checkpoint";

/// Runs the job; resumes from `out/checkpoint` when one is there.
pub fn run(job: &Job, progress: &mut dyn FnMut(&Progress)) -> Result<Manifest> {
	if job.train.is_empty() {
		return Err(Error::Request("no training contributions".into()));
	}
	let ids: Vec<u64> = job.train.iter().map(|e| e.id).collect();
	let mut unique = ids.clone();
	unique.sort_unstable();
	unique.dedup();
	if unique.len() != ids.len() {
		return Err(Error::Request("a contribution appears twice in the training set".into()));
	}
	if job.held_out.iter().any(|e| unique.binary_search(&e.id).is_ok()) {
		return Err(Error::Request("a held-out contribution is also in the training set".into()));
	}
	let loaded = loader::load(&job.base, Precision::F32)?;
	let checkpoints = job.out.join(CHECKPOINT_DIR);
	let resume = checkpoints.join("trainer_state.json").is_file().then_some(checkpoints.as_path());
	let trained =
		train(&loaded.model, &job.train, &job.config, Some(&checkpoints), resume, progress)?;
	let (peft, weights) = trained.lora.to_peft(&loaded.model.config, &job.config.lora)?;
	save_peft(&job.out, &peft, &weights)?;
	let evaluation = if job.held_out.is_empty() {
		None
	} else {
		Some(evaluate(
			&loaded.model,
			&loaded.tokenizer,
			&loaded.eos,
			&trained.lora,
			&job.out,
			&job.held_out,
		)?)
	};
	let trainable = Trainable::new(&loaded.model)?;
	let store = GradientStore::build(
		&trainable,
		&trained.lora,
		&job.train,
		job.sketch.map(|k| (k, job.config.seed)),
	)?;
	store.save(&job.out)?;
	let mut manifest = Manifest::new(
		&job.base,
		loaded.tokenizer_hash,
		&job.out,
		&ids,
		&job.datanets,
		&job.config,
		trained.epoch_losses,
		evaluation,
	)?;
	manifest.model = job.model;
	manifest.contributors = job.contributors.iter().cloned().collect();
	manifest.write(&job.out)?;
	remove_checkpoint(&job.out);
	Ok(manifest)
}

fn remove_checkpoint(out: &Path) {
	let _ = std::fs::remove_dir_all(out.join(CHECKPOINT_DIR));
}
