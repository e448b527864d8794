#!/usr/bin/env bash
# jamilab: real jamid daemons for tests, isolated from the machine and the net.
#
#   jamilab.sh up DIR [--instances A,B] [--bare NAME] [--dhtnode] [--sipp PORT] [--nlfix PATH]
#       --bare NAME adds a bus with no jamid on it (for "daemon not running").
#       --sipp PORT runs a SIPp UAS (answers, echoes RTP) at 198.18.0.1:PORT.
#       --activatable NAME adds a bus where jamid is not running but can be
#       started by D-Bus activation (a cx.ring.Ring service file).
#   jamilab.sh down DIR
#   jamilab.sh env DIR              print the variables tests read
#   jamilab.sh kill9 DIR NAME       SIGKILL one jamid (fault tests)
#   jamilab.sh signal DIR NAME SIG  send that signal (SEGV: a crash, as jamid 13.7's) and wait for its end
#   jamilab.sh respawn DIR NAME     start that jamid again on the same bus and dirs
#   jamilab.sh crashed DIR          the jamids that crashed (SIGSEGV and the like:
#                                   jamid 13.7 at call teardown, below), a name per line; evidence on stderr
#
# What "up" builds (facts from ../shared/notes/jamid-lab.md):
#   - a private network namespace with lo and one link-less device carrying
#     198.18.0.1/32 (TEST-NET, no route out): ICE needs a non-loopback
#     address, and nothing can leave the namespace;
#   - per instance its own PulseAudio (a null sink "nullsink" as speaker, and
#     a "silence" sink whose monitor is the default microphone): a call does
#     not spin a core, and no daemon hears another's speaker (with one shared
#     server every microphone was the shared sink's monitor: each daemon
#     heard every other, ../shared/notes/jami-media.md section 7);
#   - optionally a local dhtnode on 127.0.0.1:4222 as the only DHT bootstrap;
#   - per instance: its own dbus-daemon (unix:path= socket, reachable from the
#     host namespace) and its own XDG dirs, and jamid -p under LD_PRELOAD of
#     nlfix.so (the kernel netlink hang in jamid's pjlib).
# Every wait is a bounded poll. "down" stops only what "up" started, from the
# pid files it wrote. Needs root (ip netns).
set -euo pipefail
source "$(dirname "$0")/bus_conf.sh"

