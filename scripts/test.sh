#!/usr/bin/env bash
# Runs every test: formatting, the Rust unit tests, then the end-to-end tests that drive real
# nodes with real clients (tests/e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== rustfmt"
cargo fmt --all -- --check

echo "== build"
cargo build --locked -p openledger-node

echo "== unit tests"
cargo test --locked --workspace

echo "== end-to-end tests"
(cd tests && npm test)
