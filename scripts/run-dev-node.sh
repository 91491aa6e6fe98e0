#!/usr/bin/env bash
# Builds the node and runs a single-validator development chain (`--dev`): Alice authors and
# finalizes blocks, the development accounts hold OPEN, and the demo Datanet, model and worker are
# there from genesis; RPC is on ws://127.0.0.1:9944. The Ethereum JSON-RPC server
# (`openledger-node eth-rpc`) runs beside it on http://127.0.0.1:8545 (chain id 1612); set
# ETH_RPC=0 to leave it out.
# Extra arguments are passed to the node, e.g. `--base-path /tmp/ol` to keep the chain.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --locked -p openledger-node
target_dir="${CARGO_TARGET_DIR:-target}"
node_bin="$target_dir/debug/openledger-node"

if [ "${ETH_RPC:-1}" = "0" ]; then
	exec "$node_bin" --dev --rpc-cors all "$@"
fi

# The node's RPC port, if the caller chose one.
rpc_port=9944
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	case "${args[$i]}" in
		--rpc-port) rpc_port="${args[$((i + 1))]:-9944}" ;;
		--rpc-port=*) rpc_port="${args[$i]#--rpc-port=}" ;;
	esac
done

# Archive state, so that eth-rpc can serve the receipts of any block.
"$node_bin" --dev --rpc-cors all --state-pruning archive "$@" &
node_pid=$!
eth_pid=""
trap 'kill $node_pid $eth_pid 2>/dev/null || true' EXIT INT TERM
until curl -sf -H 'content-type: application/json' \
	-d '{"jsonrpc":"2.0","id":1,"method":"system_health"}' "http://127.0.0.1:$rpc_port" >/dev/null; do
	kill -0 "$node_pid" 2>/dev/null || exit 1
	sleep 1
done
"$node_bin" eth-rpc --dev --node-rpc-url "ws://127.0.0.1:$rpc_port" --rpc-port 8545 \
	--prometheus-port 9616 &
eth_pid=$!
wait "$node_pid"
