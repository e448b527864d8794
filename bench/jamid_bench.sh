#!/usr/bin/env bash
# The skill's overhead on top of jamid, against the raw D-Bus method on the
# same bus: one-shot jamictl commands vs one-shot gdbus/dbus-send calls, and
# placing a call (jamictl call vs gdbus placeCallWithMedia), on a private lab
# jamid (tests/harness/jamilab.sh) with a SIPp UAS answering. Prints median
# milliseconds of N runs and the ratio. Needs root (network namespace) and a
# built tree: cmake --build build; then bench/jamid_bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-30}
lab=build/bench-lab
command -v gdbus >/dev/null || { echo "needs gdbus (apt-get install libglib2.0-bin)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
trap '[[ -n ${KEEP_LAB:-} ]] || tests/harness/jamilab.sh down "$lab" >/dev/null || true' EXIT
tests/harness/jamilab.sh up "$lab" --instances A --sipp 5070 --nlfix build/tests/nlfix.so >/dev/null
bus="unix:path=$root/$lab/state/A/run/bus.sock"
export XDG_STATE_HOME="$root/$lab/state"  # the call log of the runs below

# The benchmark places 60 calls to an address: a contact book that allows it
# (the default policy would refuse a stranger and stop at 10 calls an hour).
tools="$root/$lab/bench-tools.md"
# Mom is whom the in-process "call mom" resolves (without her, that figure
# timed an unknown_contact answer until 2026-12-06).
printf '## Jami Configuration\n- Contacts only: no\n- Max calls at once: 100\n- Calls per hour: 100000\n- Calls per hour per contact: 100000\n- Contacts:\n  - Mom: sip:service@198.18.0.1:5070\n' >"$tools"
jamictl() { build/bin/jamictl --tools "$tools" "$@"; }
jamictl=jamictl
jamictl_bin=build/bin/jamictl
account=$("$jamictl" --bus "$bus" --json --yes account create --type sip --alias bench \
    --detail SRTP.keyExchange= --detail Account.upnpEnabled=false --detail STUN.enable=false \
    --detail TURN.enable=false --detail Account.videoEnabled=false | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
target=sip:service@198.18.0.1:5070
media="[{'MEDIA_TYPE': 'MEDIA_TYPE_AUDIO', 'ENABLED': 'true', 'MUTED': 'false', 'SOURCE': '', 'LABEL': 'audio_0'}]"

# micros COMMAND...: one run's wall time in microseconds (output dropped).
# Read from bash's own clock: a $(date) around the command (as this script
# did until 2026-12-04) put a fork and exec of date inside every interval,
# ~1 ms added to both sides, which made every ratio look nearer 1.
micros() {
    local start=${EPOCHREALTIME/[.,]/}
    "$@" >/dev/null 2>&1 || true
    local end=${EPOCHREALTIME/[.,]/}
    echo $((end - start))
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'; }
# row LABEL OURS_ARRAY RAW_ARRAY: both commands $runs times, interleaved (one
# of ours, one raw, ...) after a warm-up of each, so that a busy moment of
# this shared machine weighs on both; prints the medians and their ratio.
row() {
    local -n ours_command=$2 raw_command=$3
    "${ours_command[@]}" >/dev/null 2>&1 || true
    "${raw_command[@]}" >/dev/null 2>&1 || true
    [[ -z ${after:-} ]] || $after
    local ours_times=() raw_times=()
    for _ in $(seq "$runs"); do
        ours_times+=("$(micros "${ours_command[@]}")")
        [[ -z ${after:-} ]] || $after
        raw_times+=("$(micros "${raw_command[@]}")")
        [[ -z ${after:-} ]] || $after
    done
    local a b
    a=$(median "${ours_times[@]}") b=$(median "${raw_times[@]}")
    printf '%-44s %9s %9s %7.2fx\n' "$1" "$a" "$b" "$(echo "$a / $b" | bc -l)"
    ! crashed || survive "the row above: its figures timed failures"
}
# jamid 13.7 can crash at a call's end (docs/jamid.md); a row during which it
# did is marked, and jamid started again for the rows after.
crashed() { [[ -n $(tests/harness/jamilab.sh crashed "$lab" 2>/dev/null) ]]; }
survive() {  # survive WHAT
    echo "  (jamid crashed during $1; jamid started again)"
    tests/harness/jamilab.sh respawn "$lab" A
    sleep 2  # the SIP account registers again
}
hangup_all() {  # not timed: end the call the run placed
    for id in $(gdbus call --address "$bus" --dest cx.ring.Ring --object-path /cx/ring/Ring/CallManager \
            --method cx.ring.Ring.CallManager.getCallList "" | grep -o "[0-9]\{6,\}"); do
        gdbus call --address "$bus" --dest cx.ring.Ring --object-path /cx/ring/Ring/CallManager \
            --method cx.ring.Ring.CallManager.hangUp "$account" "$id" >/dev/null
    done
}

printf '%-44s %9s %9s %8s   (median ms of %d runs, interleaved)\n' "one-shot command" "jamictl" "raw" "ratio" "$runs"
sleep 2  # the account just created settles (its SIP registration) before anything is timed
ours=("$jamictl" --bus "$bus" --json account list)
raw=(dbus-send --bus="$bus" --print-reply --dest=cx.ring.Ring /cx/ring/Ring/ConfigurationManager cx.ring.Ring.ConfigurationManager.getAccountList)
row "account list  vs  dbus-send getAccountList" ours raw
# The floor: the same calls as account list from a bare sdbus-c++ program
# (bench/stack_floor.cpp), what the chosen stack costs before the skill; and
# from C on sd-bus (stack_floor_c.c), what they cost without C++'s runtime.
ours=(build/bench/stack_floor "$bus")
row "  floor: its calls on bare sdbus-c++" ours raw
if [[ -x build/bench/stack_floor_c ]]; then
    ours=(build/bench/stack_floor_c "$bus")
    row "  floor: its calls from C on sd-bus" ours raw
fi
ours=("$jamictl" --bus "$bus" --json call list)
raw=(dbus-send --bus="$bus" --print-reply --dest=cx.ring.Ring /cx/ring/Ring/CallManager cx.ring.Ring.CallManager.getCallList string:)
row "call list  vs  dbus-send getCallList" ours raw
ours=("$jamictl" --bus "$bus" --json daemon)
raw=(dbus-send --bus="$bus" --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:cx.ring.Ring)
row "daemon  vs  dbus-send NameHasOwner" ours raw
after=hangup_all
ours=("$jamictl" --bus "$bus" --json call "$account" "$target")
raw=(gdbus call --address "$bus" --dest cx.ring.Ring --object-path /cx/ring/Ring/CallManager --method cx.ring.Ring.CallManager.placeCallWithMedia "$account" "$target" "$media")
row "call (SIP, placed)  vs  gdbus placeCallWithMedia" ours raw
ours=("$jamictl" --bus "$bus" --json call "$account" "$target" --wait answered --timeout 10)
row "call --wait answered  vs  gdbus placeCall..." ours raw
after=
echo

# Peak resident memory of one process (GNU time's %M, in kB): the median of
# a few runs, for the one-shots above.
peak_rss_kb() {
    local sizes=()
    for _ in 1 2 3 4 5; do sizes+=("$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)"); done
    printf '%s\n' "${sizes[@]}" | sort -n | sed -n 3p
}
printf '%-44s %9s %9s   (peak RSS, kB)\n' "one-shot memory" "jamictl" "raw"
printf '%-44s %9s %9s\n' "account list  vs  dbus-send getAccountList" \
    "$(peak_rss_kb "$jamictl_bin" --tools "$tools" --bus "$bus" --json account list)" \
    "$(peak_rss_kb dbus-send --bus="$bus" --print-reply --dest=cx.ring.Ring /cx/ring/Ring/ConfigurationManager cx.ring.Ring.ConfigurationManager.getAccountList)"
printf '%-44s %9s %9s\n' "call list  vs  dbus-send getCallList" \
    "$(peak_rss_kb "$jamictl_bin" --tools "$tools" --bus "$bus" --json call list)" \
    "$(peak_rss_kb dbus-send --bus="$bus" --print-reply --dest=cx.ring.Ring /cx/ring/Ring/CallManager cx.ring.Ring.CallManager.getCallList string:)"
printf '%-44s %9s\n' "--version (plugin loaded, nothing opened)" "$(peak_rss_kb "$jamictl_bin" --version)"
echo
in_process() { JAMI_SKILL_TOOLS="$tools" build/bench/skill_bench "$bus" "$account" "$target" "$runs"; }
if ! in_process; then
    crashed || exit 1
    survive "the in-process figures, which stopped at its failure; once more"
    in_process
fi