die() { echo "jamilab: $*" >&2; exit 1; }
[[ $# -ge 2 ]] || die "usage: jamilab.sh up|down|env|kill9|signal|respawn|crashed DIR [...]"
command=$1; dir=$(realpath -m "$2"); shift 2

state="$dir/state"
netns_name() { echo "jsk-$(echo -n "$dir" | md5sum | cut -c1-10)"; }
ns=$(netns_name)
address=198.18.0.1

alive() {  # pid running and not a zombie
    local pid=$1
    [[ -r /proc/$pid/status ]] || return 1
    ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status"
}

wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND...
    local seconds=$1 what=$2; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        (( SECONDS < deadline )) || { echo "jamilab: timed out after ${seconds}s waiting for $what" >&2; return 1; }
        sleep 0.05
    done
}

start_bg() {  # start_bg PIDFILE LOG COMMAND...   (exact pid: setsid and ip netns exec both exec)
    local pidfile=$1 log=$2; shift 2
    setsid "$@" >"$log" 2>&1 </dev/null &
    echo $! >"$pidfile"
}

stop_pid() {  # stop_pid PIDFILE: TERM, 5 s grace, then KILL
    local pidfile=$1 pid
    [[ -f $pidfile ]] || return 0
    pid=$(cat "$pidfile")
    if alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        local deadline=$((SECONDS + 5))
        while alive "$pid" && (( SECONDS < deadline )); do sleep 0.05; done
        alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
        deadline=$((SECONDS + 5))
        while alive "$pid" && (( SECONDS < deadline )); do sleep 0.05; done
    fi
    rm -f "$pidfile"
}

jamid_ready() {  # jamid_ready NAME: getAccountList answers on its bus
    dbus-send --bus="unix:path=$state/$1/run/bus.sock" --print-reply --reply-timeout=2000 \
        --dest=cx.ring.Ring /cx/ring/Ring/ConfigurationManager \
        cx.ring.Ring.ConfigurationManager.getAccountList
}

start_jamid() {  # start_jamid NAME
    local name=$1 d="$state/$1"
    local nlfix; nlfix=$(cat "$state/nlfix")
    # No core file: a crashing jamid spent >10 s writing one, answering
    # nothing meanwhile (its crash is told by crashed, below).
    ulimit -c 0
    # A keeper shell waits for jamid and writes how it ended (its wait
    # status: 128+N for signal N) to jamid.exit: a crash tells itself
    # apart from a test's kill9 or a clean stop (crashed, below).
    rm -f "$d/run/jamid.pid" "$d/run/jamid.exit"
    start_bg "$d/run/keeper.pid" "$d/run/jamid.log" \
        ip netns exec "$ns" /usr/bin/env \
        HOME="$d/home" XDG_CONFIG_HOME="$d/config" XDG_DATA_HOME="$d/data" XDG_CACHE_HOME="$d/cache" \
        XDG_RUNTIME_DIR="$d/run" DBUS_SESSION_BUS_ADDRESS="unix:path=$d/run/bus.sock" \
        PULSE_SERVER="unix:$d/pulse/native" LD_PRELOAD="$nlfix" \
        /bin/bash -c '"$@" & echo $! >"$0/jamid.pid"; wait $!; echo $? >"$0/jamid.exit"' "$d/run" \
        /usr/libexec/jamid -c -d -p
    wait_until 5 "jamid $name to start" test -s "$d/run/jamid.pid"
    wait_until 30 "jamid $name to answer on D-Bus" jamid_ready "$name" || {
        tail -20 "$d/run/jamid.log" >&2 || true
        return 1
    }
}

pulse_ready() {  # pulse_ready NAME: its server answers and has its two sinks
    grep -q silence <<<"$(PULSE_SERVER="unix:$state/$1/pulse/native" pactl list short sinks)"
}

start_pulse() {  # start_pulse NAME: the sound server of one instance
    local name=$1 d="$state/$1"
    mkdir -p "$d/pulse"
    start_bg "$d/pulse.pid" "$d/pulse.log" \
        ip netns exec "$ns" /usr/bin/env HOME="$d/pulse" XDG_RUNTIME_DIR="$d/pulse" \
        XDG_CONFIG_HOME="$d/pulse" \
        pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit -F /dev/null \
        --use-pid-file=no --load="module-null-sink sink_name=nullsink" \
        --load="module-null-sink sink_name=silence sink_properties=device.description=silence" \
        --load="module-native-protocol-unix auth-anonymous=1 socket=$d/pulse/native"
    wait_until 15 "PulseAudio of $name" pulse_ready "$name"
    PULSE_SERVER="unix:$d/pulse/native" pactl set-default-sink nullsink
    PULSE_SERVER="unix:$d/pulse/native" pactl set-default-source silence.monitor
}

start_instance() {  # start_instance NAME [bare|activatable]
    local name=$1 mode=${2:-} d="$state/$1"
    mkdir -p "$d"/{config,data,cache,run,home,services}
    chmod 700 "$d/run"
    start_pulse "$name"
    if [[ $mode == activatable ]]; then
        # The activated jamid inherits the bus daemon's environment (below).
        cat >"$d/services/cx.ring.Ring.service" <<SERVICE
[D-BUS Service]
Name=cx.ring.Ring
Exec=/usr/bin/env LD_PRELOAD=$(cat "$state/nlfix") /usr/libexec/jamid -c -d -p
SERVICE
    fi
    bus_conf "$d/run/bus.sock" "$d/services" >"$d/bus.conf"
    start_bg "$d/run/bus.pid" "$d/run/bus.log" \
        ip netns exec "$ns" /usr/bin/env \
        HOME="$d/home" XDG_CONFIG_HOME="$d/config" XDG_DATA_HOME="$d/data" XDG_CACHE_HOME="$d/cache" \
        XDG_RUNTIME_DIR="$d/run" PULSE_SERVER="unix:$d/pulse/native" \
        dbus-daemon --config-file="$d/bus.conf" --nofork --nopidfile
    wait_until 10 "the D-Bus daemon of $name" test -S "$d/run/bus.sock"
    echo "$name" >>"$state/instances"
    [[ -n $mode ]] || start_jamid "$name"
}

up() {
    local instances=A dhtnode=0 nlfix="" bare="" sipp="" activatable=""
    while [[ $# -gt 0 ]]; do
        case $1 in
            --instances) instances=$2; shift 2 ;;
            --dhtnode) dhtnode=1; shift ;;
            --bare) bare=$2; shift 2 ;;
            --sipp) sipp=$2; shift 2 ;;
            --activatable) activatable=$2; shift 2 ;;
            --nlfix) nlfix=$2; shift 2 ;;
            *) die "unknown option $1" ;;
        esac
    done
    [[ $(id -u) -eq 0 ]] || die "needs root for 'ip netns' (CI runs as root)"
    [[ -n $nlfix && -f $nlfix ]] || die "--nlfix PATH to the built nlfix.so is required"
    for tool in ip dbus-daemon dbus-send pulseaudio pactl /usr/libexec/jamid; do
        command -v "$tool" >/dev/null || die "missing $tool: run .ci/run or see README (install step)"
    done
    [[ -e $state ]] && down
    mkdir -p "$state"
    realpath "$nlfix" >"$state/nlfix"
    : >"$state/instances"
    trap 'echo "jamilab: setup failed; tearing down" >&2; down' ERR

    ip netns add "$ns"
    echo "$ns" >"$state/netns"
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" ip link add jl0 type dummy 2>/dev/null ||
        ip netns exec "$ns" ip link add jl0 type ifb      # kernels without 'dummy'
    ip netns exec "$ns" ip link set jl0 up
    ip netns exec "$ns" ip addr add "$address/32" dev jl0

    if [[ $dhtnode -eq 1 ]]; then
        start_bg "$state/dhtnode.pid" "$state/dhtnode.log" \
            ip netns exec "$ns" dhtnode -s -p 4222 -n 0
        wait_until 15 "dhtnode on port 4222" sh -c "ip netns exec '$ns' ss -uln | grep -q ':4222 '"
    fi

    if [[ -n $sipp ]]; then
        command -v sipp >/dev/null || die "missing sipp: install the package sip-tester"
        start_bg "$state/sipp.pid" "$state/sipp.log" \
            ip netns exec "$ns" sipp -sn uas -i "$address" -p "$sipp" -mi "$address" -mp 6000 -rtp_echo \
            -nostdin -trace_err -error_file "$state/sipp-errors.log"
        wait_until 15 "sipp on port $sipp" sh -c "ip netns exec '$ns' ss -uln | grep -q '$address:$sipp '"
        echo "$sipp" >"$state/sipp.port"
    fi

    IFS=, read -r -a names <<<"$instances"
    for name in "${names[@]}"; do start_instance "$name"; done
    [[ -z $bare ]] || start_instance "$bare" bare
    [[ -z $activatable ]] || start_instance "$activatable" activatable
    trap - ERR
    env_vars
}

