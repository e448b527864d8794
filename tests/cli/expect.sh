# Sourced by the jamictl shell tests: counts the checks, says what failed.
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }
# expect WHAT FRAGMENT OUTPUT: passes when OUTPUT contains FRAGMENT.
expect() { if [[ $3 == *"$2"* ]]; then pass; else fail "$1 -- got: $3"; fi; }
# The summary line; the status says whether every check passed.
finish() {
    echo "$passed passed, $failed failed"
    [[ $failed -eq 0 ]]
}
