//! The provenance of a trained adapter, what a model version registers on-chain
//! (`pallet-model-registry`'s `Version`): blake2-256 of the base model's file and of the
//! adapter's weights, the Merkle root and count of the contributions it was trained on, the
//! blake2-256 of its training configuration, and its evaluation scores.
//!
//! The Merkle tree is `binary-merkle-tree`'s with blake2-256 (the runtime's hasher), over the
//! SCALE encoding of the contribution ids in ascending order, so the chain can check a proof that a
//! contribution is in the training set.

use crate::{
	error::{Error, Result},
	lora::adapter::WEIGHTS_FILE,
	training::evaluate::Evaluation,
	training::train::TrainConfig,
};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The manifest file written next to the adapter.
pub use crate::lora::adapter::MANIFEST_FILE;

pub use crate::hash::blake2_256;

/// blake2-256 as a `hash_db` hasher (the runtime's `BlakeTwo256`), for the Merkle tree.
struct Blake2Hasher;

impl hash_db::Hasher for Blake2Hasher {
	type Out = [u8; 32];
	type StdHasher = hash256_std_hasher::Hash256StdHasher;
	const LENGTH: usize = 32;

	fn hash(data: &[u8]) -> [u8; 32] {
		blake2_256(data)
	}
}

/// blake2-256 of a file's bytes; for a checkpoint directory, of its `*.safetensors` files'
/// bytes in name order.
pub fn hash_file(path: &Path) -> Result<[u8; 32]> {
	let read = |p: &Path| {
		std::fs::read(p).map_err(|e| Error::Model(format!("hashing {}: {e}", p.display())))
	};
	if !path.is_dir() {
		return Ok(blake2_256(&read(path)?));
	}
	let mut files: Vec<_> = std::fs::read_dir(path)
		.map_err(|e| Error::Model(format!("hashing {}: {e}", path.display())))?
		.filter_map(|e| e.ok().map(|e| e.path()))
		.filter(|p| p.extension().is_some_and(|x| x == "safetensors"))
		.collect();
	files.sort();
	let mut all = Vec::new();
	for f in files {
		all.extend(read(&f)?);
	}
	Ok(blake2_256(&all))
}

/// The Merkle root of a training set: leaves are the SCALE-encoded ids (u64 little-endian) in
/// ascending order, duplicates removed; the empty set has the zero root.
pub fn training_data_root(ids: &[u64]) -> [u8; 32] {
	let mut ids = ids.to_vec();
	ids.sort_unstable();
	ids.dedup();
	binary_merkle_tree::merkle_root::<Blake2Hasher, _>(ids.iter().map(|id| id.to_le_bytes()))
}

fn hex(bytes: &[u8; 32]) -> String {
	let mut s = String::from("0x");
	for b in bytes {
		s.push_str(&format!("{b:02x}"));
	}
	s
}

/// An evaluation score as the chain stores it: a name and a value in millionths.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalScore {
	pub metric: String,
	pub value_micros: u64,
}

/// Where an adapter came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
	pub format: u32,
	/// The registered model this adapter is a version of, when the job trained one.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub model: Option<u32>,
	pub base_model: String,
	pub base_model_hash: String,
	/// blake2-256 of the tokenizer the version's token counts are made with (see
	/// [`crate::model::tokenizer::tokenizer_hash`]).
	#[serde(default)]
	pub tokenizer_hash: String,
	pub adapter_hash: String,
	pub training_data_root: String,
	pub training_data_count: u32,
	/// The contributions trained on, ascending.
	pub contributions: Vec<u64>,
	/// The Datanets they were read from.
	pub datanets: Vec<u32>,
	/// Who contributed each one (SS58), where the job knew: what attribution reports.
	#[serde(default)]
	pub contributors: std::collections::BTreeMap<u64, String>,
	pub config: TrainConfig,
	pub config_hash: String,
	pub epoch_losses: Vec<f64>,
	pub evaluation: Option<Evaluation>,
	/// The scores registered on-chain (loss and perplexity ×10⁶; ROUGE-L and BLEU in millionths).
	pub eval_scores: Vec<EvalScore>,
}

impl Manifest {
	/// Builds the manifest of the adapter written in `adapter_dir`.
	#[allow(clippy::too_many_arguments)]
	pub fn new(
		base_model: &Path,
		tokenizer_hash: [u8; 32],
		adapter_dir: &Path,
		contributions: &[u64],
		datanets: &[u32],
		config: &TrainConfig,
		epoch_losses: Vec<f64>,
		evaluation: Option<Evaluation>,
	) -> Result<Self> {
		let mut ids = contributions.to_vec();
		ids.sort_unstable();
		ids.dedup();
		let config_json = serde_json::to_vec(config).map_err(|e| Error::Model(e.to_string()))?;
		let micros = |v: f64| (v.max(0.0) * 1e6).round() as u64;
		let eval_scores = evaluation
			.as_ref()
			.map(|e| {
				[
					("loss", e.tuned.loss),
					("perplexity", e.tuned.perplexity),
					("rouge_l", e.tuned.rouge_l),
					("bleu", e.tuned.bleu),
				]
				.into_iter()
				.map(|(metric, v)| EvalScore { metric: metric.into(), value_micros: micros(v) })
				.collect()
			})
			.unwrap_or_default();
		Ok(Self {
			format: 1,
			model: None,
			base_model: base_model
				.file_name()
				.and_then(|n| n.to_str())
				.unwrap_or_default()
				.to_string(),
			base_model_hash: hex(&hash_file(base_model)?),
			tokenizer_hash: hex(&tokenizer_hash),
			adapter_hash: hex(&hash_file(&adapter_dir.join(WEIGHTS_FILE))?),
			training_data_root: hex(&training_data_root(&ids)),
			training_data_count: ids.len() as u32,
			contributions: ids,
			datanets: datanets.to_vec(),
			contributors: Default::default(),
			config: config.clone(),
			config_hash: hex(&blake2_256(&config_json)),
			epoch_losses,
			evaluation,
			eval_scores,
		})
	}

	pub fn write(&self, adapter_dir: &Path) -> Result<()> {
		let json = serde_json::to_string_pretty(self).map_err(|e| Error::Model(e.to_string()))?;
		std::fs::write(adapter_dir.join(MANIFEST_FILE), json)
			.map_err(|e| Error::Model(format!("writing {MANIFEST_FILE}: {e}")))
	}

	pub fn read(adapter_dir: &Path) -> Result<Self> {
		let json = std::fs::read_to_string(adapter_dir.join(MANIFEST_FILE)).map_err(|e| {
			Error::Request(format!("{}: {e}", adapter_dir.join(MANIFEST_FILE).display()))
		})?;
		serde_json::from_str(&json).map_err(|e| Error::Request(format!("{MANIFEST_FILE}: {e}")))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_training_root_ignores_order_and_duplicates_and_matches_the_runtime_tree() {
		let a = training_data_root(&[3, 1, 2]);
		assert_eq!(a, training_data_root(&[1, 2, 3, 3]));
		assert_ne!(a, training_data_root(&[1, 2]));
		assert_eq!(training_data_root(&[]), [0u8; 32]);
		// One leaf: the root is the leaf's hash.
		assert_eq!(training_data_root(&[7]), blake2_256(&7u64.to_le_bytes()));
		// Two leaves: the hash of both leaf hashes.
		let (l, r) = (blake2_256(&1u64.to_le_bytes()), blake2_256(&2u64.to_le_bytes()));
		assert_eq!(training_data_root(&[2, 1]), blake2_256(&[l, r].concat()));
	}
}
