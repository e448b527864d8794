#!/usr/bin/env bash
# The skill folder as OpenClaw/Clawdbot get it: its jamictl manual is what
# jamictl prints today (scripts/gen-reference.sh), SKILL.md keeps the rules
# the loaders read (one-line description under 160 characters, both metadata
# keys, one copy), the helpers run, and `cmake --install` lays out a small
# folder (well under 1 MB) with the plugin beside it.
#   skill_folder_test.sh JAMICTL SOURCE_DIR BUILD_DIR
set -euo pipefail
jamictl=$1 src=$2 build=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
folder=$src/openclaw/skills/jami  # skills/ at the top links here

diff <("$src/scripts/gen-reference.sh" "$jamictl") "$folder/references/jamictl.md" >/dev/null ||
    fail "references/jamictl.md is not what jamictl prints: run scripts/gen-reference.sh $jamictl > openclaw/skills/jami/references/jamictl.md"

description=$(sed -n 's/^description: //p' "$folder/SKILL.md")
[[ -n $description ]] || fail "SKILL.md has no description"
(( ${#description} < 160 )) || fail "the description has ${#description} characters (the docs ask for under 160)"
grep -q '"openclaw":{' "$folder/SKILL.md" || fail "no openclaw metadata"
grep -q '"clawdbot":{' "$folder/SKILL.md" || fail "no clawdbot metadata (Clawdbot ignores an openclaw-only block)"
[[ $(readlink -f "$src/SKILL.md") == $(readlink -f "$folder/SKILL.md") ]] || fail "SKILL.md at the top is not the skill folder's"
[[ $(readlink -f "$src/skills/jami") == $(readlink -f "$folder") ]] || fail "skills/jami at the top is not the plugin's skill folder"

for script in "$folder"/scripts/*.sh; do
    [[ -n $("$script" --help) ]] || fail "$script --help says nothing"
done

prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
installed=$prefix/share/jami-skill
for f in skills/jami/SKILL.md skills/jami/references/jamictl.md skills/jami/scripts/jami_caller.sh \
         openclaw/index.js openclaw/openclaw.plugin.json openclaw/skills/jami/SKILL.md; do
    [[ -e $installed/$f ]] || fail "cmake --install left out $f"
done
[[ -x $installed/skills/jami/scripts/jamilistener.sh ]] || fail "the helpers are not executable once installed"
size=$(du -sk "$installed/skills/jami" | cut -f1)
(( size < 1024 )) || fail "the installed skill folder is ${size} KB"
library=$(find "$prefix" -path "$prefix/lib*" -name libjami-skill.so.1)
[[ -n $library ]] || fail "no library beside the plugin"
# jamictl looks for its QR part in the library's directory's jami-skill/
# (JAMICTL_PARTS_DIR); drawing a code needs a jamid (setup.headless).
[[ -f $(dirname "$library")/jami-skill/libjamictl-qr.so ]] || fail "the QR part is not installed beside the library"
# The installed jamictl finds the installed Unicode part (pinyin needs ICU).
printf '## Jami Configuration\n- Contacts:\n  - 张三: 1123456789abcdef0123456789abcdef01234567\n' >"$prefix/han.md"
found=$(XDG_STATE_HOME="$prefix/state" "$prefix/bin/jamictl" --json --tools "$prefix/han.md" --dry-run call zhangsan || true)
[[ $found == *'"match":"pinyin"'* ]] || fail "the installed jamictl matched no pinyin (Unicode part not found?): $found"
echo "skill folder: ${size} KB installed; manual current; description ${#description} characters"
