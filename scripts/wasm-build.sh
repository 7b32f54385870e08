#!/usr/bin/env bash
# Builds zome crates to wasm32, reproducibly: the same commit gives the same bytes on any machine,
# user and directory, so every member's build of a village's hApp gives the same DNA hash (a DNA's
# hash covers its integrity zomes' wasm). One compiler whatever else is installed: Debian's rustc-web
# with its own std sources, std built on the fly. The absolute paths rustc would embed (panic
# locations, file!()) are remapped: cargo's home (crate sources) and the target directory (build
# scripts' output). This checkout's own crates are named relative to it already. The flags stay the
# same for every checkout on one machine, so a fresh clone reuses the cached build.
# Usage: wasm-build.sh <package>...   (CARGO_TARGET_DIR chooses the target directory)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cargo_home="$(cd "${CARGO_HOME:-$HOME/.cargo}" && pwd)"
target="${CARGO_TARGET_DIR:?CARGO_TARGET_DIR names the target directory}"
mkdir -p "$target"
target="$(cd "$target" && pwd)"
export RUSTFLAGS="--cfg getrandom_backend=\"custom\" -C link-arg=--allow-undefined --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$target=/target"
packages=()
for package in "$@"; do packages+=(-p "$package"); done
cd "$root"
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build --locked --release --target wasm32-unknown-unknown \
  -Zbuild-std=std,panic_abort -q "${packages[@]}"
