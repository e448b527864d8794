#!/usr/bin/env bash
# lab_suite.sh SUITE [ARGS...]: runs one test suite on the shared jamid lab
# (JAMILAB_SCRIPT, JAMILAB_DIR); a second time only when it failed and a lab
# jamid crashed (`jamilab.sh crashed`: jamid 13.7 dies at call teardown),
# once that jamid is started again. Any other failure, or a second one, fails.
set -uo pipefail
"$@"
rc=$?
[[ $rc -eq 0 ]] && exit 0
crashed=$("$JAMILAB_SCRIPT" crashed "$JAMILAB_DIR")
[[ -n $crashed ]] || exit "$rc"
for name in $crashed; do
    "$JAMILAB_SCRIPT" respawn "$JAMILAB_DIR" "$name" || exit "$rc"
done
echo "lab_suite: jamid $(echo $crashed) crashed (above): a jamid bug, not what this suite checks;" \
     "started again, the suite runs once more" >&2
"$@"
