#!/usr/bin/env bash
# Idempotent set-up: installs what is missing, at pinned versions, and skips what is present.
# Called by `npm start`, `npm test` and `npm run bench` (through scripts/ensure-setup.sh).
set -euo pipefail

HOLOCHAIN_VERSION=0.7.1
HC_VERSION=0.7.1
BOOTSTRAP_SRV_VERSION=0.5.1
# Build caches live outside the clone so a fresh clone (CI) reuses them.
export CC_CACHE_DIR="${CC_CACHE_DIR:-$HOME/.cache/commons-credit}"
export CARGO_TARGET_DIR="$CC_CACHE_DIR/cargo-install-target"
mkdir -p "$CC_CACHE_DIR"

log() { printf '[setup] %s\n' "$*" >&2; }

# Installed binaries land here; without rustup, Debian's cargo-web (Rust 1.96) builds them.
export PATH="$HOME/.cargo/bin:$PATH"

need_root() {
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
}

install_debian_packages() {
  local wanted=(cmake libunwind-dev pkg-config iproute2 rustc-web cargo-web rust-web-src lld-22 chromium)
  local missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then log "debian packages: present"; return; fi
  need_root
  log "debian packages: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Whether cargo's install record has <crate> at <version> with every feature in <features>.
installed_with() {
  local crate=$1 version=$2 features=$3
  node -e '
    const [crate, version, wanted] = process.argv.slice(1);
    const installs = JSON.parse(require("fs").readFileSync(process.env.HOME + "/.cargo/.crates2.json", "utf8")).installs;
    // Only the published crate counts: a build from a local copy of its source is replaced.
    const key = Object.keys(installs).find((k) => k.startsWith(`${crate} ${version} (registry+`));
    const have = key ? installs[key].features : null;
    process.exit(have && wanted.split(",").filter(Boolean).every((f) => have.includes(f)) ? 0 : 1);
  ' "$crate" "$version" "$features" 2>/dev/null
}

# cargo_install <crate> <version> <binary> <features> [extra cargo args...]
cargo_install() {
  local crate=$1 version=$2 binary=$3 features=$4; shift 4
  if installed_with "$crate" "$version" "$features" && command -v "$binary" >/dev/null; then
    log "$crate $version: present"; return
  fi
  log "$crate $version: building (this takes a while on a cold cache)"
  cargo install "$crate" --version "$version" --locked ${features:+--features "$features"} "$@"
  command -v "$binary" >/dev/null || { log "$binary not on PATH after install"; exit 1; }
}

install_holochain_binaries() {
  # Countersigning is off by default in the conductor; payments need it.
  cargo_install holochain "$HOLOCHAIN_VERSION" holochain unstable-countersigning
  cargo_install holochain_cli "$HC_VERSION" hc ""
  cargo_install kitsune2_bootstrap_srv "$BOOTSTRAP_SRV_VERSION" kitsune2-bootstrap-srv ""
}

check_node() {
  # Vite 8 needs Node >= 20.19; @holochain/client 0.21 declares 22 but works on 20 (measured).
  local version; version=$(node --version 2>/dev/null || echo none)
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
    log "Node.js >= 20.19 is required (found $version)"; exit 1
  fi
}

install_node_packages() {
  check_node
  local root; root="$(cd "$(dirname "$0")/.." && pwd)"
  if [ -f "$root/node_modules/.package-lock.json" ] && \
     [ "$root/node_modules/.package-lock.json" -nt "$root/package-lock.json" ]; then
    log "node packages: present"; return
  fi
  log "node packages: installing"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
}

main() {
  local only="${1:-all}"
  case "$only" in
    debian) install_debian_packages ;;
    holochain) install_holochain_binaries ;;
    node) install_node_packages ;;
    all) install_debian_packages; install_holochain_binaries; install_node_packages ;;
    *) log "unknown step: $only"; exit 2 ;;
  esac
}
main "$@"
