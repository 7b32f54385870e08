#!/usr/bin/env bash
# `npm start` / `npm run bench` / `npm run village`: set-up, build, then scripts/<name>.ts.
# start: the embedded default village and its UI, until Ctrl-C. bench: prints figures, asserts nothing.
# Both run in a loopback-only namespace. village-node: a village box or a member's node on this
# machine's real network (the village LAN), so it runs in the host's namespace.
set -euo pipefail
name="${1:?usage: run.sh start|bench|village-node}"; shift
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
if [ "$name" = village-node ]; then
  # Only the box builds the app: members and stations run the box's own packed app, which its desk
  # hands them. Help, and an invitation from the running box, need neither conductor nor app.
  case "${1:-help}" in
    help|--help|-h|invite) step=node ;;
    box) step=build ;;
    *) step=conductor ;;
  esac
  for arg in "$@"; do case "$arg" in --help|-h) step=node ;; esac; done
  case "$step" in
    node) bash scripts/setup.sh node ;;
    conductor) bash scripts/setup.sh; bash scripts/build-ui.sh ;;
    build) bash scripts/setup.sh; bash scripts/build-happ.sh; bash scripts/build-ui.sh ;;
  esac
  # Built JavaScript: a member's machine runs no transpiler next to its conductor.
  bash scripts/build-node.sh
  exec node .cc/node/village-node.mjs "$@"
fi
bash scripts/setup.sh
bash scripts/build-happ.sh
bash scripts/build-ui.sh
if [ "$name" = start ] && [ "$(id -u)" -eq 0 ] && [ "${CC_NETNS:-auto}" != 0 ]; then
  # The UI runs inside the namespace; a gateway in the host's namespace makes the printed
  # http://127.0.0.1:<port>/ open in this machine's browser (scripts/gateway/host-gateway.ts).
  gateway_dir="$(mktemp -d /tmp/commons-credit-ui.XXXXXX)"
  export CC_UI_SOCKET="$gateway_dir/ui.sock"
  node --import tsx scripts/gateway/host-gateway.ts "${CC_UI_PORT:-5173}" "$CC_UI_SOCKET" &
  gateway=$!
  trap 'kill $gateway 2>/dev/null || true; rm -rf "$gateway_dir"' EXIT
  bash scripts/netns.sh npx tsx "scripts/$name.ts" "$@"
  exit
fi
exec bash scripts/netns.sh npx tsx "scripts/$name.ts" "$@"
