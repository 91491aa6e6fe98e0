#!/bin/sh
# Starts a validator of the chain in $CHAIN: inserts its Aura (sr25519) and GRANDPA (ed25519)
# keys from $VALIDATOR_SURI into the keystore under /data once, then runs the node with the
# remaining arguments. The testnet's validator secret URIs are test-only (chain-spec/README.md).
set -eu
: "${CHAIN:?set CHAIN (a chain-spec path or name)}"
: "${VALIDATOR_SURI:?set VALIDATOR_SURI}"
node=/usr/local/bin/openledger-node
if [ ! -f /data/.keys-inserted ]; then
	"$node" key insert --base-path /data --chain "$CHAIN" --scheme sr25519 --key-type aura --suri "$VALIDATOR_SURI"
	"$node" key insert --base-path /data --chain "$CHAIN" --scheme ed25519 --key-type gran --suri "$VALIDATOR_SURI"
	# A validator needs a persistent network identity; `--node-key` on the command line wins.
	"$node" key generate-node-key --base-path /data --chain "$CHAIN"
	touch /data/.keys-inserted
fi
exec "$node" --chain "$CHAIN" --base-path /data --validator "$@"
