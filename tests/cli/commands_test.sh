#!/usr/bin/env bash
# jamictl's one command table (cli/commands.cpp) against the plugin's one
# action table: every action the plugin offers has a command; the printers
# chosen by the action show what a person expects; wrong usage exits 2.
# No jamid: the bus named does not exist. Usage: commands_test.sh JAMICTL TOOLS_TEMPLATE
set -euo pipefail
jamictl=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$2" "$work/TOOLS.md"
export XDG_STATE_HOME="$work/state"
run() { "$jamictl" --tools "$work/TOOLS.md" --bus "unix:path=$work/no-bus" "$@" 2>&1 || true; }
source "$(dirname "$0")/expect.sh"

# 1. Every action of the plugin has a jamictl command. daemon.start is
#    `daemon start` (daemon.status with start).
offered=$(run --json help | grep -o '"action":"[^"]*"' | sort -u)
commanded=$(run --json --help | grep -o '"action": *"[^"]*"' | tr -d ' ' | sort -u)
[[ -n $offered ]] || { echo "FAILED: the plugin's help lists no actions"; exit 1; }
for action in $offered; do
    [[ $action == '"action":"daemon.start"' ]] && continue
    grep -qxF "$action" <<<"$commanded" && pass || fail "no jamictl command sends $action (add a row to cli/commands.cpp)"
done
for action in $commanded; do
    [[ $action == '"action":""' ]] && continue
    grep -qxF "$action" <<<"$offered" && pass || fail "jamictl sends $action, which the plugin does not have"
done

# 2. The printer is the action's, for people.
expect "audit, empty" "The audit log is empty." "$(run audit)"
expect "contact list" "Contacts from $work/TOOLS.md:" "$(run contact list)"
expect "policy" "Contacts only: yes" "$(run policy)"
expect "intent" "intent: call.start (en)" "$(run intent call mom)"
expect "dry-run call" "Dry run: would call Mom" "$(run --dry-run call mom)"
expect "dry-run sentence" "understood as call.start (zh)" "$(run --dry-run 给妈妈打电话)"
expect "dry-run edit" "would change like this" "$(run --dry-run --yes contact rename Mom Mama)"
expect "help" "I understand" "$(run help)"
expect "no jamid" "[daemon_unavailable]" "$(run call list)"
expect "invite, no jamid" "[daemon_unavailable]" "$(run contact invite Mom)"

# 3. Wrong usage: exit status 2 and what to type.
usage() { local status=0; "$jamictl" --tools "$work/TOOLS.md" "$@" >/dev/null 2>"$work/err" || status=$?; echo "$status $(cat "$work/err")"; }
expect "account foo" "2 jamictl: account takes list, info, create, remove, enable, disable, register" "$(usage account foo)"
expect "call status a b" "2 jamictl: unexpected argument 'b'; usage: call status [CALL_ID]" "$(usage call status a b)"
expect "call list x" "2 jamictl: unexpected argument 'x'" "$(usage call list x)"
expect "dtmf" "2 jamictl: usage: dtmf DIGITS" "$(usage dtmf)"
# A command's usage is checked before the plugin loads.
expect "usage before load" "2 jamictl: usage: dtmf DIGITS" "$(JAMI_SKILL_PLUGIN=/nonexistent usage dtmf)"

# 4. The usage text is generated from the table: each command's synopsis is in it.
help_text=$("$jamictl" --help)
for synopsis in "account register NAME" "call guard CALL_ID" "message listen" "contact invite NAME" "events [--count N]"; do
    expect "--help lists $synopsis" "  $synopsis" "$help_text"
done

finish
