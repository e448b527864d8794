#!/usr/bin/env bash
# Installs everything jami-skill needs to build, test and demo, from Debian 12
# packages only. The one list of dependencies: .ci/run and the demo use it.
set -euo pipefail
if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: run as root (apt-get), e.g. sudo $0" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y \
    g++ cmake make pkg-config binutils \
    libsdbus-c++-dev libsystemd-dev \
    nlohmann-json3-dev libyaml-cpp-dev libre2-dev libicu-dev doctest-dev libqrencode-dev zlib1g-dev \
    jami-daemon dbus-daemon dbus-bin iproute2 dhtnode sip-tester \
    libglib2.0-bin bc time \
    clang clang-format xxd debootstrap dpkg-dev file   # clang-format: the style check; gdbus, bc and time: the raw D-Bus baseline and peak RSS of bench/jamid_bench.sh; clang: the libFuzzer targets; debootstrap: the Debian 13 step and the package tests; dpkg-dev, file: the Debian package (cpack, dpkg-shlibdeps)
# npm fetches node 24 and OpenClaw for the OpenClaw tests (scripts/openclaw-env.sh).
command -v npm >/dev/null || apt-get install -y npm
# A null-sink PulseAudio for the test daemons (no sound card here), and
# pactl/paplay/parec: the lab gives each daemon its own sinks with them.
apt-get install -y --no-install-recommends pulseaudio pulseaudio-utils
# The assistant's voice in calls: speech (English; Mandarin via cmn-latn-pinyin),
# and a spoken yes or no heard back (English).
apt-get install -y --no-install-recommends espeak-ng pocketsphinx pocketsphinx-en-us
# OpenClaw's local text to speech makes telephony PCM with ffmpeg (the
# OpenClaw test speaks a notify call with it).
apt-get install -y --no-install-recommends ffmpeg
# setup's QR code, read back from its PNG in setup.headless.
apt-get install -y --no-install-recommends zbar-tools
