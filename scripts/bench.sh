#!/usr/bin/env bash
# `npm run bench`: payment latency and throughput on three real conductors. Prints figures; asserts nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/build-happ.sh
exec bash scripts/netns.sh npx tsx scripts/bench.ts "$@"
