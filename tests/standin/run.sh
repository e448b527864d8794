#!/usr/bin/env bash
# Runs TEST against the jamid stand-in serving FIXTURE, on a private bus made
# here (its own dbus-daemon on a unix socket in a temporary folder: no
# network, no root). The test finds the bus in $STANDIN_BUS and the stand-in's
# call log in $STANDIN_LOG.
#   run.sh STANDIN_BINARY FIXTURE_DIR TEST_BINARY [test args...]
set -euo pipefail
standin=$1 fixture=$2 test=$3
shift 3
dir=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
source "$(dirname "$0")/../harness/bus_conf.sh"
bus_conf "$dir/bus.sock" >"$dir/bus.conf"
dbus-daemon --config-file="$dir/bus.conf" --nofork --nopidfile &
pids+=($!)
for _ in $(seq 100); do [[ -S $dir/bus.sock ]] && break; sleep 0.05; done
export STANDIN_BUS="unix:path=$dir/bus.sock" STANDIN_LOG="$dir/standin.log"
"$standin" "$STANDIN_BUS" "$fixture" >"$STANDIN_LOG" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q '^ready' "$STANDIN_LOG" 2>/dev/null && break; sleep 0.05; done
grep -q '^ready' "$STANDIN_LOG" || { echo "the stand-in did not start:"; cat "$STANDIN_LOG"; exit 1; }
echo "stand-in: jamid interface of $(basename "$fixture")"
"$test" "$@"
