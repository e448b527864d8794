#!/usr/bin/env bash
# lab_suite.sh SUITE [ARGS...]: runs one test suite on the shared jamid lab
# (JAMILAB_SCRIPT, JAMILAB_DIR); a second time only when it failed and a lab
# jamid died of jamid 13.7's hang-up race (`jamilab.sh raced`), once that
# jamid is started again. Any other failure, or a second one, fails.
set -uo pipefail
"$@"
rc=$?
[[ $rc -eq 0 ]] && exit 0
raced=$("$JAMILAB_SCRIPT" raced "$JAMILAB_DIR")
[[ -n $raced ]] || exit "$rc"
for name in $raced; do
    "$JAMILAB_SCRIPT" respawn "$JAMILAB_DIR" "$name" || exit "$rc"
done
echo "lab_suite: jamid $(echo $raced) crashed in jamid's own hang-up race (above), not in what this" \
     "suite checks; started again, the suite runs once more" >&2
"$@"
