#!/usr/bin/env bash
# Every test, as CI runs them (as root: the tests on real jamid daemons need a
# private network namespace). In order, each with its own build tree
# (CMakePresets.json):
#   1. default: -Werror build; unit, ABI, skill, CLI and real-jamid tests (ctest)
#   2. asan:    ASan+UBSan build; the tests without a daemon
#   3. tsan:    ThreadSanitizer build; the threaded tests without a daemon
#   4. fuzz:    clang libFuzzer targets, FUZZ_SECONDS each (default 45) from the seed corpora
#   5. debian13: the build and the tests without real jamid in a Debian 13 tree
#               (g++ 14, sdbus-c++ 2.1; scripts/debian13.sh, tree kept in .cache/)
#   6. packages: the Debian package built for Debian 12 (from step 1's tree)
#               and in the Debian 13 tree, each installed with apt into a
#               fresh minbase tree and used there (tests/package/install_test.sh)
# QUICK=1 runs step 1 only (for a quick local check; CI runs all six).
# NO_DEBIAN13=1 skips steps 5 and 6 (they need root: debootstrap, chroot).
# docs/testing.md says how long each step takes.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }

step "style (clang-format --dry-run -Werror)"
git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | grep -v '^tests/data/' | xargs clang-format --dry-run -Werror
echo "style: every C and C++ file as .clang-format says"

step "default build and tests"
cmake --preset default
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure --timeout 600
[[ ${QUICK:-0} == 1 ]] && exit 0

daemonless='^(unit|skill\.|abi\.c_contract|standin\.)'
step "ASan + UBSan"
cmake --preset asan >/dev/null
cmake --build build-asan -j"$jobs" --target unit_tests intents_door_only skill_contacts_test skill_trust_test skill_hostile_test skill_actions_test abi_c_test \
    jamid_standin standin_flows_test
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan -R "$daemonless" --output-on-failure --timeout 600

step "ThreadSanitizer"
cmake --preset tsan >/dev/null
cmake --build build-tsan -j"$jobs" --target skill_contacts_test skill_trust_test skill_hostile_test skill_actions_test \
    jamid_standin standin_flows_test
# tests/tsan.supp says why its one suppression is not a race.
TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/tsan.supp" \
    ctest --test-dir build-tsan -R '^(skill\.|standin\.)' --output-on-failure --timeout 600

step "libFuzzer"
cmake --preset fuzz >/dev/null
cmake --build build-fuzz -j"$jobs" --target sentence_fuzz tools_md_fuzz abi_fuzz
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
failed=0
for target in sentence tools_md abi; do
    cp -r "tests/fuzz/corpus/$target" "$corpus/$target"
    if build-fuzz/tests/${target}_fuzz -max_total_time="${FUZZ_SECONDS:-45}" -rss_limit_mb=2048 \
            -artifact_prefix="$corpus/$target-" "$corpus/$target" >"$corpus/$target.log" 2>&1; then
        echo "fuzz $target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$corpus/$target.log")"
    else
        failed=$((failed + 1))
        tail -40 "$corpus/$target.log"
        for crash in "$corpus/$target"-*; do [[ -e $crash ]] && { echo "crash input ($crash):"; xxd "$crash" | head -20; }; done
    fi
done
echo "fuzz: $((3 - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]

[[ ${NO_DEBIAN13:-0} == 1 ]] && exit 0
step "Debian 13: g++ 14, sdbus-c++ 2.1"
scripts/debian13.sh test

step "Debian packages, installed on fresh Debian 12 and 13"
tests/package/install_test.sh "$(scripts/package.sh build | tail -1)" bookworm
tests/package/install_test.sh "$(scripts/debian13.sh package | tail -1)" trixie
