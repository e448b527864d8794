#!/usr/bin/env bash
# jamictl --dry-run changes nothing and says what it would do; edits need
# --yes. Usage: dry_run_test.sh JAMICTL TOOLS_TEMPLATE
set -euo pipefail
jamictl=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$2" "$work/TOOLS.md"
cp "$2" "$work/original.md"
export XDG_STATE_HOME="$work/state"
run() { "$jamictl" --json --tools "$work/TOOLS.md" --bus "unix:path=$work/no-bus" "$@" || true; }
source "$(dirname "$0")/expect.sh"
expect "dry-run add" '"dry_run":true' "$(run --dry-run --yes contact add Carol 0123456789abcdef0123456789abcdef01234567)"
expect "dry-run remove" '"dry_run":true' "$(run --dry-run --yes contact remove Mom)"
expect "dry-run rename" '"dry_run":true' "$(run --dry-run --yes contact rename Mom Mama)"
cmp -s "$work/TOOLS.md" "$work/original.md" && pass || fail "a dry run changed TOOLS.md"
expect "add needs --yes" '"code":"confirmation_required"' "$(run contact add Carol 0123456789abcdef0123456789abcdef01234567)"
cmp -s "$work/TOOLS.md" "$work/original.md" && pass || fail "an unconfirmed add changed TOOLS.md"
expect "dry-run stranger" '"code":"not_allowed"' "$(run --dry-run call 9999999999999999999999999999999999999999)"
expect "dry-run call" '"would":"call Mom' "$(run --dry-run call mom)"
# A notify call's options, as the issue writes them: refused without
# "- Voice: on", else every one reaches the request.
expect "say needs voice" '"code":"voice_off"' "$(run --dry-run call mom --say hi)"
sed 's/^## Jami Configuration$/&\n- Voice: on/' "$work/TOOLS.md" >"$work/voice.md"
notify=$("$jamictl" --json --tools "$work/voice.md" --bus "unix:path=$work/no-bus" --dry-run \
    call mom --say "the build is broken" --repeat 2 --ask "did you get it?" --timeout 20 || true)
expect "notify call" '"args":{"ask":"did you get it?","contact":"mom","repeat":2.0,"say":"the build is broken","timeout_s":20.0}' "$notify"
expect "near miss" '"code":"unknown_contact"' "$(run call mon)"
expect "audit" '"action":"call.start"' "$(run audit --count 3)"
expect "add with --yes" '"added"' "$(run --yes contact add Carol 0123456789abcdef0123456789abcdef01234567)"
grep -q "Carol: 0123456789abcdef0123456789abcdef01234567" "$work/TOOLS.md" && pass || fail "the confirmed add is missing"
finish
