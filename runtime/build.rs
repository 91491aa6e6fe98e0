fn main() {
	#[cfg(feature = "std")]
	build_wasm();
}

/// Builds the runtime's WASM. Source paths end up in its panic messages; they are rewritten to
/// fixed prefixes so that the blob, and with it the chain specs' `:code`, is the same in every
/// checkout and on every machine with the same toolchain.
#[cfg(feature = "std")]
fn build_wasm() {
	use std::path::PathBuf;

	// Read when the script runs, not when it is compiled: a build script compiled in another
	// checkout of this repository (one shared target directory) must still point at this one.
	let runtime = std::env::var_os("CARGO_MANIFEST_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
	let workspace = runtime.parent().unwrap_or(&runtime).to_path_buf();
	// The WASM is built by a nested cargo that must find this workspace's Cargo.lock, also when
	// CARGO_TARGET_DIR lies outside the repository (as in CI). Set here, not in a cargo config:
	// other WASM-building dependencies must keep looking for their own workspace.
	std::env::set_var("WASM_BUILD_WORKSPACE_HINT", &workspace);
	let cargo_home = std::env::var_os("CARGO_HOME")
		.map(PathBuf::from)
		.or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
	let mut builder = substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.append_to_rust_flags(format!("--remap-path-prefix={}=/openledger", workspace.display()));
	if let Some(cargo_home) = cargo_home {
		builder = builder
			.append_to_rust_flags(format!("--remap-path-prefix={}=/cargo", cargo_home.display()));
	}
	if let Some(rustup_home) = std::env::var_os("RUSTUP_HOME") {
		builder = builder.append_to_rust_flags(format!(
			"--remap-path-prefix={}=/rustup",
			PathBuf::from(rustup_home).display()
		));
	}
	builder.build();
}
