#!/usr/bin/env bash
# Builds with -Werror and runs every test, including those on real jamid
# daemons (they need root for a private network namespace).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJAMI_SKILL_WERROR=ON
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure --timeout 600
