//! The OpenLedger runtime's metadata under the name `pallet-revive-eth-rpc` generates its subxt
//! client from.
//!
//! Upstream, the Ethereum JSON-RPC server's build script calls
//! `revive_dev_runtime::Runtime::metadata_at_version(16)` on Parity's dev runtime. The workspace
//! patches that crate to this one, so the server's types, calls and runtime-API hashes are those
//! of the OpenLedger runtime it serves (and subxt checks them against the node's own metadata when
//! it connects). The metadata is checked in as `metadata.scale` rather than computed by linking
//! the runtime into a build script; `metadata_scale_is_the_runtimes` holds it current, and
//! `OPENLEDGER_BLESS=1 cargo test -p revive-dev-runtime` rewrites it after a runtime change.

/// The metadata version `metadata.scale` holds: the one eth-rpc asks for.
pub const METADATA_VERSION: u32 = 16;

/// The runtime's metadata at [`METADATA_VERSION`], SCALE-encoded as the `Metadata_metadata_at_version`
/// runtime API returns it.
pub const METADATA: &[u8] = include_bytes!("../metadata.scale");

/// Stands for the runtime in eth-rpc's build script: it is asked only for its metadata.
pub struct Runtime;

impl Runtime {
	/// The runtime's metadata at `version`, when that is the version checked in.
	pub fn metadata_at_version(version: u32) -> Option<Vec<u8>> {
		(version == METADATA_VERSION).then(|| METADATA.to_vec())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn runtime_metadata() -> Vec<u8> {
		sp_io::TestExternalities::default().execute_with(|| {
			openledger_runtime::Runtime::metadata_at_version(METADATA_VERSION)
				.expect("the runtime serves metadata v16")
				.to_vec()
		})
	}

	#[test]
	fn metadata_scale_is_the_runtimes() {
		let current = runtime_metadata();
		if current == METADATA {
			return;
		}
		let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("metadata.scale");
		if std::env::var_os("OPENLEDGER_BLESS").is_some() {
			std::fs::write(&path, &current).expect("metadata.scale is writable");
			return;
		}
		panic!(
			"{} ({} bytes) is not the runtime's metadata ({} bytes): the runtime changed; rewrite it \
			 with `OPENLEDGER_BLESS=1 cargo test -p revive-dev-runtime` and commit it",
			path.display(),
			METADATA.len(),
			current.len()
		);
	}

	#[test]
	fn only_the_checked_in_version_is_served() {
		assert_eq!(Runtime::metadata_at_version(METADATA_VERSION).as_deref(), Some(METADATA));
		assert_eq!(Runtime::metadata_at_version(15), None);
	}
}
