#!/usr/bin/env bash
# The village's zomes built a second time as another member's machine would build them: another
# checkout directory, another cargo home, another target directory. Fails unless every wasm is byte
# for byte the same as this checkout's build (scripts/build-happ.sh), since a DNA's hash covers its
# integrity zome's wasm: another byte would be another village. The second build's cache stays
# outside the clone like the first's.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CC_CACHE_DIR:-$HOME/.cache/commons-credit}"
first="$cache/wasm-target/wasm32-unknown-unknown/release"
other="$cache/another-machine"
mkdir -p "$other/home/.cargo/registry"
# The crates another machine would have downloaded (copied, so this needs no network).
for part in index cache; do
  cp -a --update "${CARGO_HOME:-$HOME/.cargo}/registry/$part" "$other/home/.cargo/registry/"
done
# This working tree's sources (tracked and new files, as a clone of it would hold) in another directory.
rm -rf "$other/checkout"
mkdir -p "$other/checkout"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$other/checkout"
zomes=(ledger_integrity ledger)
CARGO_HOME="$other/home/.cargo" CARGO_NET_OFFLINE=true CARGO_TARGET_DIR="$other/target" \
  bash "$other/checkout/scripts/wasm-build.sh" "${zomes[@]}"
status=0
for zome in "${zomes[@]}"; do
  here=$(sha256sum < "$first/$zome.wasm" | cut -c1-64)
  there=$(sha256sum < "$other/target/wasm32-unknown-unknown/release/$zome.wasm" | cut -c1-64)
  if [ "$here" = "$there" ]; then
    echo "[reproducible] $zome.wasm: the same bytes from another directory, home and target ($here)"
  else
    echo "[reproducible] $zome.wasm differs: $here here, $there from another directory, home and target" >&2
    status=1
  fi
done
exit $status
