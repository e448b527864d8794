#!/usr/bin/env bash
# Builds jami-skill inside a Debian 13 (trixie) tree and runs the tests that
# need no jamid there: g++ 14 and sdbus-c++ 2.x, as Debian 13 users have them
# (Debian 13 packages no jamid, so the real-daemon tests stay on Debian 12).
#
# The tree is made once with debootstrap from the Debian mirror the machine's
# own apt sources name (never a hard-coded host) and kept in $DEBIAN13_ROOT
# (default .cache/debian13 in the checkout) for later runs.
# Usage: scripts/debian13.sh [tree|build|test]   (default: test = tree+build+test)
set -euo pipefail
cd "$(dirname "$0")/.."
root=${DEBIAN13_ROOT:-$PWD/.cache/debian13}
what=${1:-test}
packages=g++,cmake,make,pkg-config,libsdbus-c++-dev,libsystemd-dev,nlohmann-json3-dev,libyaml-cpp-dev,libre2-dev,libicu-dev,doctest-dev,libqrencode-dev,zlib1g-dev,dbus-daemon

# The first Debian archive URI in the apt sources (deb822 or one-line form).
mirror() {
    local uri
    uri=$(grep -rhoE '^URIs:[[:space:]]*[^[:space:]]+' /etc/apt/sources.list.d/*.sources 2>/dev/null |
          awk '{print $2}' | grep -v -- '-security' | head -1 || true)
    if [[ -z $uri ]]; then
        uri=$(grep -rhoE '^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+' /etc/apt/sources.list \
              /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $NF}' | grep -v -- '-security' | head -1 || true)
    fi
    [[ -n $uri ]] || { echo "debian13: no Debian mirror in the apt sources" >&2; exit 1; }
    echo "$uri"
}

make_tree() {
    if [[ -x $root/usr/bin/g++ && -e $root/usr/include/sdbus-c++/sdbus-c++.h ]]; then
        # A tree kept from before a package joined the list gets it added.
        [[ -e $root/usr/include/qrencode.h ]] ||
            chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin DEBIAN_FRONTEND=noninteractive \
                bash -c "apt-get update -q && apt-get install -y -q ${packages//,/ }"
        return 0
    fi
    command -v debootstrap >/dev/null || apt-get install -y debootstrap
    rm -rf "$root"
    mkdir -p "$root"
    debootstrap --variant=minbase --include="$packages" trixie "$root" "$(mirror)"
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
# Everything but the tests on real jamid daemons (none packaged in Debian 13):
# jamid.* and openclaw.live (its own two-jamid lab).
in_tree "ctest --test-dir /build -E '^(jamid|openclaw)\\.' --output-on-failure --timeout 600"
