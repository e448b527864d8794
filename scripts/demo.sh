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
[[ ${KEEP_LAB:-0} == 1 ]] || trap 'tests/harness/jamilab.sh down "$lab" >/dev/null' EXIT
step() { printf '\n\033[1m%s$ jamictl %s\033[0m\n' "$1" "${*:2}"; }
# Each side has its own bus, TOOLS.md and call log, as on two machines.
you() { step "you " "$@"; XDG_STATE_HOME="$lab/state/YOU" build/bin/jamictl --bus "$bus_you" --tools "$lab/you.md" "$@"; }
bob() { step "bob " "$@"; XDG_STATE_HOME="$lab/state/BOB" build/bin/jamictl --bus "$bus_bob" --tools "$lab/bob.md" "$@"; }
quiet() { XDG_STATE_HOME="$lab/state/probe" build/bin/jamictl --json "$@" 2>/dev/null || true; }
# wait_for SECONDS COMMAND...: bounded poll
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        (( SECONDS < deadline )) || { echo "demo: gave up waiting for: $*" >&2; return 1; }
        sleep 0.2
    done
}

echo "Starting two private jamid daemons (own buses, network namespace, local DHT node)..."
tests/harness/jamilab.sh up "$lab" --instances YOU,BOB --dhtnode --nlfix build/tests/nlfix.so >/dev/null
bus_you="unix:path=$root/$lab/state/YOU/run/bus.sock"
bus_bob="unix:path=$root/$lab/state/BOB/run/bus.sock"

# Jami accounts that only talk to the lab's DHT node.
local_only=(--detail Account.hostname=127.0.0.1:4222 --detail Account.proxyEnabled=false
    --detail Account.proxyServer= --detail Account.dhtProxyListUrl= --detail Account.upnpEnabled=false
    --detail TURN.enable=false --detail TURN.server= --detail STUN.enable=false
    --detail Account.peerDiscovery=false --detail Account.accountDiscovery=false
    --detail Account.accountPublish=false --detail RingNS.uri=http://127.0.0.1:1
    --detail Account.videoEnabled=false --detail Account.ringtoneEnabled=false)
printf '# My notes\n\n## Jami Configuration\n- Contacts:\n' >"$lab/you.md"
printf '# Bob\x27s notes\n' >"$lab/bob.md"
# Raw jamid settings need the user's yes (--yes): they can change who reaches you.
you account create --type jami --alias me "${local_only[@]}" --yes
bob account create --type jami --alias bob "${local_only[@]}" --yes
ready() { quiet --bus "$1" account info | grep -q '"device_announced":true,.*"status":"REGISTERED"\|"status":"REGISTERED".*"device_announced":true'; }
jami_id() { quiet --bus "$1" account info | sed -n 's/.*"jami_id":"\([0-9a-f]\{40\}\)".*/\1/p'; }
echo; echo "Waiting for both accounts to register on the local DHT..."
wait_for 60 ready "$bus_you"
wait_for 60 ready "$bus_bob"
you_id=$(jami_id "$bus_you"); bob_id=$(jami_id "$bus_bob")
printf '## Jami Configuration\n- Contacts:\n  - Alice (me): %s\n' "$you_id" >>"$lab/bob.md"
you account list

# Adding a contact widens who may be reached: the user's yes again.
you contact add "Bob Smith" "$bob_id" --alias bob --yes
requested() { quiet --bus "$bus_bob" --tools "$lab/bob.md" contact requests | grep -q "$you_id"; }
wait_for 20 requested || { quiet --bus "$bus_you" --tools "$lab/you.md" contact invite bob >/dev/null; wait_for 20 requested; }
bob contact requests
bob "accept the contact request from Alice"
# Bob's side clones the conversation, then you must see Bob's join: before
# that, a message waits in the conversation (docs/calls.md).
joined() { quiet --bus "$bus_you" --tools "$lab/you.md" message read bob | grep -q '"peer_role":"member"'; }
wait_for 30 joined

you "send bob running late, see you at eight"
arrived() { quiet --bus "$bus_bob" --tools "$lab/bob.md" message read Alice | grep -q "running late"; }
wait_for 30 arrived
bob message read Alice
bob "给Alice发消息说好的，不急"

# A name that is only close to a contact's never calls anyone: it suggests.
you "call bobb" || true
you --dry-run "call bob"
you call bob
ringing() { quiet --bus "$bus_bob" call list | grep -q '"state":"incoming"'; }
wait_for 20 ringing
bob call list
bob "answer the call"
answered() { quiet --bus "$bus_you" call list | grep -q '"state":"active"'; }
wait_for 20 answered
you call list
you mute
you "hang up"
you call status
you audit --count 5
echo
echo "Done. Everything above ran on real jamid daemons; jamictl --help lists every command."
