#!/usr/bin/env bash
# Measures the OpenLedger pallets on this runtime and rewrites their weights.rs files.
# Builds the node with the `runtime-benchmarks` feature first (a separate, longer build).
# PALLETS="fee-split attribution" measures only those.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --locked -p openledger-node --features runtime-benchmarks
wasm="$target/debug/wbuild/openledger-runtime/openledger_runtime.compact.compressed.wasm"
[ -f "$wasm" ] || wasm="$target/debug/wbuild/openledger-runtime/openledger_runtime.wasm"
for pallet in ${PALLETS:-datanets governance model-registry fee-split attribution}; do
	"$target/debug/openledger-node" benchmark pallet \
		--runtime "$wasm" \
		--genesis-builder=runtime --genesis-builder-preset=dev \
		--pallet "pallet_${pallet//-/_}" --extrinsic '*' \
		--steps "${STEPS:-20}" --repeat "${REPEAT:-5}" \
		--template .maintain/pallet-weight-template.hbs \
		--output "pallets/$pallet/src/weights.rs"
done
# The runtime WASM just built carries the benchmarks; rebuild the plain node.
cargo build --locked -p openledger-node
