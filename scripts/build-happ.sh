#!/usr/bin/env bash
# Builds the zomes to wasm and packs the DNA and hApps (the village's; the tests' forger hApp and the
# benchmark's floor probe).
# Uses a wasm32 target from rustup if installed, else Debian's rustc-web building std on the fly.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CC_CACHE_DIR:-$HOME/.cache/commons-credit}"
export CARGO_TARGET_DIR="$cache/wasm-target"
export RUSTFLAGS='--cfg getrandom_backend="custom" -C link-arg=--allow-undefined'
cd "$root"
if rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  cargo build --locked --release --target wasm32-unknown-unknown -q -p ledger_integrity -p ledger -p forger -p floor_integrity -p floor
else
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build --locked --release --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort -q -p ledger_integrity -p ledger -p forger -p floor_integrity -p floor
fi
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
echo "[build] packed workdir/commons_credit.happ, tests/forger/commons_credit_forger.happ, tests/floor/commons_credit_floor.happ" >&2
