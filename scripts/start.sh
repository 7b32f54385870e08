#!/usr/bin/env bash
# `npm start`: set-up, build, then the embedded default village with its UI. Ctrl-C stops it all.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/build-happ.sh
exec bash scripts/netns.sh npx tsx scripts/start.ts "$@"
