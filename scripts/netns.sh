#!/usr/bin/env bash
# Runs a command inside a fresh loopback-only network namespace, so conductors, the bootstrap
# server and browsers can reach nothing but 127.0.0.1. Needs root; CC_NETNS=0 runs the command
# directly (e.g. a member's own machine, where the village should be reachable on the LAN).
set -euo pipefail
mode="${CC_NETNS:-auto}"
if [ "$mode" = 0 ] || { [ "$mode" = auto ] && [ "$(id -u)" -ne 0 ]; }; then
  exec "$@"
fi
ns="commons-credit-$$"
cleanup() {
  local pids
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -n "$pids" ] && kill $pids 2>/dev/null || true
  for _ in 1 2 3 4 5; do
    [ -z "$(ip netns pids "$ns" 2>/dev/null || true)" ] && break
    sleep 1
  done
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" "$@"
