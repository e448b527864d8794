# Sourced by scripts/demo.sh and tests/openclaw/live_test.sh: two Jami
# accounts on two lab jamid (tests/harness/jamilab.sh) that only talk to the
# lab's DHT node, made contacts of each other through jamictl.
#   JAMICTL, LAB (the lab folder) and the buses BUS_YOU, BUS_BOB must be set.
#   pair_accounts YOU_TOOLS BOB_TOOLS: creates the accounts, waits until both
#     are registered and announced, starts both contact files (Alice in
#     BOB_TOOLS); sets YOU_ID and BOB_ID.
#   pair_contacts: you add Bob ("Bob Smith", alias bob: a contact request),
#     Bob accepts, and you see Bob's join (before it a message waits in the
#     conversation: docs/calls.md).
# "say" prints and runs one jamictl command for a side (the demo shows them);
# define it before sourcing to change how.

# Jami accounts that only talk to the lab's DHT node.
local_only=(--detail Account.hostname=127.0.0.1:4222 --detail Account.proxyEnabled=false
    --detail Account.proxyServer= --detail Account.dhtProxyListUrl= --detail Account.upnpEnabled=false
    --detail TURN.enable=false --detail TURN.server= --detail STUN.enable=false
    --detail Account.peerDiscovery=false --detail Account.accountDiscovery=false
    --detail Account.accountPublish=false --detail RingNS.uri=http://127.0.0.1:1
    --detail Account.videoEnabled=false --detail Account.ringtoneEnabled=false)

declare -F say >/dev/null || say() { :; }
you() { say "you " "$@"; XDG_STATE_HOME="$LAB/state/YOU" "$JAMICTL" --bus "$BUS_YOU" --tools "$YOU_TOOLS" "$@"; }
bob() { say "bob " "$@"; XDG_STATE_HOME="$LAB/state/BOB" "$JAMICTL" --bus "$BUS_BOB" --tools "$BOB_TOOLS" "$@"; }
quiet() { XDG_STATE_HOME="$LAB/state/probe" "$JAMICTL" --json "$@" 2>/dev/null || true; }
# wait_for SECONDS COMMAND...: bounded poll
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        (( SECONDS < deadline )) || { echo "gave up waiting for: $*" >&2; return 1; }
        sleep 0.2
    done
}
ready() { grep -q '"device_announced":true,.*"status":"REGISTERED"\|"status":"REGISTERED".*"device_announced":true' <<<"$(quiet --bus "$1" account info)"; }
jami_id() { quiet --bus "$1" account info | sed -n 's/.*"jami_id":"\([0-9a-f]\{40\}\)".*/\1/p'; }

pair_accounts() {
    YOU_TOOLS=$1 BOB_TOOLS=$2
    printf '# My notes\n\n## Jami Configuration\n- Contacts:\n' >"$YOU_TOOLS"
    printf '# Bob\x27s notes\n' >"$BOB_TOOLS"
    # Raw jamid settings need the user's yes (--yes): they can change who reaches you.
    you account create --type jami --alias me "${local_only[@]}" --yes
    bob account create --type jami --alias bob "${local_only[@]}" --yes
    wait_for 60 ready "$BUS_YOU"
    wait_for 60 ready "$BUS_BOB"
    YOU_ID=$(jami_id "$BUS_YOU") BOB_ID=$(jami_id "$BUS_BOB")
    printf '## Jami Configuration\n- Contacts:\n  - Alice (me): %s\n' "$YOU_ID" >>"$BOB_TOOLS"
}

pair_contacts() {
    # Adding a contact widens who may be reached: the user's yes again.
    you contact add "Bob Smith" "$BOB_ID" --alias bob --yes
    requested() { grep -q "$YOU_ID" <<<"$(quiet --bus "$BUS_BOB" --tools "$BOB_TOOLS" contact requests)"; }
    wait_for 20 requested || { quiet --bus "$BUS_YOU" --tools "$YOU_TOOLS" contact invite bob >/dev/null; wait_for 20 requested; }
    bob contact requests
    bob "accept the contact request from Alice"
    joined() { grep -q '"peer_role":"member"' <<<"$(quiet --bus "$BUS_YOU" --tools "$YOU_TOOLS" message read bob)"; }
    wait_for 30 joined
}
