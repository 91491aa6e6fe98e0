//! Adapters on disk, hot ones in memory: any number of PEFT adapter directories under one root,
//! loaded just in time when a request needs one, kept in an LRU cache bounded in bytes, and
//! evicted when cold. An adapter in use by a running request is never evicted; when the budget is
//! held entirely by adapters in use, a request for another one waits (admission control) instead
//! of failing.

use crate::{
	config::ModelConfig,
	error::{Error, Result},
	lora::adapter::{LoraAdapter, CONFIG_FILE},
};
use std::{
	collections::HashMap,
	path::{Path, PathBuf},
	sync::Arc,
	time::{Duration, Instant},
};

/// Longest adapter name.
pub const MAX_NAME_LEN: usize = 128;

/// Checks that `name` is a plain directory name: `[A-Za-z0-9._-]`, not starting with a dot.
pub fn check_name(name: &str) -> Result<()> {
	let ok = !name.is_empty()
		&& name.len() <= MAX_NAME_LEN
		&& !name.starts_with('.')
		&& name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
	if ok {
		Ok(())
	} else {
		Err(Error::Request(format!(
			"adapter name `{name}` must be 1..={MAX_NAME_LEN} characters of [A-Za-z0-9._-], not starting with a dot"
		)))
	}
}

/// Counters of the cache, for the engine's stats.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdapterStats {
	pub loads: u64,
	pub hits: u64,
	pub evictions: u64,
	pub load_failures: u64,
	/// Total time spent loading (disk → usable), for the mean cold-load latency.
	pub load_micros: u64,
	pub cached: usize,
	pub cached_bytes: usize,
	pub budget_bytes: usize,
}

struct Entry {
	adapter: Arc<LoraAdapter>,
	last_used: u64,
}

/// The adapter directory and the in-memory cache in front of it.
pub struct AdapterStore {
	root: PathBuf,
	budget: usize,
	entries: HashMap<String, Entry>,
	clock: u64,
	stats: AdapterStats,
}

impl AdapterStore {
	pub fn new(root: impl Into<PathBuf>, budget_bytes: usize) -> Self {
		Self {
			root: root.into(),
			budget: budget_bytes,
			entries: HashMap::new(),
			clock: 0,
			stats: AdapterStats { budget_bytes, ..Default::default() },
		}
	}

	pub fn root(&self) -> &Path {
		&self.root
	}

	/// The directory adapter `name` lives in.
	pub fn dir_of(&self, name: &str) -> PathBuf {
		self.root.join(name)
	}

	/// Whether adapter `name` exists (on disk or in memory).
	pub fn exists(&self, name: &str) -> bool {
		check_name(name).is_ok()
			&& (self.entries.contains_key(name) || self.dir_of(name).join(CONFIG_FILE).is_file())
	}

	/// Every adapter on disk, sorted.
	pub fn on_disk(&self) -> Vec<String> {
		let Ok(dir) = std::fs::read_dir(&self.root) else { return Vec::new() };
		let mut names: Vec<String> = dir
			.filter_map(|e| e.ok())
			.filter(|e| e.path().join(CONFIG_FILE).is_file())
			.filter_map(|e| e.file_name().into_string().ok())
			.filter(|n| check_name(n).is_ok())
			.collect();
		names.sort();
		names
	}

	/// Names of the adapters in memory.
	pub fn cached(&self) -> Vec<String> {
		let mut names: Vec<String> = self.entries.keys().cloned().collect();
		names.sort();
		names
	}

	pub fn stats(&self) -> AdapterStats {
		let mut s = self.stats.clone();
		s.cached = self.entries.len();
		s.cached_bytes = self.cached_bytes();
		s
	}

	fn cached_bytes(&self) -> usize {
		self.entries.values().map(|e| e.adapter.bytes()).sum()
	}

	/// The adapter, from memory or loaded from disk. `Err(Busy)` when it cannot fit in the
	/// budget until running requests release adapters; any other error is final for the request.
	pub fn get(&mut self, name: &str, config: &ModelConfig) -> Result<Arc<LoraAdapter>> {
		check_name(name)?;
		self.clock += 1;
		if let Some(entry) = self.entries.get_mut(name) {
			entry.last_used = self.clock;
			self.stats.hits += 1;
			return Ok(entry.adapter.clone());
		}
		let dir = self.dir_of(name);
		if !dir.join(CONFIG_FILE).is_file() {
			return Err(Error::Request(format!("unknown adapter `{name}`")));
		}
		let started = Instant::now();
		let adapter = LoraAdapter::load(name, &dir, config).inspect_err(|_| {
			self.stats.load_failures += 1;
		})?;
		self.stats.load_micros += started.elapsed().as_micros() as u64;
		self.stats.loads += 1;
		self.admit(adapter)
	}

	/// Puts a loaded adapter in the cache, evicting cold ones to make room.
	fn admit(&mut self, adapter: LoraAdapter) -> Result<Arc<LoraAdapter>> {
		let need = adapter.bytes();
		if need > self.budget {
			return Err(Error::Adapter(format!(
				"`{}` takes {need} bytes, more than the whole adapter cache ({} bytes)",
				adapter.name, self.budget
			)));
		}
		while self.cached_bytes() + need > self.budget {
			// The least recently used adapter that no request holds.
			let coldest = self
				.entries
				.iter()
				.filter(|(_, e)| Arc::strong_count(&e.adapter) == 1)
				.min_by_key(|(_, e)| e.last_used)
				.map(|(n, _)| n.clone());
			let Some(coldest) = coldest else {
				return Err(Error::Busy(format!(
					"the adapter cache ({} bytes) is held by adapters in use",
					self.budget
				)));
			};
			self.entries.remove(&coldest);
			self.stats.evictions += 1;
		}
		let adapter = Arc::new(adapter);
		self.entries.insert(
			adapter.name.clone(),
			Entry { adapter: adapter.clone(), last_used: self.clock },
		);
		Ok(adapter)
	}

	/// Loads `name` now (warming the cache); returns how long it took.
	pub fn load(&mut self, name: &str, config: &ModelConfig) -> Result<Duration> {
		let started = Instant::now();
		self.get(name, config)?;
		Ok(started.elapsed())
	}

	/// Drops `name` from memory (running requests keep their copy until they finish).
	pub fn unload(&mut self, name: &str) -> bool {
		self.entries.remove(name).is_some()
	}
}
