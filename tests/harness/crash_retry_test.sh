#!/usr/bin/env bash
# lab_suite.sh and `jamilab.sh crashed` on the real lab (docs/testing.md): a
# suite that fails after a lab jamid crashed (ended by SIGSEGV, as jamid 13.7
# does at call teardown) runs once more, on that jamid started again; a suite
# that fails after a jamid was killed (SIGKILL, a fault test's kill9: not a
# crash) is not run again, and fails. Uses jamid C, started again at the end
# for the tests after this one. Needs the lab fixture's environment.
set -uo pipefail
source "$(dirname "$0")/../cli/expect.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lab_suite=$(dirname "$0")/lab_suite.sh
bus_c="unix:path=$JAMILAB_DIR/state/C/run/bus.sock"
answers() {
    dbus-send --bus="$bus_c" --print-reply --reply-timeout=2000 --dest=cx.ring.Ring \
        /cx/ring/Ring/ConfigurationManager cx.ring.Ring.ConfigurationManager.getAccountList >/dev/null 2>&1
}
answers && pass || fail "jamid C does not answer before the test"

# A suite whose first run ends jamid C with $SIGNAL and fails; a later run
# passes when C answers.
cat >"$work/suite.sh" <<'SUITE'
#!/usr/bin/env bash
runs=$(($(cat "$WORK/runs" 2>/dev/null || echo 0) + 1))
echo "$runs" >"$WORK/runs"
if [[ $runs -eq 1 ]]; then
    "$JAMILAB_SCRIPT" signal "$JAMILAB_DIR" C "$SIGNAL"
    exit 1
fi
dbus-send --bus="unix:path=$JAMILAB_DIR/state/C/run/bus.sock" --print-reply --reply-timeout=5000 \
    --dest=cx.ring.Ring /cx/ring/Ring/ConfigurationManager cx.ring.Ring.ConfigurationManager.getAccountList >/dev/null
SUITE
chmod +x "$work/suite.sh"

# run SIGNAL: the suite under lab_suite.sh; sets status, runs and said.
run() {
    rm -f "$work/runs"
    said=$(WORK=$work SIGNAL=$1 "$lab_suite" "$work/suite.sh" 2>&1)
    status=$?
    runs=$(cat "$work/runs")
}

run SEGV
[[ $status -eq 0 && $runs -eq 2 ]] && pass || fail "after a SIGSEGV: status $status, $runs runs (want 0, 2): $said"
expect "the crash told" "jamid C (pid" "$said"
expect "its signal told" "crashed (SIGSEGV)" "$said"
answers && pass || fail "jamid C does not answer after the crash and the second run"
[[ -z $("$JAMILAB_SCRIPT" crashed "$JAMILAB_DIR" 2>/dev/null) ]] && pass || fail "a started-again jamid is still said to have crashed"

run KILL
[[ $status -ne 0 && $runs -eq 1 ]] && pass || fail "after a SIGKILL: status $status, $runs runs (want failure, 1): $said"
[[ $said != *crashed* ]] && pass || fail "a killed jamid was taken for a crash: $said"

"$JAMILAB_SCRIPT" respawn "$JAMILAB_DIR" C && answers && pass || fail "jamid C did not start again"
finish
