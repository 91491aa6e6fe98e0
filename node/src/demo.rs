//! The development chain's demo, made whole when a `--dev` node starts: the genesis has the demo
//! Datanet, model and worker (runtime `genesis_config_presets::DEMO_QA`); the node adds what the
//! chain only points at — the contributions' content in its content store, and the demo model's
//! adapter (trained off-line on exactly those contributions, shipped in `chain-spec/demo/`) in
//! its adapter directory — so that the model answers, is paid for and is attributed from the
//! first block.

use crate::content_store;
use openledger_runtime::genesis_config_presets::{demo_contributions, DEMO_ADAPTER};
use sp_core::offchain::OffchainStorage;
use std::path::Path;

/// The id of the chain that carries the demo.
pub const DEV_CHAIN_ID: &str = "openledger_dev";

/// The demo adapter's files.
const ADAPTER_FILES: [(&str, &[u8]); 5] = [
	(
		"adapter_config.json",
		include_bytes!("../../chain-spec/demo/openledger-qa/adapter_config.json"),
	),
	(
		"adapter_model.safetensors",
		include_bytes!("../../chain-spec/demo/openledger-qa/adapter_model.safetensors"),
	),
	(
		"influence_gradients.json",
		include_bytes!("../../chain-spec/demo/openledger-qa/influence_gradients.json"),
	),
	(
		"influence_gradients.safetensors",
		include_bytes!("../../chain-spec/demo/openledger-qa/influence_gradients.safetensors"),
	),
	(
		"openledger_manifest.json",
		include_bytes!("../../chain-spec/demo/openledger-qa/openledger_manifest.json"),
	),
];

/// Writes the demo adapter into `adapters` unless an adapter of that name is there; returns
/// whether it wrote it. Written aside and renamed into place, so that a half-written adapter is
/// never served.
pub fn install_adapter(adapters: &Path) -> std::io::Result<bool> {
	let target = adapters.join(DEMO_ADAPTER);
	if target.exists() {
		return Ok(false);
	}
	let staging = adapters.join(format!(".{DEMO_ADAPTER}.partial"));
	let _ = std::fs::remove_dir_all(&staging);
	std::fs::create_dir_all(&staging)?;
	for (name, bytes) in ADAPTER_FILES {
		std::fs::write(staging.join(name), bytes)?;
	}
	std::fs::rename(&staging, &target)?;
	Ok(true)
}

/// Puts the demo contributions' content in the content store.
pub fn seed_content<S: OffchainStorage>(storage: &mut S) {
	for (_, content) in demo_contributions() {
		content_store::store(storage, &content);
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use openledger_inference::training::manifest::{hash_file, Manifest};

	#[test]
	fn the_shipped_adapter_is_the_one_the_genesis_registers() {
		let dir = std::env::temp_dir().join(format!("demo-adapter-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).unwrap();
		assert!(install_adapter(&dir).unwrap());
		assert!(!install_adapter(&dir).unwrap(), "an installed adapter is left alone");
		let adapter = dir.join(DEMO_ADAPTER);
		let manifest = Manifest::read(&adapter).unwrap();
		let weights = hash_file(&adapter.join("adapter_model.safetensors")).unwrap();
		assert_eq!(manifest.adapter_hash, format!("{:?}", sp_core::H256(weights)));
		// Trained on exactly the genesis contributions 0..6, by their genesis contributors.
		let contributions = demo_contributions();
		assert_eq!(manifest.contributions, (0..contributions.len() as u64).collect::<Vec<_>>());
		for (id, (who, _)) in contributions.iter().enumerate() {
			use sp_core::crypto::Ss58Codec;
			assert_eq!(manifest.contributors.get(&(id as u64)), Some(&who.to_ss58check()));
		}
		let _ = std::fs::remove_dir_all(&dir);
	}

	/// The genesis version's token counts are the default model's: its tokenizer hash is in the
	/// manifest the genesis registers (skipped where the model is not installed).
	#[test]
	fn the_demo_version_counts_tokens_with_the_default_model_tokenizer() {
		use openledger_inference::model::{default_model, llama::Precision, loader};
		let path = default_model::default_model_path();
		if !path.exists() {
			eprintln!("skipped: {} is not installed", path.display());
			return;
		}
		let loaded = loader::load(&path, Precision::Q8).unwrap();
		let (_, bytes) =
			ADAPTER_FILES.iter().find(|(name, _)| *name == "openledger_manifest.json").unwrap();
		let manifest: Manifest = serde_json::from_slice(bytes).unwrap();
		assert_eq!(manifest.tokenizer_hash, format!("{:?}", sp_core::H256(loaded.tokenizer_hash)));
	}
}
