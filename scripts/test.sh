#!/usr/bin/env bash
# The whole test suite (`npm test`): set-up, rule unit tests, build, then the scenarios against real
# conductors in a loopback-only namespace, the network smoke test first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
npx tsx scripts/check-versions.ts
echo "== rule unit tests (no conductor)"
cargo test -q --locked -p ledger_rules
bash scripts/build-happ.sh
npx tsc --noEmit
echo "== scenarios against real conductors"
bash scripts/netns.sh bash -c '
  set -e
  npx vitest run tests/scenarios/00-network-smoke.test.ts
  npx vitest run --exclude tests/scenarios/00-network-smoke.test.ts
'
