//! A registered model's training set, read from the chain: the model's approved Datanets
//! (`ModelRegistryApi`), their accepted contributions with their contributors (`DatanetsApi`),
//! and the data behind each one from the node's content store. What a ModelFactory job trains on
//! is thus exactly what the chain says the model may read, not what a caller hands it.
//!
//! A contribution's content is a JSON object holding a prompt/completion pair: `{"prompt",
//! "completion"}` or `{"input", "output"}`.

use crate::{content_store, factory::contributions::Line};
use openledger_runtime::{opaque::Block, AccountId, Runtime};
use pallet_datanets::{runtime_api::DatanetsApi, ContributionStatus};
use pallet_model_registry::{runtime_api::ModelRegistryApi, ModelStatus};
use serde_json::Value;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{crypto::Ss58Codec, offchain::OffchainStorage};
use std::sync::{Arc, Mutex};

/// The data a model version is trained on.
#[derive(Debug)]
pub struct TrainingSet {
	/// The base model the registry names.
	pub base_model: String,
	/// The Datanets the model is approved for.
	pub datanets: Vec<u32>,
	/// Every accepted contribution of those Datanets, in id order.
	pub contributions: Vec<Line>,
}

/// Where training sets come from.
pub trait TrainingSource: Send + Sync {
	/// The training set of `model` at the best block; refused unless the model is training or
	/// deployed (a new version) and this node holds the content of every contribution.
	fn training_set(&self, model: u32) -> Result<TrainingSet, String>;
}

/// Reads training sets from the node's own chain and content store.
pub struct ChainTrainingSource<C, S> {
	client: Arc<C>,
	storage: Mutex<S>,
}

impl<C, S> ChainTrainingSource<C, S> {
	pub fn new(client: Arc<C>, storage: S) -> Self {
		Self { client, storage: Mutex::new(storage) }
	}
}

/// Most contributions one runtime call lists.
const PAGE: u32 = pallet_datanets::runtime_api::MAX_PAGE;
/// How many problem contributions an error names before it summarizes.
const NAMED: usize = 10;

impl<C, S> TrainingSource for ChainTrainingSource<C, S>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ModelRegistryApi<
			Block,
			pallet_model_registry::ModelOf<Runtime>,
			pallet_model_registry::VersionOf<Runtime>,
			AccountId,
			pallet_model_registry::StakerInfoOf<Runtime>,
		> + DatanetsApi<
			Block,
			openledger_runtime::AccountId,
			pallet_datanets::DatanetOf<Runtime>,
			pallet_datanets::ContributionOf<Runtime>,
		>,
	S: OffchainStorage + 'static,
{
	fn training_set(&self, model: u32) -> Result<TrainingSet, String> {
		let at = self.client.info().best_hash;
		let api = self.client.runtime_api();
		let chain_error = |e: sp_api::ApiError| format!("reading the chain: {e}");
		let info = api
			.model(at, model)
			.map_err(chain_error)?
			.ok_or_else(|| format!("model {model} is not registered"))?;
		if !matches!(info.status, ModelStatus::Training | ModelStatus::Deployed) {
			return Err(format!(
				"model {model} is {:?}: it is trained once its data condition holds and \
				 `modelRegistry.startTraining` moved it to Training",
				info.status
			));
		}
		let datanets: Vec<u32> = info.datanets.iter().copied().collect();
		let (mut contributions, mut missing, mut malformed) = (Vec::new(), Vec::new(), Vec::new());
		let storage = self.storage.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		for &datanet in &datanets {
			let mut from = 0;
			loop {
				let page =
					api.datanet_contributions(at, datanet, from, PAGE).map_err(chain_error)?;
				let Some(last) = page.last().map(|(id, _)| *id) else { break };
				for (id, c) in page {
					if c.status != ContributionStatus::Accepted {
						continue;
					}
					let Some(content) = content_store::load(&*storage, &c.content_hash) else {
						missing.push(id);
						continue;
					};
					match training_pair(&content) {
						Ok((prompt, completion)) => contributions.push(Line {
							id,
							prompt,
							completion,
							contributor: Some(c.contributor.to_ss58check()),
							datanet: Some(datanet),
						}),
						Err(why) => malformed.push(format!("{id} ({why})")),
					}
				}
				match last.checked_add(1) {
					Some(next) => from = next,
					None => break,
				}
			}
		}
		if !missing.is_empty() {
			return Err(format!(
				"this node does not hold the content of {} accepted contribution(s): {}; \
				 upload it with `datanets_putContent`",
				missing.len(),
				named(missing.iter().map(u64::to_string))
			));
		}
		if !malformed.is_empty() {
			return Err(format!(
				"{} accepted contribution(s) are not prompt/completion pairs: {}",
				malformed.len(),
				named(malformed.into_iter())
			));
		}
		contributions.sort_by_key(|l| l.id);
		Ok(TrainingSet {
			base_model: String::from_utf8_lossy(&info.base_model).into_owned(),
			datanets,
			contributions,
		})
	}
}

