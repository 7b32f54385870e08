#!/usr/bin/env bash
# `npm start` / `npm run bench`: set-up, build, then scripts/<name>.ts in a loopback-only namespace.
# start: the embedded default village and its UI, until Ctrl-C. bench: prints figures, asserts nothing.
set -euo pipefail
name="${1:?usage: run.sh start|bench}"; shift
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
bash scripts/build-happ.sh
exec bash scripts/netns.sh npx tsx "scripts/$name.ts" "$@"
