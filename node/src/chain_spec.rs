//! Chain specifications: `dev` and `local` are built from the runtime's genesis presets;
//! `testnet` is the checked-in raw spec (its genesis is fixed once launched), and
//! `testnet-preset` rebuilds it from the runtime (see chain-spec/README.md).

use openledger_runtime::{
	genesis_config_presets::{DEV_PRESET, LOCAL_PRESET, TESTNET_PRESET},
	token::{TOKEN_DECIMALS, TOKEN_SYMBOL},
	SS58_PREFIX, WASM_BINARY,
};
use sc_service::ChainType;

/// The node's chain specification type (no client extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// The raw testnet specification as launched.
const TESTNET_RAW: &[u8] = include_bytes!("../../chain-spec/testnet-raw.json");

/// What wallets and polkadot.js read to show the token as OPEN with 18 decimals.
pub fn chain_properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
	protocol_id: &str,
) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| {
		"The runtime's WASM binary is not available: build without SKIP_WASM_BUILD".to_string()
	})?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_protocol_id(protocol_id)
		.with_properties(chain_properties())
		.build())
}

/// A single-validator development chain (Alice).
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"OpenLedger Development",
		"openledger_dev",
		ChainType::Development,
		DEV_PRESET,
		"oldev",
	)
}

/// A local network of two validators (Alice, Bob).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	from_preset("OpenLedger Local", "openledger_local", ChainType::Local, LOCAL_PRESET, "ollocal")
}

/// The testnet as the current runtime would build it; used to regenerate the checked-in spec.
pub fn testnet_preset_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"OpenLedger Testnet",
		"openledger_testnet",
		ChainType::Live,
		TESTNET_PRESET,
		"oltest",
	)
}

/// The launched testnet, from its checked-in raw specification.
pub fn testnet_chain_spec() -> Result<ChainSpec, String> {
	ChainSpec::from_json_bytes(TESTNET_RAW)
}

/// Resolves `--chain`: a built-in name, or a path to a chain-spec JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"" | "dev" => Box::new(development_chain_spec()?),
		"local" => Box::new(local_chain_spec()?),
		"testnet" => Box::new(testnet_chain_spec()?),
		"testnet-preset" => Box::new(testnet_preset_chain_spec()?),
		path => Box::new(ChainSpec::from_json_file(std::path::PathBuf::from(path))?),
	})
}
