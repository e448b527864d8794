#!/usr/bin/env bash
# setup.headless: a machine with no login session, no systemd and no session
# bus (what a container or a bare server gives), made an assistant on Jami by
# `jamictl daemon start` and `jamictl setup`, with Debian's real jamid:
#   - daemon start: a private bus and jamid (inside the lab's namespace, as
#     every jamid with a Jami account must be), found again through the bus
#     file by every later jamictl with nothing set; a second start says so;
#   - setup --dry-run creates nothing; setup --yes creates the account, waits
#     until it is on the (lab's) DHT, prints the Jami ID and a QR code (the
#     PNG decodes to the ID with zbarimg), completes an AGENTS.md's "## Tools"
#     without touching another byte, and adds the owner;
#   - the owner's "phone" (a jamid of the lab its own) adds the assistant
#     by that ID: accepted, and a message goes each way; a stranger's contact
#     request is left waiting; a second setup changes nothing;
#   - daemon stop: both processes gone, the bus file removed.
# Usage: headless_test.sh JAMICTL NLFIX   (env: the lab's JAMILAB_SCRIPT, JAMILAB_DIR, JAMILAB_BUS_B, _C)
set -euo pipefail
jamictl=$(realpath "$1")
nlfix=$(realpath "$2")
ns=$("$JAMILAB_SCRIPT" env "$JAMILAB_DIR" | sed -n 's/^JAMILAB_NETNS=//p')
[[ -n $ns ]] || { echo "no lab namespace" >&2; exit 1; }