env_vars() {
    echo "JAMILAB_NETNS=$ns"
    echo "JAMILAB_ADDRESS=$address"
    [[ -f $state/dhtnode.pid ]] && echo "JAMILAB_DHT=127.0.0.1:4222"
    [[ -f $state/sipp.port ]] && echo "JAMILAB_SIPP=sip:service@$address:$(cat "$state/sipp.port")"
    if [[ -f $state/instances ]]; then
        while read -r name; do
            echo "JAMILAB_BUS_$name=unix:path=$state/$name/run/bus.sock"
            echo "JAMILAB_PULSE_$name=unix:$state/$name/pulse/native"
        done <"$state/instances"
    fi
}

activated_pid() {  # a jamid the bus started by activation has no pid file yet
    local name=$1 pid
    [[ -f $state/$name/run/jamid.pid || ! -S $state/$name/run/bus.sock ]] && return 0
    pid=$(dbus-send --bus="unix:path=$state/$name/run/bus.sock" --print-reply --reply-timeout=2000 \
        --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
        string:cx.ring.Ring 2>/dev/null | awk '/uint32/ {print $2}') || true
    [[ -n $pid ]] && echo "$pid" >"$state/$name/run/jamid.pid"
    return 0
}

# jamid 13.7 crashes at call teardown: it segfaults when its peer's 200 OK to
# its own BYE is handled within the millisecond of its hang-up ("Peer hung
# up" runs beside the hang-up and both stop the media; the log's end:
# "Terminate SIP session", "Peer hung up", "Stopping all media"), and CI
# met a callee that died as its caller hung up. A lab on loopback answers
# that fast; a real network hardly ever does (docs/testing.md). A crash is
# told by the signal that ended jamid (jamid.exit, start_jamid above), not
# by a log line: the logs of the two sides end differently.
died_crashing() {  # died_crashing NAME: its jamid is dead of SIGILL, SIGABRT, SIGBUS, SIGFPE or SIGSEGV
    local name=$1 pid status signal
    [[ -f $state/$name/run/jamid.pid ]] || return 1
    pid=$(cat "$state/$name/run/jamid.pid")
    alive "$pid" && return 1
    # The keeper writes the status right after jamid ends.
    wait_until 2 "the exit status of jamid $name" test -s "$state/$name/run/jamid.exit" 2>/dev/null || return 1
    status=$(cat "$state/$name/run/jamid.exit")
    case $status in
        132) signal=SIGILL ;; 134) signal=SIGABRT ;; 135) signal=SIGBUS ;; 136) signal=SIGFPE ;;
        139) signal=SIGSEGV ;; *) return 1 ;;
    esac
    echo "jamilab: jamid $name (pid $pid) crashed ($signal); its log's end:" >&2
    tail -15 "$state/$name/run/jamid.log" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/^/  | /' >&2
}

