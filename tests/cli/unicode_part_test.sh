#!/usr/bin/env bash
# ICU is loaded only for names that are not all ASCII (the Unicode part,
# contacts/unicode/), and an install without the part still matches such
# names as written and says why it does no more. The dynamic loader's own
# log (LD_DEBUG=files) tells which libraries a run loaded.
# Usage: unicode_part_test.sh JAMICTL
set -euo pipefail
jamictl=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_STATE_HOME="$work/state"
source "$(dirname "$0")/expect.sh"
printf '## Jami Configuration\n- Contacts:\n  - Mom: 0123456789abcdef0123456789abcdef01234567\n' >"$work/ascii.md"
printf '## Jami Configuration\n- Contacts:\n  - Mom: 0123456789abcdef0123456789abcdef01234567\n  - 张三: 1123456789abcdef0123456789abcdef01234567\n' >"$work/han.md"
run() { "$jamictl" --json --tools "$work/$1" --bus "unix:path=$work/no-bus" "${@:2}" || true; }
loaded() { LD_DEBUG=files "$jamictl" --json --tools "$work/$1" --bus "unix:path=$work/no-bus" "${@:2}" 2>&1 >/dev/null |
    grep -c 'file=libicuuc' || true; }

expect "ascii book acts" '"would":"call Mom' "$(run ascii.md --dry-run call mom)"
[[ $(loaded ascii.md --dry-run call mom) == 0 ]] && pass || fail "an ASCII book and request loaded ICU"
expect "pinyin" '"match":"pinyin"' "$(run han.md --dry-run call zhangsan)"
[[ $(loaded han.md --dry-run call zhangsan) != 0 ]] && pass || fail "a Chinese name did not load ICU"
expect "no problem with the part" '"problems":[]' "$(run han.md contact list)"

# The same program and library without the part beside them.
mkdir -p "$work/bin" "$work/lib"
cp "$jamictl" "$work/bin/"
cp -a "$(dirname "$jamictl")"/../lib/libjami-skill.so* "$work/lib/"
jamictl=$work/bin/jamictl
expect "missing part said" "Unicode part (libjami-skill-unicode.so) is not installed" "$(run han.md contact list)"
expect "as written still matches" '"would":"call 张三' "$(run han.md --dry-run call 张三)"
expect "no pinyin without the part" '"code":"unknown_contact"' "$(run han.md --dry-run call zhangsan)"
expect "ascii unaffected" '"would":"call Mom' "$(run ascii.md --dry-run call MOM)"
finish
