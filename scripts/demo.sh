#!/usr/bin/env bash
# The demo: installs the dependencies, builds, and starts two real jamid
# daemons ("you" and "Bob"), each on its own D-Bus bus, inside a private
# network namespace with a local DHT node (nothing reaches the net). Then, only
# through jamictl: a Jami account each, a contact added by name (which sends
# Bob a contact request), Bob accepting, a message and a call in plain
# English and Chinese, and the call's history. Everything it starts is stopped
# at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
[[ ${SKIP_INSTALL:-0} == 1 ]] || scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
lab=build/demo-lab
[[ ${KEEP_LAB:-0} == 1 ]] || trap 'tests/harness/jamilab.sh down "$lab" >/dev/null || true' EXIT
say() { printf '\n\033[1m%s$ jamictl %s\033[0m\n' "$1" "${*:2}"; }
JAMICTL=build/bin/jamictl LAB=$lab
source tests/harness/pair.sh

echo "Starting two private jamid daemons (own buses, network namespace, local DHT node)..."
tests/harness/jamilab.sh up "$lab" --instances YOU,BOB --dhtnode --nlfix build/tests/nlfix.so >/dev/null
BUS_YOU="unix:path=$root/$lab/state/YOU/run/bus.sock"
BUS_BOB="unix:path=$root/$lab/state/BOB/run/bus.sock"
echo; echo "Creating a Jami account on each, waiting for both to register on the local DHT..."
pair_accounts "$lab/you.md" "$lab/bob.md"
you account list
pair_contacts

you "send bob running late, see you at eight"
arrived() { grep -q "running late" <<<"$(quiet --bus "$BUS_BOB" --tools "$BOB_TOOLS" message read Alice)"; }
wait_for 30 arrived
bob message read Alice
bob "给Alice发消息说好的，不急"

# A name that is only close to a contact's never calls anyone: it suggests.
you "call bobb" || true
you --dry-run "call bob"
you call bob
ringing() { grep -q '"state":"incoming"' <<<"$(quiet --bus "$BUS_BOB" call list)"; }
wait_for 20 ringing
bob call list
bob "answer the call"
answered() { grep -q '"state":"active"' <<<"$(quiet --bus "$BUS_YOU" call list)"; }
wait_for 20 answered
you call list
you mute
you "hang up"
you call status

# The assistant speaks (docs/voice.md): with "- Voice: on" in its TOOLS.md,
# a call that says something once answered, then hangs up by itself. Bob
# answers when it rings; the speech goes through your jamid's own PulseAudio.
sed -i 's/^## Jami Configuration$/&\n- Voice: on/' "$YOU_TOOLS"
(wait_for 30 ringing && bob "answer the call" >/dev/null) &
you --pulse "unix:$root/$lab/state/YOU/pulse/native" "call bob and tell him the build is broken"
wait
you audit --count 5
echo
echo "Done. Everything above ran on real jamid daemons; jamictl --help lists every command."
