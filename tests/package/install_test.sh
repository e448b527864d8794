#!/usr/bin/env bash
# The Debian package as a user gets it: installed with apt into a fresh
# minbase tree of SUITE (no compiler, no -dev package), then used there.
#   tests/package/install_test.sh DEB SUITE    (root: debootstrap, chroot)
# The minbase tree is made once (debootstrap from the machine's own mirror,
# kept in .cache/debian-base-SUITE) and copied afresh for every run.
set -euo pipefail
deb=$(realpath "$1")
suite=$2
cd "$(dirname "$0")/../.."
source scripts/debian-tree.sh
base=$PWD/.cache/debian-base-$suite
debian_tree "$suite" "$base" >"$base.log" 2>&1 || { tail -20 "$base.log"; exit 1; }

root=$(mktemp -d /tmp/jskill-$suite.XXXXXX)
cleanup() {
    umount "$root/proc" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT
cp -a "$base/." "$root/"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive bash -c "$1"; }
fail() { echo "FAIL ($suite): $*" >&2; exit 1; }
ok() { echo "ok ($suite) - $*"; }

in_root "apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends /tmp/$(basename "$deb")" |
    tail -3
ok "apt installed $(basename "$deb") and its dependencies"
in_root "! command -v g++ && ! command -v cc && ! command -v c++" >/dev/null || fail "a compiler is present"
dev=$(in_root "dpkg-query -W -f '\${Package}\n' | grep -- '-dev\$' || true")
[[ -z $dev ]] || fail "-dev packages present: $dev"
ok "no compiler, no -dev package"

version=$(in_root "jamictl --version")
[[ $version == *"jamictl 0."* && $version == *"/usr/bin/../lib/libjami-skill.so.1 (ABI 1)"* ]] || fail "--version: $version"
# One-shot checks read a whole output, never `producer | grep -q`: under
# pipefail, grep's early exit can kill the producer (SIGPIPE) and fail a
# check whose text is there (CI, 2026-12-05: "no manifest" for a tgz that had it).
grep -q "^  setup " <<<"$(in_root "jamictl --help")" || fail "--help lists no setup"
in_root "zcat /usr/share/man/man1/jamictl.1.gz" >"$root/tmp/installed.1"
in_root "jamictl --man" | cmp -s - "$root/tmp/installed.1" || fail "the man page is not jamictl's own table"
grep -q '^\.SH COMMANDS' "$root/tmp/installed.1" || fail "the man page has no commands"
ok "jamictl --version (the library at /usr/lib), --help, and its man page"

intent=$(in_root "jamictl --json intent 'call Bob'" || true)
[[ $intent == *'"intent":"call.start"'* ]] || fail "intent: $intent"
ok "the library understands a sentence there (its engine and ICU data)"

for f in /usr/share/jami-skill/skills/jami/SKILL.md /usr/share/jami-skill/openclaw/openclaw.plugin.json \
         /usr/share/jami-skill/openclaw/index.js /usr/lib/systemd/user/jami-skill-jamid.service; do
    [[ -f $root$f ]] || fail "missing $f"
done
ls "$root"/usr/share/jami-skill/openclaw/jami-skill-openclaw-jami-*.tgz >/dev/null || fail "no plugin package"
grep -q '^package/openclaw.plugin.json$' <<<"$(tar -tzf "$root"/usr/share/jami-skill/openclaw/jami-skill-openclaw-jami-*.tgz)" ||
    fail "the plugin package has no manifest"
ok "the skill folder, the OpenClaw plugin (and its npm package), the systemd user unit"

mkdir -p "$root/root/ws"
dry=$(in_root "cd /root/ws && jamictl --json --tools /root/ws/TOOLS.md setup --dry-run" || true)
[[ $dry == *'"code":"daemon_unavailable"'* && $dry == *"jamid is not installed"* && $dry == *"apt install jami-daemon"* ]] ||
    fail "setup --dry-run without jamid: $dry"
[[ ! -e $root/root/ws/TOOLS.md ]] || fail "the dry run made TOOLS.md"
ok "setup --dry-run --json: jamid is not installed, and how to get it; nothing written"
echo "package ($suite): all passed"
