#!/usr/bin/env bash
# What a one-shot natural-language command costs before jamid is contacted:
# `jamictl intent TEXT` (understands and resolves the contact, never acts)
# as a fresh process, beside `jamictl --version` (process start and plugin
# load), interleaved, median of RUNS. No jamid, no root.
#   bench/sentence_oneshot.sh [JAMICTL] [OTHER_JAMICTL]   (OTHER: e.g. an older build, side by side)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jamictl="${1:-$root/build/bin/jamictl}"
other="${2:-}"
runs="${RUNS:-30}"
tools="$root/tests/data/contacts.md"
ms() {  # one run, in microseconds
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
}
median() { sort -n | awk '{a[NR]=$1} END {printf "%8.2f", a[int((NR+1)/2)]/1000}'; }
cases=("--version" "intent|call mom" "intent|给妈妈打电话" "intent|send Bob Smith running late" "intent|cal mom")
declare -A samples
for ((i = 0; i < runs; i++)); do
    for c in "${cases[@]}"; do
        for bin in "$jamictl" ${other:+"$other"}; do
            if [[ $c == --version ]]; then t=$(ms "$bin" --version)
            else t=$(ms "$bin" --tools "$tools" "${c%%|*}" "${c#*|}"); fi
            samples["$bin|$c"]+="$t "
        done
    done
done
printf '%-46s %10s%s   (median ms of %d fresh processes)\n' "command" "jamictl" "${other:+     other}" "$runs"
for c in "${cases[@]}"; do
    label="jamictl ${c/|/ \"}"; [[ $c == *"|"* ]] && label+='"'
    printf '%-46s' "$label"
    for bin in "$jamictl" ${other:+"$other"}; do tr ' ' '\n' <<<"${samples["$bin|$c"]}" | grep . | median; printf '  '; done
    echo
done
