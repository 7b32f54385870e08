#!/usr/bin/env bash
# Builds the zomes to wasm and packs the DNA and hApps (the village's; the tests' forger hApp and the
# benchmark's floor probe).
# The wasm is built reproducibly (scripts/wasm-build.sh): the same commit packs the same village anywhere.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CC_CACHE_DIR:-$HOME/.cache/commons-credit}"
export CARGO_TARGET_DIR="$cache/wasm-target"
cd "$root"
echo "[build] zomes to wasm (seconds when cached; several minutes the first time)" >&2
bash scripts/wasm-build.sh ledger_integrity ledger forger floor_integrity floor
echo "[build] packing the hApps" >&2
mkdir -p dna/workdir/wasm tests/forger/wasm tests/floor/wasm
for zome in ledger_integrity ledger; do
  cp "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/$zome.wasm" dna/workdir/wasm/
done
cp "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/forger.wasm" tests/forger/wasm/
for zome in floor_integrity floor; do
  cp "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/$zome.wasm" tests/floor/wasm/
done
hc dna pack dna/workdir -o dna/workdir/commons_credit_ledger.dna >/dev/null
hc app pack workdir -o workdir/commons_credit.happ >/dev/null
hc dna pack tests/forger -o tests/forger/commons_credit_ledger.dna >/dev/null
hc app pack tests/forger -o tests/forger/commons_credit_forger.happ >/dev/null
hc dna pack tests/floor -o tests/floor/commons_credit_floor.dna >/dev/null
hc app pack tests/floor -o tests/floor/commons_credit_floor.happ >/dev/null
echo "[build] done: workdir/commons_credit.happ, tests/forger/commons_credit_forger.happ, tests/floor/commons_credit_floor.happ" >&2
