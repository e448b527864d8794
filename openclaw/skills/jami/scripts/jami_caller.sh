#!/usr/bin/env bash
# Calls a contact, optionally sends a message first, and hangs up after N
# seconds or as soon as the peer hangs up. One JSON object per step on stdout
# (jamictl's own results); exits non-zero if a step failed.
#
#   jami_caller.sh CONTACT [--message TEXT] [--hangup-after SECONDS] [--ring SECONDS] [jamictl options...]
#
# CONTACT is a name or alias from your contacts (jamictl --json contact list).
# --ring: how long to let it ring (default 30); --hangup-after: how long the
# call may last once answered (default 60). The policy's limits still apply:
# jamictl refuses what they do not allow.
set -euo pipefail
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
[[ $# -ge 1 && $1 != -h && $1 != --help ]] || usage $(( $# == 0 ))
contact=$1
shift
message="" hangup_after=60 ring=30 options=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --message) message=$2; shift 2 ;;
        --hangup-after) hangup_after=$2; shift 2 ;;
        --ring) ring=$2; shift 2 ;;
        *) options+=("$1"); shift ;;
    esac
done
jamictl=${JAMICTL:-jamictl}
run() { "$jamictl" --json "${options[@]}" "$@"; }
field() { sed -n 's/.*"'"$1"'":"\([^"]*\)".*/\1/p' | head -1; }

if [[ -n $message ]]; then
    run message send "$contact" "$message"
fi
placed=$(run call "$contact" --wait answered --timeout "$ring") || { echo "$placed"; exit 1; }
echo "$placed"
call_id=$(field call_id <<<"$placed")
for ((waited = 0; waited < hangup_after; waited++)); do
    status=$(run call status "$call_id" || true)
    if grep -q '"state":"ended"' <<<"$status"; then
        echo "$status"
        exit 0
    fi
    sleep 1
done
run hangup "$call_id"
