#!/usr/bin/env bash
# Regenerates the checked-in chain specifications from the node (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
node="${OPENLEDGER_NODE:-${CARGO_TARGET_DIR:-target}/debug/openledger-node}"
for spec in local testnet; do
	chain=$spec
	[ "$spec" = testnet ] && chain=testnet-preset
	"$node" build-spec --chain "$chain" --disable-default-bootnode > "chain-spec/$spec.json"
	"$node" build-spec --chain "$chain" --disable-default-bootnode --raw > "chain-spec/$spec-raw.json"
done
echo "chain-spec: wrote local.json local-raw.json testnet.json testnet-raw.json"
