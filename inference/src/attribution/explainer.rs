//! Answering "which data made this answer" for a served adapter: the DataInf scores of its
//! training contributions for an output, from the gradients its ModelFactory job stored next to
//! it, with the contributors its manifest names. Only positive influence counts (OpenLedger whitepaper §2.2.4, step 2): the
//! weights are each positive score over their sum, as the fee split pays them.

use crate::{
	attribution::datainf::{example_gradient, GradientStore, GRADIENTS_INDEX},
	error::{Error, Result},
	lora::adapter::LoraAdapter,
	lora::adapter::MANIFEST_FILE,
	lora::params::LoraParams,
	lora::store::check_name,
	model::llama::Llama,
	model::trainable::Example,
	model::trainable::Trainable,
};
use serde::{Deserialize, Serialize};
use std::{
	collections::{BTreeMap, HashMap},
	path::PathBuf,
	sync::{Arc, Mutex, OnceLock},
};

/// One contribution behind an output.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contribution {
	pub id: u64,
	/// The contributor's account, when the adapter's manifest names it.
	pub contributor: Option<String>,
	/// DataInf score: positive = made this output more likely.
	pub influence: f64,
	/// Share among the positive scores (0–1): what the fee split pays it.
	pub weight: f64,
}

/// The contributions behind an output, strongest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attribution {
	pub adapter: String,
	pub method: &'static str,
	/// Tokens of the output that was attributed.
	pub output_tokens: usize,
	/// Training contributions scored, and how many had positive influence.
	pub scored: usize,
	pub positive: usize,
	pub contributions: Vec<Contribution>,
}

struct Attributable {
	lora: LoraParams,
	store: GradientStore,
	/// Who contributed each training example, as the adapter's manifest names them.
	contributors: BTreeMap<u64, String>,
}

/// Attributes outputs of adapters under `root` over `model`'s (dense) weights.
pub struct Explainer {
	model: Arc<Llama>,
	root: PathBuf,
	trainable: OnceLock<Trainable>,
	adapters: Mutex<HashMap<String, Arc<Attributable>>>,
}

/// Most adapters whose gradients are kept in memory.
const CACHED_ADAPTERS: usize = 8;

impl Explainer {
	pub fn new(model: Arc<Llama>, root: PathBuf) -> Self {
		Self { model, root, trainable: OnceLock::new(), adapters: Mutex::new(HashMap::new()) }
	}

	fn trainable(&self) -> Result<&Trainable> {
		if let Some(t) = self.trainable.get() {
			return Ok(t);
		}
		let t = Trainable::new(&self.model)?;
		Ok(self.trainable.get_or_init(|| t))
	}

	fn attributable(&self, name: &str) -> Result<Arc<Attributable>> {
		check_name(name)?;
		if let Some(a) = self.adapters.lock().ok().and_then(|m| m.get(name).cloned()) {
			return Ok(a);
		}
		let dir = self.root.join(name);
		if !dir.join(GRADIENTS_INDEX).is_file() {
			return Err(Error::Request(format!(
				"adapter `{name}` has no stored training gradients (train it with `openledger-node model train`)"
			)));
		}
		let adapter = LoraAdapter::load(name, &dir, &self.model.config)?;
		let lora = LoraParams::from_adapter(&self.model.config, &adapter)?;
		let store = GradientStore::load(&dir)?;
		let contributors = read_contributors(&dir)?;
		let entry = Arc::new(Attributable { lora, store, contributors });
		if let Ok(mut map) = self.adapters.lock() {
			if map.len() >= CACHED_ADAPTERS {
				map.clear();
			}
			map.insert(name.to_string(), entry.clone());
		}
		Ok(entry)
	}

	/// The top `top_k` contributions behind `output` (tokens) to `prompt` (tokens) under adapter
	/// `name`.
	pub fn explain(
		&self,
		name: &str,
		prompt: &[u32],
		output: &[u32],
		top_k: usize,
	) -> Result<Attribution> {
		if prompt.is_empty() || output.is_empty() {
			return Err(Error::Request("attribution needs a prompt and a non-empty output".into()));
		}
		let a = self.attributable(name)?;
		let trainable = self.trainable()?;
		let example = Example { id: 0, prompt: prompt.to_vec(), completion: output.to_vec() };
		trainable.check_example(&example, self.model.config.context)?;
		let v = example_gradient(trainable, &a.lora, &example, a.store.sketch)?;
		let scores = a.store.datainf(&v)?;
		let positive_total: f64 = scores.iter().filter(|s| **s > 0.0).sum();
		let mut ranked: Vec<(u64, f64)> =
			a.store.ids.iter().copied().zip(scores.iter().copied()).collect();
		ranked.sort_by(|x, y| y.1.total_cmp(&x.1));
		let contributions = ranked
			.iter()
			.filter(|(_, s)| *s > 0.0)
			.take(top_k)
			.map(|&(id, influence)| Contribution {
				id,
				contributor: a.contributors.get(&id).cloned(),
				influence,
				weight: influence / positive_total,
			})
			.collect();
		Ok(Attribution {
			adapter: name.to_string(),
			method: "datainf",
			output_tokens: output.len(),
			scored: scores.len(),
			positive: scores.iter().filter(|s| **s > 0.0).count(),
			contributions,
		})
	}
}

/// The contributors an adapter's manifest names (none without a manifest). Only this part of the
/// manifest is read: attribution needs who to pay, not how the adapter was trained.
fn read_contributors(dir: &std::path::Path) -> Result<BTreeMap<u64, String>> {
	#[derive(Deserialize)]
	struct Contributors {
		#[serde(default)]
		contributors: BTreeMap<u64, String>,
	}
	let path = dir.join(MANIFEST_FILE);
	if !path.is_file() {
		return Ok(BTreeMap::new());
	}
	let json = std::fs::read_to_string(&path)
		.map_err(|e| Error::Request(format!("{}: {e}", path.display())))?;
	serde_json::from_str::<Contributors>(&json)
		.map(|c| c.contributors)
		.map_err(|e| Error::Request(format!("{MANIFEST_FILE}: {e}")))
}