work=$(mktemp -d /tmp/jskill-setup.XXXXXX)
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
# What both jamid said about the swarm, for a failure's message.
logs() {
    local f
    for f in "$work/state/jami-skill/jamid/jamid.log" "$JAMILAB_DIR/state/B/run/jamid.log"; do
        printf '\n--- %s (swarm lines, last 40)\n' "$f"
        grep -aiE "conversation|fetch|clone|sync|git|channel|ice" "$f" 2>/dev/null | tail -40
    done
}
cleanup() {
    assistant --json daemon stop >/dev/null 2>&1 || true
    [[ -z ${dht_pid:-} ]] || kill "$dht_pid" 2>/dev/null || true
    [[ ${KEEP_WORK:-0} == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT

# The assistant's machine: its own home and XDG dirs, and no bus in sight.
mkdir -p "$work"/{home,config,data,cache,state}
assistant() {
    env -u DBUS_SESSION_BUS_ADDRESS -u XDG_RUNTIME_DIR -u JAMI_SKILL_TOOLS -u OPENCLAW_WORKSPACE \
        HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
        XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state" "$jamictl" "$@"
}
# A DHT of this test's own, in the lab's namespace: later in a lab's life its
# DHT holds the nodes of dozens of accounts other tests made and removed,
# and a new account's contact requests and messages went to dead nodes.
dht_port=4242
ip netns exec "$ns" dhtnode -s -p "$dht_port" -n 0 >"$work/dhtnode.log" 2>&1 &
dht_pid=$!
for _ in $(seq 30); do
    grep -q ":$dht_port " <<<"$(ip netns exec "$ns" ss -uln)" && break
    sleep 0.5
done
grep -q ":$dht_port " <<<"$(ip netns exec "$ns" ss -uln)" || fail "no dhtnode on port $dht_port: $(cat "$work/dhtnode.log")"
# Settings of a Jami account that only talks to that dhtnode (jamid-lab.md).
lab_details=()
for kv in Account.hostname=127.0.0.1:$dht_port Account.proxyEnabled=false Account.proxyServer= Account.dhtProxyListUrl= \
          Account.upnpEnabled=false TURN.enable=false TURN.server= STUN.enable=false Account.peerDiscovery=false \
          Account.accountDiscovery=false Account.accountPublish=false RingNS.uri=http://127.0.0.1:1; do
    lab_details+=(--detail "$kv")
done

status=$(assistant --json daemon status || true)
[[ $(json 'd["ok"]' <<<"$status") == False && $(json 'd["bus_from"]' <<<"$status") == session ]] ||
    fail "jamid was reachable before daemon start: $status"
[[ $(json 'd["service"]' <<<"$status") == *"private bus"* ]] || fail "service: $status"
ok "no bus at all: daemon status says so and names the private bus"

started=$(LD_PRELOAD="$nlfix" ip netns exec "$ns" env -u DBUS_SESSION_BUS_ADDRESS -u XDG_RUNTIME_DIR \
    HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
    XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state" "$jamictl" --json daemon start)
[[ $(json 'd["running"] and d["started"]' <<<"$started") == True ]] || fail "daemon start: $started"
[[ $(json 'd["bus_from"]' <<<"$started") == "bus file" ]] || fail "not through the bus file: $started"
bus_file=$(json 'd["bus_file"]' <<<"$started")
[[ $(cat "$bus_file") == unix:path=* ]] || fail "bus file: $(cat "$bus_file")"
jamid_pid=$(cat "$(dirname "$bus_file")/jamid/jamid.pid")
[[ $(cat /proc/"$jamid_pid"/comm) == jamid ]] || fail "no jamid at pid $jamid_pid"
[[ $(ip netns identify "$jamid_pid") == "$ns" ]] || fail "jamid is not in the lab's namespace"
again=$(assistant --json daemon start)
[[ $(json 'd.get("already")' <<<"$again") == True ]] || fail "second start: $again"
ok "daemon start: a private bus and jamid in the namespace, found again through $bus_file"

# The owner's phone: a Jami account on the lab's jamid B, and a stranger on C.
phone() { "$jamictl" --bus "$JAMILAB_BUS_B" --tools "$work/phone.md" "$@"; }
stranger() { "$jamictl" --bus "$JAMILAB_BUS_C" --tools "$work/stranger.md" "$@"; }
printf '## Jami Configuration\n' >"$work/phone.md"
printf '## Jami Configuration\n' >"$work/stranger.md"
new_account() {  # new_account FUNCTION ALIAS: its account id, once it has a Jami ID
    local made id
    made=$("$1" --json account create --type jami --alias "$2" "${lab_details[@]}" --yes)
    id=$(json 'd["account"]["id"]' <<<"$made")
    for _ in $(seq 120); do
        [[ $("$1" --json account info "$id" | json 'd["account"]["status"]') == REGISTERED ]] && break
        sleep 0.5
    done
    [[ $("$1" --json account info "$id" | json 'd["account"]["status"]') == REGISTERED ]] ||
        fail "$2's account is not on the lab's DHT after 60 s: $("$1" --json account info "$id")"
    echo "$id"
}
phone_account=$(new_account phone "Owner's phone")
phone_id=$(phone --json account info "$phone_account" | json 'd["account"]["jami_id"]')
printf '## Jami Configuration\n- Account ID: %s\n' "$phone_account" >"$work/phone.md"
stranger_account=$(new_account stranger Stranger)
printf '## Jami Configuration\n- Account ID: %s\n' "$stranger_account" >"$work/stranger.md"
[[ $phone_id =~ ^[0-9a-f]{40}$ ]] || fail "the phone has no Jami ID"

# The user's AGENTS.md (OpenClaw's workspace file): setup writes under "## Tools".
agents="$work/AGENTS.md"
printf '# AGENTS.md\r\n\r\n## Tools\r\nBe careful with tools.\r\n\r\n## Memory\r\n- Contacts only: no (a note, not ours)\r\n' >"$agents"
cp "$agents" "$work/AGENTS.before"

dry=$(assistant --json --tools "$agents" --dry-run setup --owner "$phone_id" "${lab_details[@]}")
[[ $(json 'd["ok"] and d["dry_run"] and d["account"]["would"] == "create a Jami account"' <<<"$dry") == True ]] ||
    fail "dry run: $dry"
cmp -s "$agents" "$work/AGENTS.before" || fail "the dry run changed AGENTS.md"
[[ $(assistant --json account list | json 'len(d["accounts"])') == 0 ]] || fail "the dry run created an account"
ok "setup --dry-run: would create the account, created nothing"

# setup as a person runs it: it shows the ID, then waits for the owner's
# request while the phone scans; a stranger's request comes first.
assistant --tools "$agents" setup --yes --name "Test Assistant" --owner "$phone_id" --qr-file "$work/qr.png" \
    --wait-owner 90 "${lab_details[@]}" >"$work/setup.out" 2>&1 &
setup_pid=$!
for _ in $(seq 120); do
    assistant_id=$(sed -n "s/^The assistant's Jami ID: \([0-9a-f]\{40\}\).*/\1/p" "$work/setup.out")
    [[ -n $assistant_id ]] && break
    kill -0 "$setup_pid" 2>/dev/null || break
    sleep 0.5
done
[[ -n $assistant_id ]] || fail "setup never showed a Jami ID: $(cat "$work/setup.out")"
added=$(stranger --json contact add Assistant "$assistant_id" --yes || true)
[[ $(json 'd["ok"]' <<<"$added") == True ]] || fail "the stranger could not add the assistant: $added"
sleep 2
added=$(phone --json contact add Assistant "$assistant_id" --yes || true)  # what the app does with the scanned ID
[[ $(json 'd["ok"]' <<<"$added") == True ]] || fail "the phone could not add the assistant: $added"
wait "$setup_pid" || fail "setup failed: $(cat "$work/setup.out")"
sed 's/^/  | /' "$work/setup.out"
grep -q "█" "$work/setup.out" || fail "no QR code in the terminal"
grep -q "Accepted Owner's contact request" "$work/setup.out" || fail "the owner's request was not accepted"
decoded=$(zbarimg --raw -q "$work/qr.png" 2>/dev/null)
[[ $decoded == "$assistant_id" ]] || fail "the QR code reads '$decoded', not $assistant_id"
result=$(assistant --json --tools "$agents" setup --yes --owner "$phone_id" --qr-file "$work/qr.svg" "${lab_details[@]}")
[[ $(json 'd["jami_id"]' <<<"$result") == "$assistant_id" ]] || fail "another ID: $result"
# The SVG's squares drawn into a grey image (zbarimg reads no SVG here).
python3 - "$work/qr.svg" "$work/qr-svg.pgm" <<'SVG' || fail "the SVG has no QR code: $(head -c 300 "$work/qr.svg")"
import re, sys
svg = open(sys.argv[1]).read()
side = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
dark = {(int(x), int(y)) for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", svg)}
assert len(dark) > 100, len(dark)
scale = 8
rows = bytes(0 if (px // scale, py // scale) in dark else 255 for py in range(side * scale) for px in range(side * scale))
open(sys.argv[2], "wb").write(b"P5 %d %d 255\n" % (side * scale, side * scale) + rows)
SVG
decoded=$(zbarimg --raw -q "$work/qr-svg.pgm" 2>/dev/null)
[[ $decoded == "$assistant_id" ]] || fail "the SVG's QR code reads '$decoded', not $assistant_id"
[[ $(json 'd["registered"]' <<<"$result") == True ]] || fail "not registered: $result"
ok "setup: account created and registered, Jami ID shown with its QR code (PNG and SVG read back), the owner accepted"

# A second run changes nothing: the same account, nothing more written.
[[ $(json '"account_created" not in d and d["tools_md"]["written"] == []' <<<"$result") == True ]] ||
    fail "the second setup did something again: $result"
[[ $(assistant --json account list | json 'len(d["accounts"])') == 1 ]] || fail "a second account"
ok "a second setup: same account, nothing written"

# AGENTS.md: the section under "## Tools", every other byte as it was.
python3 - "$work/AGENTS.before" "$agents" <<'EOF' || fail "AGENTS.md: $(cat -A "$agents")"
import sys
before, after = (open(p, newline="").read() for p in sys.argv[1:])
lines = after.split("\r\n")
start = lines.index("### Jami Configuration")
end = start + 1
while lines[end]: end += 1
section = lines[start:end]
assert "- Contacts only: yes" in section and any(l.startswith("- Account ID: ") for l in section), section
assert "- Owner: Owner" in section and any(l.strip().startswith("- Owner: ") and len(l.split()[-1]) == 40 for l in section), section
assert lines.index("## Tools") < start < lines.index("## Memory"), lines
assert lines[end] == "" and "\r\n".join(lines[:start] + lines[end + 1:]) == before, (lines, before)  # the section and its blank line
EOF
ok "AGENTS.md: the section under ## Tools, every other byte kept"

stranger_id=$(stranger --json account info | json 'd["account"]["jami_id"]')
# Sent before the owner's, but the DHT may bring it later: a bounded wait.
for _ in $(seq 120); do
    requests=$(assistant --json --tools "$agents" contact requests)
    [[ $requests == *"$stranger_id"* ]] && break
    sleep 0.5
done
[[ $requests == *"$stranger_id"* ]] ||
    fail "the stranger's request is not waiting after 60 s: $requests; the stranger: $(stranger --json account info)"
[[ $requests != *"$phone_id"* ]] || fail "the owner's request is still waiting: $requests"
ok "the stranger's contact request left waiting"

# The phone writes once it has seen the assistant's join: a message sent
# before that commit reaches the joiner only at a later sync (jamid-lab.md
# §4, failure 5), which a person would see as a lost first message.
for _ in $(seq 120); do
    read=$(phone --json message read Assistant || true)
    [[ $read == *'"peer_role":"member"'* ]] && break
    sleep 0.5
done
[[ $read == *'"peer_role":"member"'* ]] || fail "the phone never saw the assistant join in 60 s: $read"
phone message send Assistant "hello from the phone" >/dev/null
sent_at=$SECONDS
# The swarm syncs over a new peer-to-peer link: seconds here, more on a busy machine.
for _ in $(seq 180); do
    read=$(assistant --json --tools "$agents" message read Owner || true)
    [[ $read == *"hello from the phone"* ]] && break
    sleep 0.5
done
[[ $read == *"hello from the phone"* ]] ||
    fail "the assistant did not get the phone's message in 90 s: $read; the phone's side: $(phone --json message read Assistant)$(logs)"
assistant --tools "$agents" message send Owner "hello from the assistant" >/dev/null
inbound=$((SECONDS - sent_at))
sent_at=$SECONDS
for _ in $(seq 180); do
    read=$(phone --json message read Assistant || true)
    [[ $read == *"hello from the assistant"* ]] && break
    sleep 0.5
done
[[ $read == *"hello from the assistant"* ]] ||
    fail "the phone did not get the assistant's message in 90 s: $read; the assistant's side: $(assistant --json --tools "$agents" message read Owner)$(logs)"
ok "a message each way between the phone and the assistant (${inbound} s in, $((SECONDS - sent_at)) s out)"

# A username is asked of the name server (the lab's is unreachable): setup
# stops there, says why and what to do, and keeps what it did.
named=$(assistant --json --tools "$agents" setup --yes --username lab_assistant "${lab_details[@]}" || true)
[[ $(json 'd["error"]["code"]' <<<"$named") == name_registration_failed ]] || fail "username: $named"
[[ $(json 'd["error"]["hint"]' <<<"$named") == *"name server"* ]] || fail "no hint: $named"
[[ $(json 'd["account"]["jami_id"]' <<<"$named") == "$assistant_id" ]] || fail "another account: $named"
ok "a username the name server cannot register: name_registration_failed, with a hint"

stopped=$(assistant --json daemon stop)
[[ $(json 'sorted(d["stopped"])' <<<"$stopped") == "['dbus', 'jamid']" ]] || fail "daemon stop: $stopped"
[[ ! -e $bus_file && ! -e /proc/$jamid_pid ]] || fail "jamid or the bus file is still there"
[[ $(assistant --json daemon status | json 'd["ok"]') == False ]] || fail "still reachable after stop"
ok "daemon stop: jamid and its bus gone, the bus file removed"
phone --json account remove "$phone_account" --yes >/dev/null || true
stranger --json account remove "$stranger_account" --yes >/dev/null || true
echo "setup.headless: all passed"
