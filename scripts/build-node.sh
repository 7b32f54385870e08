#!/usr/bin/env bash
# Builds the village node (box, station, member) into .cc/node/village-node.mjs, plain JavaScript
# that Node runs without a transpiler; skipped when newer than every source it comes from.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out=.cc/node/village-node.mjs
if [ -f "$out" ] && [ -z "$(find scripts client/src ui -name '*.ts' -newer "$out" -print -quit)" ] && [ package-lock.json -ot "$out" ]; then
  echo "[build-node] $out: up to date" >&2
  exit 0
fi
echo "[build-node] building the village node into $out" >&2
npx vite build --config scripts/vite.node.config.ts
