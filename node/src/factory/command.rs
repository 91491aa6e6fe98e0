//! `openledger-node model …`: ModelFactory from the command line.
//!
//! - `model train`: fine-tunes a LoRA adapter on contributions (JSON lines: `{"id", "prompt",
//!   "completion", "contributor"?, "datanet"?}`), evaluates it on a held-out file, stores the
//!   per-example gradients attribution needs and writes the provenance manifest; the output
//!   directory is a servable adapter.
//! - `model explain`: the training contributions behind an output of such an adapter (DataInf).

use crate::factory::contributions::{example_tokens, examples_from, Contributors};
use openledger_inference::{
	attribution::explainer::Explainer,
	lora::params::LoraConfig,
	model::{
		default_model,
		llama::Precision,
		loader::{self, LoadedModel},
		trainable::Example,
	},
	training::{
		job::{self, Job},
		train::{Progress, TrainConfig},
	},
};
use std::{io::BufRead, path::PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum ModelCmd {
	/// Fine-tune a LoRA adapter on contributions and write it with its provenance.
	Train(TrainCmd),
	/// Show the training contributions behind an output of an adapter.
	Explain(ExplainCmd),
}

#[derive(Debug, clap::Args)]
pub struct TrainCmd {
	/// Contributions to train on: JSON lines `{"id", "prompt", "completion", "contributor"?,
	/// "datanet"?}`.
	#[arg(long, value_name = "FILE")]
	pub data: PathBuf,
	/// Held-out contributions for the evaluation (same format).
	#[arg(long, value_name = "FILE")]
	pub held_out: Option<PathBuf>,
	/// The adapter directory to write (its name is the adapter's name when served).
	#[arg(long, value_name = "DIR")]
	pub out: PathBuf,
	/// The base model (default: the node's default model).
	#[arg(long, value_name = "PATH")]
	pub base: Option<PathBuf>,
	/// The Datanets this model is approved to read: a contribution from any other is refused.
	#[arg(long = "datanet", value_name = "ID")]
	pub datanets: Vec<u32>,
	#[arg(long, default_value_t = 8)]
	pub rank: usize,
	#[arg(long, default_value_t = 16.0)]
	pub alpha: f32,
	/// Target modules, comma-separated.
	#[arg(long, default_value = "q_proj,v_proj", value_delimiter = ',')]
	pub targets: Vec<String>,
	#[arg(long, default_value_t = 2e-3)]
	pub learning_rate: f64,
	#[arg(long, default_value_t = 3)]
	pub epochs: usize,
	#[arg(long, default_value_t = 8)]
	pub batch_size: usize,
	#[arg(long, default_value_t = 0.0)]
	pub weight_decay: f64,
	#[arg(long, default_value_t = 0)]
	pub seed: u64,
	#[arg(long, default_value_t = 512)]
	pub max_tokens: usize,
	/// Compress the stored gradients to this many values per LoRA block (0 = exact).
	#[arg(long, default_value_t = 0)]
	pub sketch: usize,
	/// Use prompts and completions as they are, without the chat template.
	#[arg(long)]
	pub raw: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainCmd {
	/// The adapter directory (written by `model train`).
	#[arg(long, value_name = "DIR")]
	pub adapter: PathBuf,
	#[arg(long)]
	pub prompt: String,
	/// The output to explain.
	#[arg(long)]
	pub output: String,
	#[arg(long, default_value_t = 10)]
	pub top_k: usize,
	#[arg(long, value_name = "PATH")]
	pub base: Option<PathBuf>,
	#[arg(long)]
	pub raw: bool,
}

fn read_examples(
	path: &PathBuf,
	model: &LoadedModel,
	approved: &[u32],
	raw: bool,
) -> Result<(Vec<Example>, Contributors, Vec<u32>), String> {
	let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
	let mut lines = Vec::new();
	for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
		let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
		if line.trim().is_empty() {
			continue;
		}
		lines.push(
			serde_json::from_str(&line)
				.map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?,
		);
	}
	examples_from(lines, model, approved, raw).map_err(|e| format!("{}: {e}", path.display()))
}

impl TrainCmd {
	pub fn run(&self) -> Result<(), String> {
		let base = self.base.clone().unwrap_or_else(default_model::default_model_path);
		let model = loader::load(&base, Precision::Native).map_err(|e| e.to_string())?;
		let (train, contributors, mut datanets) =
			read_examples(&self.data, &model, &self.datanets, self.raw)?;
		let held_out = match &self.held_out {
			Some(p) => read_examples(p, &model, &self.datanets, self.raw)?.0,
			None => Vec::new(),
		};
		if datanets.is_empty() {
			datanets = self.datanets.clone();
		}
		let job = Job {
			model: None,
			base,
			train,
			held_out,
			datanets,
			contributors,
			config: TrainConfig {
				lora: LoraConfig {
					rank: self.rank,
					alpha: self.alpha,
					targets: self.targets.clone(),
				},
				learning_rate: self.learning_rate,
				epochs: self.epochs,
				batch_size: self.batch_size,
				weight_decay: self.weight_decay,
				seed: self.seed,
				max_tokens: self.max_tokens,
			},
			sketch: (self.sketch > 0).then_some(self.sketch),
			out: self.out.clone(),
		};
		println!("training on {} contributions, {} held out", job.train.len(), job.held_out.len());
		let mut report = |p: &Progress| {
			println!(
				"epoch {} step {}/{}  loss {:.4}  {:.0} tokens/s  ETA {:.0} s",
				p.epoch + 1,
				p.step,
				p.total_steps,
				p.loss,
				p.tokens_per_second,
				p.eta.as_secs_f64()
			);
		};
		let manifest = job::run(&job, &mut report).map_err(|e| e.to_string())?;
		if let Some(e) = &manifest.evaluation {
			println!(
				"\n{:>10} {:>10} {:>12} {:>10} {:>8}",
				"", "loss", "perplexity", "ROUGE-L", "BLEU"
			);
			for (name, s) in [("base", &e.base), ("adapter", &e.tuned)] {
				println!(
					"{name:>10} {:>10.4} {:>12.3} {:>10.3} {:>8.3}",
					s.loss, s.perplexity, s.rouge_l, s.bleu
				);
			}
			if let Some(peak) = e.peak_memory_bytes {
				println!("peak memory {:.0} MiB", peak as f64 / (1 << 20) as f64);
			}
		}
		println!(
			"\nadapter {} ({} contributions, root {})\nadapter hash {}\nbase hash {}\nconfig hash {}",
			self.out.display(),
			manifest.training_data_count,
			manifest.training_data_root,
			manifest.adapter_hash,
			manifest.base_model_hash,
			manifest.config_hash
		);
		Ok(())
	}
}

impl ExplainCmd {
	pub fn run(&self) -> Result<(), String> {
		let base = self.base.clone().unwrap_or_else(default_model::default_model_path);
		let model = loader::load(&base, Precision::Native).map_err(|e| e.to_string())?;
		let name = self
			.adapter
			.file_name()
			.and_then(|n| n.to_str())
			.ok_or_else(|| format!("{} is not an adapter directory", self.adapter.display()))?;
		let root = self.adapter.parent().map(PathBuf::from).unwrap_or_default();
		let (prompt, output) = example_tokens(&model, &self.prompt, &self.output, self.raw)?;
		let explainer = Explainer::new(model.model.clone(), root);
		let a = explainer.explain(name, &prompt, &output, self.top_k).map_err(|e| e.to_string())?;
		println!(
			"{} training contributions scored, {} with positive influence",
			a.scored, a.positive
		);
		println!("{:>12} {:>14} {:>8}  contributor", "contribution", "influence", "weight");
		for c in &a.contributions {
			println!(
				"{:>12} {:>14.4} {:>7.1}%  {}",
				c.id,
				c.influence,
				c.weight * 100.0,
				c.contributor.as_deref().unwrap_or("-")
			);
		}
		Ok(())
	}
}