crashed() {  # the names of the jamids that died_crashing
    local name
    [[ -f $state/instances ]] || return 0
    while read -r name; do
        died_crashing "$name" && echo "$name"
    done <"$state/instances"
    return 0
}

# A jamid that no longer answers, or died, at teardown is a jamid 13.7 bug
# a test met (the skill answered `daemon_unavailable`, as it should): its
# threads' kernel waits and its log's end go into the output, the only trace
# a CI run keeps. A crash (above) is only told.
report_unwell() {  # report_unwell NAME
    local name=$1 pid task
    [[ -S $state/$name/run/bus.sock && -f $state/$name/run/jamid.pid ]] || return 0
    pid=$(cat "$state/$name/run/jamid.pid")
    if ! alive "$pid"; then
        died_crashing "$name" && return 0
        hung=1
        echo "jamilab: jamid $name (pid $pid) was no longer running at teardown; its log's end:" >&2
        tail -60 "$state/$name/run/jamid.log" 2>/dev/null | sed 's/^/  | /' >&2
        return 0
    fi
    jamid_ready "$name" >/dev/null 2>&1 && return 0
    hung=1
    echo "jamilab: jamid $name (pid $pid) did not answer at teardown; its threads and its log's end:" >&2
    for task in /proc/"$pid"/task/*; do
        printf '  %s %s %s\n' "${task##*/}" "$(cat "$task/comm" 2>/dev/null)" "$(cat "$task/wchan" 2>/dev/null)" >&2
    done
    tail -60 "$state/$name/run/jamid.log" 2>/dev/null | sed 's/^/  | /' >&2
}

down() {
    [[ -d $state ]] || return 0
    if [[ -f $state/instances ]]; then
        while read -r name; do
            activated_pid "$name"
            report_unwell "$name"
            stop_pid "$state/$name/run/jamid.pid"
            stop_pid "$state/$name/run/keeper.pid"
            stop_pid "$state/$name/run/bus.pid"
            stop_pid "$state/$name/pulse.pid"
        done <"$state/instances"
    fi
    stop_pid "$state/sipp.pid"
    stop_pid "$state/dhtnode.pid"
    if [[ -f $state/netns ]]; then
        ip netns del "$(cat "$state/netns")" 2>/dev/null || true
    fi
    rm -rf "$state"
}

case $command in
    up) up "$@" ;;
    down)
        hung=0
        down
        # Teardown is complete either way; the exit status shows the report.
        [[ $hung -eq 0 ]] || exit 3 ;;
    env) env_vars ;;
    kill9|signal)
        if [[ $command == kill9 ]]; then
            [[ $# -eq 1 ]] || die "kill9 DIR NAME"
            set -- "$1" KILL
        fi
        [[ $# -eq 2 ]] || die "signal DIR NAME SIGNAL"
        pid=$(cat "$state/$1/run/jamid.pid"); kill -"$2" "$pid"
        wait_until 5 "jamid $1 to die" sh -c "! grep -qs '^State:[[:space:]]*[^Z]' /proc/$pid/status" ;;
    respawn)
        [[ $# -eq 1 ]] || die "respawn DIR NAME"
        stop_pid "$state/$1/run/jamid.pid"; stop_pid "$state/$1/run/keeper.pid"; start_jamid "$1" ;;
    crashed) crashed ;;
    *) die "unknown command $command" ;;
esac
