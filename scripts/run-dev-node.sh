#!/usr/bin/env bash
# Builds the node and runs a single-validator development chain (`--dev`): Alice authors and
# finalizes blocks, the development accounts hold OPEN, and the demo Datanet, model and worker are
# there from genesis; RPC is on ws://127.0.0.1:9944.
# Extra arguments are passed to the node, e.g. `--base-path /tmp/ol` to keep the chain.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --locked -p openledger-node
target_dir="${CARGO_TARGET_DIR:-target}"
exec "$target_dir/debug/openledger-node" --dev --rpc-cors all "$@"
