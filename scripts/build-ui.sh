#!/usr/bin/env bash
# Builds the payment page into ui/dist (static files the page server serves), skipped when the
# build is newer than every source it comes from.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
stamp=ui/dist/index.html
if [ -f "$stamp" ] && [ -z "$(find ui/index.html ui/src client/src ui/vite.config.ts package-lock.json -newer "$stamp" -print -quit)" ]; then
  echo "[build-ui] ui/dist: up to date" >&2
  exit 0
fi
echo "[build-ui] building the page into ui/dist" >&2
npx vite build --config ui/vite.config.ts --logLevel warn
