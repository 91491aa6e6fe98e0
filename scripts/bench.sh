#!/usr/bin/env bash
# Runs the inference benchmarks, built for this CPU: candle picks its SIMD kernels for quantized
# weights (AVX2, AVX-512, NEON) at compile time, so they need `-C target-cpu=native`. A separate
# target directory keeps these flags from invalidating the debug build's cache.
#   bash scripts/bench.sh                 # sgmv-bench, openlora-bench (q8 engine), datainf-bench
#   bash scripts/bench.sh --quick         # a smoke run of openlora-bench
# Results: bench/results/sgmv.json, bench/results/openlora.json, bench/results/datainf.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-$HOME/.cache/openledger-node/target-native}"
export RUSTFLAGS="-C target-cpu=native"
bash scripts/fetch-base-model.sh
bash scripts/fetch-eval-text.sh
cargo build --release --locked -p openledger-kernels --bin sgmv-bench
cargo build --release --locked -p openledger-inference --bin openlora-bench --bin datainf-bench
"$CARGO_TARGET_DIR/release/sgmv-bench"
"$CARGO_TARGET_DIR/release/openlora-bench" "$@"
"$CARGO_TARGET_DIR/release/datainf-bench"
