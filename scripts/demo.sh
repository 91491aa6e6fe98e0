#!/usr/bin/env bash
# Walks through the flywheel on a running `--dev` node (started with scripts/run-dev-node.sh):
# Datanet → vote → fine-tune → deploy → paid answer → attribution and settlement by the
# off-chain worker, printing each step and the balances. Argument: the node's WebSocket URL.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d tests/node_modules ] || (cd tests && npm ci --no-audit --no-fund)
exec node tests/demo.mjs "${1:-ws://127.0.0.1:9944}"
