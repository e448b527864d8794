#!/usr/bin/env bash
# Builds the Debian package jami-skill_VERSION_ARCH.deb from a build tree
# (packaging/CMakeLists.txt: cpack -G DEB, dependencies by dpkg-shlibdeps)
# and prints its path on the last line.
#   scripts/package.sh [BUILD_DIR]     (default: build, configured if needed)
# The OpenClaw plugin goes in as `npm pack` makes it: from $PLUGIN_TGZ when
# set (the Debian 13 tree has no npm: scripts/debian13.sh packs it outside),
# else packed here with npm.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
command -v dpkg-shlibdeps >/dev/null || { echo "package: dpkg-shlibdeps is missing: apt-get install dpkg-dev" >&2; exit 1; }
if [[ -z ${PLUGIN_TGZ:-} ]]; then
    command -v npm >/dev/null || { echo "package: npm is missing (it packs the OpenClaw plugin): apt-get install npm" >&2; exit 1; }
    mkdir -p "$build/packaging"
    PLUGIN_TGZ=$(realpath "$build/packaging")/$(cd openclaw && npm pack --silent --pack-destination "$(realpath "../$build/packaging")" | tail -1)
fi
[[ -f $PLUGIN_TGZ ]] || { echo "package: no plugin package at $PLUGIN_TGZ" >&2; exit 1; }
[[ -f $build/CMakeCache.txt ]] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake -S . -B "$build" -DJAMI_SKILL_PLUGIN_TGZ="$(realpath "$PLUGIN_TGZ")" >/dev/null
cmake --build "$build" -j"$(nproc)" --target jamictl jami_skill_plugin jami_skill_unicode jamictl_man >/dev/null
(cd "$build" && cpack -G DEB -B packages >/dev/null)
deb=$(ls -t "$build"/packages/jami-skill_*.deb | head -1)
echo "$(realpath "$deb")"
