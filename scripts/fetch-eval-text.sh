#!/usr/bin/env bash
# Fetches held-out English text for the base model's perplexity: the English conversations of the
# PyPI package chatterbot-corpus 1.2.0 (BSD-3-Clause), flattened to plain text (one utterance per
# line, a blank line between conversations) into $OPENLEDGER_MODELS/eval/chatterbot-en.txt.
# Does nothing when the file is already there.
set -euo pipefail
dir="${OPENLEDGER_MODELS:-$HOME/.cache/openledger-node/models}/eval"
file="$dir/chatterbot-en.txt"
if [ -s "$file" ]; then
	exit 0
fi
mkdir -p "$dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps chatterbot-corpus==1.2.0 -d "$tmp"
python3 - "$tmp"/chatterbot_corpus-1.2.0-py2.py3-none-any.whl "$file" <<'PY'
# The corpus is YAML lists of conversations; its shape is simple enough to read line by line
# (no YAML library needed): "- - text" opens a conversation, "  - text" adds an utterance, deeper
# indented lines continue the previous one.
import sys, zipfile
out = []
with zipfile.ZipFile(sys.argv[1]) as wheel:
    names = sorted(n for n in wheel.namelist() if "/data/english/" in n and n.endswith(".yml"))
    for name in names:
        in_conversations = False
        for raw in wheel.read(name).decode("utf-8").splitlines():
            if raw.startswith("conversations:"):
                in_conversations = True
                continue
            if not in_conversations or not raw.strip():
                continue
            if raw.startswith("- - "):
                out.append("")
                out.append(raw[4:].strip())
            elif raw.startswith("  - "):
                out.append(raw[4:].strip())
            elif raw.startswith("    ") and out:
                out[-1] += " " + raw.strip()
text = "\n".join(line.strip("'\"") for line in out).strip() + "\n"
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
echo "fetch-eval-text: $file ($(wc -w < "$file") words)"
