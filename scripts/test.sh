#!/usr/bin/env bash
# The whole test suite (`npm test`): set-up, rule unit tests, build, then the scenarios against real
# conductors in a loopback-only namespace, the network smoke test first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
npx tsx scripts/check-versions.ts
echo "== static gates: rustfmt, clippy of the rules"
cargo fmt --all --check
cargo clippy -q --locked -p ledger_rules --all-targets -- -D warnings
echo "== rule unit tests (no conductor)"
cargo test -q --locked -p ledger_rules
echo "== clippy of the zomes"
# Natively, with rustup's clippy: the Debian toolchain that builds the wasm (rustup has no wasm32 target
# here) comes without clippy. Its own target dir, so it never invalidates the wasm build's cache.
CARGO_TARGET_DIR="${CC_CACHE_DIR:-$HOME/.cache/commons-credit}/clippy-target" \
  cargo clippy -q --locked -p ledger_integrity -p ledger -p forger -p floor_integrity -p floor -- -D warnings
bash scripts/build-happ.sh
bash scripts/build-ui.sh
bash scripts/build-node.sh
echo "== the same wasm from another directory, cargo home and target (one village on every machine)"
bash scripts/check-reproducible-build.sh
npx tsc --noEmit
# Biome (biome.json): its formatter on the TypeScript, and the recommended lint rules, less
# noNonNullAssertion (`xs[i]!` is the idiom under noUncheckedIndexedAccess) and useMathMinMax
# (amounts are bigints, which Math.min refuses). `npm run format` rewrites the files.
npx biome check --error-on-warnings .
echo "== scenarios against real conductors"
bash scripts/netns.sh bash -c '
  set -e
  npx vitest run tests/scenarios/00-network-smoke.test.ts
  npx vitest run --exclude tests/scenarios/00-network-smoke.test.ts
'
