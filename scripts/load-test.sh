#!/usr/bin/env bash
# Load test of paid inference against a running `--dev` node (scripts/run-dev-node.sh): two
# models, REQUESTS paid requests (default 200) answered CONCURRENCY at a time (default 4), all
# settled by the off-chain worker. Writes bench/results/flywheel-load.json.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d tests/node_modules ] || (cd tests && npm ci --no-audit --no-fund)
exec node tests/load.mjs "${1:-200}" "${2:-4}" "${3:-ws://127.0.0.1:9944}"