fn named(items: impl ExactSizeIterator<Item = String>) -> String {
	let total = items.len();
	let mut list: Vec<String> = items.take(NAMED).collect();
	if total > NAMED {
		list.push(format!("and {} more", total - NAMED));
	}
	list.join(", ")
}

/// The prompt and completion in a contribution's content.
pub fn training_pair(content: &[u8]) -> Result<(String, String), String> {
	let value: Value =
		serde_json::from_slice(content).map_err(|e| format!("not a JSON object: {e}"))?;
	let field = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
	match (field("prompt"), field("completion"), field("input"), field("output")) {
		(Some(p), Some(c), _, _) | (_, _, Some(p), Some(c)) if !p.is_empty() && !c.is_empty() => {
			Ok((p, c))
		}
		_ => Err("needs non-empty `prompt` and `completion` (or `input` and `output`)".into()),
	}
}

/// Whether the registry's base-model name (e.g. `HuggingFaceTB/SmolLM2-135M-Instruct`) names the
/// model this node serves (e.g. `SmolLM2-135M-Instruct.Q4_1`): the same checkpoint, whatever its
/// publisher prefix or quantization suffix.
pub fn same_base(registered: &str, served: &str) -> bool {
	let short = |s: &str| s.rsplit('/').next().unwrap_or(s).trim().to_ascii_lowercase();
	let (registered, served) = (short(registered), short(served));
	let stem = |s: &str| s.split('.').next().unwrap_or("").to_owned();
	!registered.is_empty() && stem(&registered) == stem(&served)
}

/// Splits `lines` into (train, held out): `fraction` of them, at least one when the fraction is
/// positive and at least two lines exist, chosen by a hash of (seed, id) so that the split is the
/// same on every node and in every run.
pub fn split_held_out(lines: Vec<Line>, fraction: f64, seed: u64) -> (Vec<Line>, Vec<Line>) {
	if fraction <= 0.0 || lines.len() < 2 {
		return (lines, Vec::new());
	}
	let want = ((lines.len() as f64 * fraction.min(0.5)).round() as usize).max(1);
	let key =
		|id: u64| sp_io::hashing::blake2_256(&[seed.to_le_bytes(), id.to_le_bytes()].concat());
	// Hash first so that sorting orders by it; ids are unique, so ties never decide.
	let mut order: Vec<([u8; 32], u64)> = lines.iter().map(|l| (key(l.id), l.id)).collect();
	order.sort_unstable();
	let held: std::collections::BTreeSet<u64> =
		order.iter().take(want).map(|(_, id)| *id).collect();
	lines.into_iter().partition(|l| !held.contains(&l.id))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn line(id: u64) -> Line {
		Line { id, prompt: "p".into(), completion: "c".into(), contributor: None, datanet: None }
	}

	#[test]
	fn content_formats() {
		assert_eq!(
			training_pair(br#"{"prompt":"q","completion":"a","label":1}"#),
			Ok(("q".into(), "a".into()))
		);
		assert_eq!(training_pair(br#"{"input":"q","output":"a"}"#), Ok(("q".into(), "a".into())));
		assert!(training_pair(br#"{"text":"a triumph","label":"fresh"}"#).is_err());
		assert!(training_pair(br#"{"prompt":"","completion":"a"}"#).is_err());
		assert!(training_pair(b"not json").unwrap_err().contains("not a JSON object"));
	}

	#[test]
	fn base_names() {
		assert!(same_base("HuggingFaceTB/SmolLM2-135M-Instruct", "SmolLM2-135M-Instruct.Q4_1"));
		assert!(same_base("smollm2-135m-instruct", "SmolLM2-135M-Instruct"));
		assert!(!same_base("openledger/base", "SmolLM2-135M-Instruct.Q4_1"));
		assert!(!same_base("", "SmolLM2-135M-Instruct"));
	}

	#[test]
	fn held_out_split_is_deterministic_and_disjoint() {
		let lines = |n| (0..n).map(line).collect::<Vec<_>>();
		let (train, held) = split_held_out(lines(20), 0.25, 7);
		assert_eq!((train.len(), held.len()), (15, 5));
		assert!(held.iter().all(|h| train.iter().all(|t| t.id != h.id)));
		let (_, again) = split_held_out(lines(20), 0.25, 7);
		assert_eq!(
			held.iter().map(|l| l.id).collect::<Vec<_>>(),
			again.iter().map(|l| l.id).collect::<Vec<_>>()
		);
		let (_, other) = split_held_out(lines(20), 0.25, 8);
		assert_ne!(
			held.iter().map(|l| l.id).collect::<Vec<_>>(),
			other.iter().map(|l| l.id).collect::<Vec<_>>()
		);
		assert_eq!(split_held_out(lines(3), 0.1, 0).1.len(), 1);
		assert_eq!(split_held_out(lines(1), 0.5, 0).1.len(), 0);
		assert_eq!(split_held_out(lines(10), 0.0, 0).1.len(), 0);
	}
}
