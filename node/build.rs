use substrate_build_script_utils::{generate_cargo_keys, rerun_if_git_head_changed};

fn main() {
	// The version string (`openledger-node --version`) carries the commit it was built from.
	generate_cargo_keys();
	rerun_if_git_head_changed();
}
