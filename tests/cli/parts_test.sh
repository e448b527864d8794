#!/usr/bin/env bash
# Parts (base/part.hpp): what few requests need is loaded by the first that
# does. ICU is the contact book's Unicode part (contacts/unicode/), loaded by
# the first name that is not all ASCII; RE2 is the sentence engine's part
# (intents/part/), loaded by the first sentence; libqrencode and zlib are
# jamictl's QR part (cli/qr_part/), loaded by setup's QR code. Requests
# naming their action never map them. Without the Unicode part such names
# still match as written, and the book says why it does no more; without the
# engine's part a sentence gets plugin_unavailable while everything else
# works. The dynamic loader's own log (LD_DEBUG=files) tells which libraries
# a run loaded. (That the QR part draws codes a phone reads: setup.headless,
# with zbarimg.) jamictl itself starts without iostreams.
# Usage: parts_test.sh JAMICTL
set -euo pipefail
jamictl=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_STATE_HOME="$work/state"
source "$(dirname "$0")/expect.sh"
printf '## Jami Configuration\n- Contacts:\n  - Mom: 0123456789abcdef0123456789abcdef01234567\n' >"$work/tools.md"
printf '## Jami Configuration\n- Contacts:\n  - Mom: 0123456789abcdef0123456789abcdef01234567\n  - 张三: 1123456789abcdef0123456789abcdef01234567\n' >"$work/han.md"
# run [BOOK] ARG...: jamictl with tools.md (or han.md), on a bus nobody serves.
run() {
    local book=tools.md
    [[ $1 == *.md ]] && { book=$1; shift; }
    "$jamictl" --json --tools "$work/$book" --bus "unix:path=$work/no-bus" "$@" || true
}
# loads LIBRARY [BOOK] ARG...: how many times that run loaded LIBRARY.
loads() {
    local library=$1 book=tools.md
    shift
    [[ $1 == *.md ]] && { book=$1; shift; }
    LD_DEBUG=files "$jamictl" --json --tools "$work/$book" --bus "unix:path=$work/no-bus" "$@" 2>&1 >/dev/null |
        grep -c "file=$library" || true
}
parts="$(dirname "$jamictl")/../lib/jami-skill"
for part in libjamictl-qr.so:jamictl_qr_part libjami-skill-intents.so:jskill_intents_part; do
    file=$parts/${part%%:*}
    [[ -f $file ]] || { fail "no part at $file"; continue; }
    exported=$(nm -D --defined-only "$file" | awk '{print $3}')
    [[ $exported == "${part#*:}" ]] && pass || fail "$file exports more than its entry: $exported"
done

for command in "--version" "--dry-run call mom" "account list"; do
    # shellcheck disable=SC2086  # the command's words
    [[ $(loads libqrencode $command) == 0 && $(loads libz.so $command) == 0 ]] && pass ||
        fail "jamictl $command loaded libqrencode or zlib"
    # shellcheck disable=SC2086
    [[ $(loads libre2 $command) == 0 ]] && pass || fail "jamictl $command loaded RE2"
    # shellcheck disable=SC2086
    [[ $(loads libicuuc $command) == 0 ]] && pass || fail "jamictl $command with an ASCII book loaded ICU"
done
expect "pinyin" '"match":"pinyin"' "$(run han.md --dry-run call zhangsan)"
[[ $(loads libicuuc han.md --dry-run call zhangsan) != 0 ]] && pass || fail "a Chinese name did not load ICU"
expect "no problem with the Unicode part" '"problems":[]' "$(run han.md contact list)"
[[ $(loads libre2 --dry-run "please ring mom") != 0 ]] && pass || fail "a sentence did not load the engine's part"
expect "a sentence understood" '"would":"call Mom' "$(run --dry-run "please ring mom")"
# The parts themselves need those libraries (so the checks above can tell).
needed() { readelf -d "$parts/$1" | grep -c "NEEDED.*$2" || true; }
[[ $(needed libjamictl-qr.so libqrencode) != 0 ]] && pass || fail "the QR part does not need libqrencode"
[[ $(needed libjami-skill-intents.so libre2) != 0 ]] && pass || fail "the engine's part does not need RE2"
# jamictl prints through stdio (cli/output.hpp): nothing in it includes
# <iostream>, whose start-up (the C++ locale, eight streams) every one-shot
# paid before main.
undefined=$(nm -D --undefined-only "$jamictl")
[[ $undefined != *_ZNSt8ios_base4InitC1Ev* ]] && pass || fail "jamictl runs std::ios_base::Init: a file includes <iostream>"

# The same program and library without the parts beside them.
mkdir -p "$work/bin" "$work/lib"
cp "$jamictl" "$work/bin/"
cp -a "$(dirname "$jamictl")"/../lib/libjami-skill.so* "$work/lib/"
jamictl=$work/bin/jamictl
expect "no Unicode part said" "Unicode part (libjami-skill-unicode.so) is not installed" "$(run han.md contact list)"
expect "as written still matches" '"would":"call 张三' "$(run han.md --dry-run call 张三)"
expect "no pinyin without the part" '"code":"unknown_contact"' "$(run han.md --dry-run call zhangsan)"
expect "ascii unaffected" '"would":"call Mom' "$(run --dry-run call MOM)"
expect "no engine said" '"code":"plugin_unavailable"' "$(run --dry-run "please ring mom")"
expect "which file" "sentence engine (libjami-skill-intents.so) is not installed" "$(run --dry-run "please ring mom")"
expect "named actions work" '"would":"call Mom' "$(run --dry-run call mom)"
expect "help lists the actions" '"action":"call.start"' "$(run help)"
expect "help says why no sentences" '"problems":["no sentences: ' "$(run help)"
finish
