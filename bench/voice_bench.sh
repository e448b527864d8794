#!/usr/bin/env bash
# First audio of a notify call (call --say), as the callee hears it: a lab
# with two jamid daemons, each with its own PulseAudio (tests/harness/
# jamilab.sh); A speaks, B answers and B's speaker is recorded. Prints the
# median of N calls. Needs root (network namespace) and a built tree:
#   cmake --build build; then bench/voice_bench.sh [N] [--fresh-callee]
# --fresh-callee starts B's jamid again after every call: what a callee whose
# jamid has just started hears (docs/voice.md, How fast).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10 fresh=
for arg; do
    case $arg in
        --fresh-callee) fresh=1 ;;
        [0-9]*) runs=$arg ;;
        *) echo "usage: bench/voice_bench.sh [N] [--fresh-callee]" >&2; exit 2 ;;
    esac
done
lab=build/bench-voice-lab
command -v espeak-ng >/dev/null || { echo "needs espeak-ng (apt-get install espeak-ng)" >&2; exit 1; }
trap '[[ -n ${KEEP_LAB:-} ]] || tests/harness/jamilab.sh down "$lab" >/dev/null || true' EXIT
tests/harness/jamilab.sh up "$lab" --instances A,B --nlfix build/tests/nlfix.so >/dev/null
eval "$(tests/harness/jamilab.sh env "$lab")"
# B's ringtone goes to its silent sink: jamid rings on the callee's own
# speaker, which is what is recorded (ringtone energy is not speech).
outputs=$(dbus-send --bus="$JAMILAB_BUS_B" --print-reply --dest=cx.ring.Ring /cx/ring/Ring/ConfigurationManager \
    cx.ring.Ring.ConfigurationManager.getAudioOutputDeviceList | grep -o 'string "[^"]*"' | cut -d'"' -f2)
silence=$(printf '%s\n' "$outputs" | grep -nx silence | cut -d: -f1)
[[ -n $silence ]] || { echo "B has no silence sink" >&2; exit 1; }
dbus-send --bus="$JAMILAB_BUS_B" --print-reply --dest=cx.ring.Ring /cx/ring/Ring/ConfigurationManager \
    cx.ring.Ring.ConfigurationManager.setAudioRingtoneDevice int32:$((silence - 1)) >/dev/null
# A null sink no stream plays into produces nothing at its monitor, so a
# recording would skip the silences; a stream of zeros keeps B's speaker
# running, and the recording's time is the wall clock's.
PULSE_SERVER=$JAMILAB_PULSE_B pacat --playback -d nullsink --latency-msec=20 --raw --format=s16le --rate=16000 --channels=1 \
    </dev/zero & zeros=$!
trap 'kill $zeros 2>/dev/null; [[ -n ${KEEP_LAB:-} ]] || tests/harness/jamilab.sh down "$lab" >/dev/null || true' EXIT
work=$(mktemp -d)
restart=${fresh:+tests/harness/jamilab.sh respawn $lab B}
build/bench/voice_bench "$JAMILAB_BUS_A" "$JAMILAB_PULSE_A" "$JAMILAB_BUS_B" "$JAMILAB_PULSE_B" "$work" "$runs" \
    ${restart:+"$restart"}
[[ -n ${KEEP_WORK:-} ]] && echo "recordings in $work" || rm -rf "$work"
