#!/usr/bin/env bash
# Builds jami-skill inside a Debian 13 (trixie) tree and runs the tests that
# need no jamid there: g++ 14 and sdbus-c++ 2.x, as Debian 13 users have them
# (Debian 13 packages no jamid, so the real-daemon tests stay on Debian 12).
#
# The tree is made once with debootstrap from the Debian mirror the machine's
# own apt sources name (never a hard-coded host) and kept in $DEBIAN13_ROOT
# (default .cache/debian13 in the checkout) for later runs.
# Usage: scripts/debian13.sh [tree|build|test|package]
#   test (default): tree+build+test; package: tree+build, then the Debian
#   package built there (scripts/package.sh), its host path on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${DEBIAN13_ROOT:-$PWD/.cache/debian13}
what=${1:-test}
packages=g++,cmake,make,pkg-config,libsdbus-c++-dev,libsystemd-dev,nlohmann-json3-dev,libyaml-cpp-dev,libre2-dev,libicu-dev,doctest-dev,libqrencode-dev,zlib1g-dev,dbus-daemon,dpkg-dev,file

source scripts/debian-tree.sh

make_tree() {
    if [[ -x $root/usr/bin/g++ && -e $root/usr/include/sdbus-c++/sdbus-c++.h ]]; then
        # A tree kept from before a package joined the list gets it added.
        [[ -e $root/usr/include/qrencode.h && -x $root/usr/bin/dpkg-shlibdeps && -x $root/usr/bin/file ]] ||
            chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin DEBIAN_FRONTEND=noninteractive \
                bash -c "apt-get update -q && apt-get install -y -q ${packages//,/ }"
        return 0
    fi
    command -v debootstrap >/dev/null || apt-get install -y debootstrap
    rm -rf "$root"
    mkdir -p "$root"
    debootstrap --variant=minbase --include="$packages" trixie "$root" "$(debian_mirror)"
}

in_tree() {
    # The checkout is bind-mounted read-write at /src; the build tree stays in the chroot.
    mkdir -p "$root/src"
    mountpoint -q "$root/src" || mount --bind "$PWD" "$root/src"
    mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
    trap 'umount "$root/src" "$root/proc" 2>/dev/null || true' EXIT
    chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root bash -c "cd /src && $1"
}

make_tree
[[ $what == tree ]] && exit 0
in_tree "cmake -S . -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJAMI_SKILL_WERROR=ON >/dev/null && cmake --build /build -j$(nproc)"
[[ $what == build ]] && exit 0
if [[ $what == package ]]; then
    # The plugin's npm package is made here, outside (the tree has no npm).
    tgz=$(ls build/packaging/jami-skill-openclaw-jami-*.tgz 2>/dev/null | head -1 || true)
    if [[ -z $tgz ]]; then
        mkdir -p build/packaging
        tgz=build/packaging/$(cd openclaw && npm pack --silent --pack-destination ../build/packaging | tail -1)
    fi
    deb=$(in_tree "PLUGIN_TGZ=/src/$tgz scripts/package.sh /build" | tail -1)
    echo "$root$deb"
    exit 0
fi
# Everything but the tests on real jamid daemons (none packaged in Debian 13):
# jamid.*, setup.headless (Debian 12's jamid in the lab) and openclaw.*.
in_tree "ctest --test-dir /build -E '^(jamid|openclaw|setup)\\.' --output-on-failure --timeout 600"
