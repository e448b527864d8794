#!/usr/bin/env bash
# The demo: installs the dependencies, builds, starts a real jamid on a
# private bus inside a private network namespace (nothing reaches the net),
# creates a throwaway Jami account, lists accounts and shows how natural
# language is understood. Everything it starts is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
[[ ${SKIP_INSTALL:-0} == 1 ]] || scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
jamictl=build/bin/jamictl
lab=build/demo-lab
trap 'tests/harness/jamilab.sh down "$lab"' EXIT
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

echo "Starting a private jamid (own D-Bus bus, network namespace, local DHT node)..."
tests/harness/jamilab.sh up "$lab" --instances A --dhtnode --nlfix build/tests/nlfix.so >/dev/null
bus="unix:path=$root/$lab/state/A/run/bus.sock"

step jamictl account create --type jami --alias demo
"$jamictl" --bus "$bus" account create --type jami --alias demo \
    --detail Account.hostname=127.0.0.1:4222 --detail Account.proxyEnabled=false \
    --detail Account.upnpEnabled=false --detail TURN.enable=false --detail TURN.server= \
    --detail STUN.enable=false --detail Account.dhtProxyListUrl= --detail RingNS.uri=http://127.0.0.1:1 \
    --detail Account.videoEnabled=false
# jamid generates the identity in the background: wait (bounded) for the Jami ID.
for _ in $(seq 100); do
    "$jamictl" --bus "$bus" --json account info demo | grep -q '"jami_id":"[0-9a-f]\{40\}"' && break
    sleep 0.1
done
step jamictl account list
"$jamictl" --bus "$bus" account list
step jamictl --json account info demo
"$jamictl" --bus "$bus" --json account info demo

export JAMI_SKILL_TOOLS="$root/TOOLS.md"
for sentence in "call mom" "send bob smith running late" "给妈妈打电话" "告诉李四明天见" "turn the volume to 40%" "call Bob"; do
    step jamictl --dry-run "$sentence"
    "$jamictl" --dry-run "$sentence" || true
done
echo
echo "Done. jamictl --help lists every command."
