#!/usr/bin/env bash
# libqrencode and zlib are jamictl's QR part (cli/qr_part/), loaded only by
# setup's QR code: no other command maps them. The dynamic loader's own log
# (LD_DEBUG=files) tells which libraries a run loaded. That the part draws
# codes a phone can read is setup.headless's (zbarimg reads them back).
# Usage: qr_part_test.sh JAMICTL
set -euo pipefail
jamictl=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_STATE_HOME="$work/state"
source "$(dirname "$0")/expect.sh"
printf '## Jami Configuration\n- Contacts:\n  - Mom: 0123456789abcdef0123456789abcdef01234567\n' >"$work/tools.md"
loads() {
    LD_DEBUG=files "$jamictl" --json --tools "$work/tools.md" --bus "unix:path=$work/no-bus" "${@:2}" 2>&1 >/dev/null |
        grep -c "file=$1" || true
}
part="$(dirname "$jamictl")/../lib/jami-skill/libjamictl-qr.so"
[[ -f $part ]] && pass || fail "the QR part is not built at $part"
exported=$(nm -D --defined-only "$part" | awk '{print $3}')
[[ $exported == jamictl_qr_part ]] && pass || fail "the QR part exports more than its entry: $exported"
for command in "--version" "--dry-run call mom" "account list"; do
    # shellcheck disable=SC2086  # the command's words
    [[ $(loads libqrencode $command) == 0 && $(loads libz.so $command) == 0 ]] && pass ||
        fail "jamictl $command loaded libqrencode or zlib"
done
# The part itself brings them (so the test above can tell).
[[ $(LD_DEBUG=files python3 -c "import ctypes; ctypes.CDLL('$part')" 2>&1 | grep -c "file=libqrencode" || true) != 0 ]] &&
    pass || fail "the QR part does not load libqrencode"
finish
