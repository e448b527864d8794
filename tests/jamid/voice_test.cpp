// The assistant speaks in a call, between two real jamid daemons of the lab
// (A places the call with "say", B answers), each with its own PulseAudio
// (tests/harness/jamilab.sh): what B's speaker plays is recorded from B's
// own sink and measured, so the test hears what B heard, not what A meant.
// SIP accounts IP to IP (no DHT, no registrar) on the lab's TEST-NET address.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <string>
#include <vector>

#include "base/base64.hpp"
#include "support/audio.hpp"
#include "support/lab_side.hpp"
#include "support/sip_side.hpp"

using nlohmann::json;
using namespace std::chrono_literals;
using test::busOf;
using test::env;
using test::isType;
using test::Recorder;
using test::secondsAbove;
using test::SipSide;
using test::Skill;
using test::writeFile;

namespace {

const std::filesystem::path kDir =
    std::filesystem::temp_directory_path() / ("jskill-voice-" + std::to_string(::getpid()));

// A places `request` (a structured one gets A's account); B, rung, answers
// after `pause`, then plays its part (`then`, given the incoming call's
// event). A's result, once A is done. B must be listening (event(0)).
json placeAndAnswer(const SipSide& a, const SipSide& b, json request,
                    const std::function<void(const json& rung)>& then = {}, std::chrono::milliseconds pause = 300ms) {
    if (request.contains("action")) request["account"] = a.account;
    auto placed = std::async(std::launch::async, [&] { return a(request); });
    auto rung = b.skill->waitEvent([](const json& e) { return isType(e, "call.incoming"); }, 15s);
    REQUIRE_MESSAGE(rung, "B was never rung");
    std::this_thread::sleep_for(pause);
    auto answered = b({{"action", "call.accept"}});
    CHECK_MESSAGE(answered["ok"] == true, answered.dump());
    if (then) then(*rung);
    REQUIRE(placed.wait_for(40s) == std::future_status::ready);
    return placed.get();
}

// espeak-ng's 22050 Hz samples of `words`, as a host hands its own speech
// (say_pcm, ask_pcm): {sample_rate, data}.
json hostSamples(const std::string& words, const std::string& stem) {
    const auto wav = kDir / (stem + ".wav");
    REQUIRE(std::system(("espeak-ng -v en-us -w " + wav.string() + " \"" + words + "\"").c_str()) == 0);
    std::ifstream in(wav, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(bytes.size() > 44);
    return {{"sample_rate", 22050}, {"data", jskill::encodeBase64(bytes.substr(44))}};
}

}  // namespace

TEST_CASE("a notify call: A rings B, speaks once B answers, and hangs up; B's speaker played the speech") {
    // The user's own noise suppression, as jamid starts: given back below.
    REQUIRE(std::system(("dbus-send --bus=" + busOf("JAMILAB_BUS_A") +
                         " --print-reply --dest=cx.ring.Ring /cx/ring/Ring/ConfigurationManager "
                         "cx.ring.Ring.ConfigurationManager.setNoiseSuppressState string:auto >/dev/null")
                            .c_str()) == 0);
    SipSide a(kDir, "JAMILAB_BUS_A", "assistant", "5074", "- Voice: on\n", {{"pulse_server", env("JAMILAB_PULSE_A")}});
    SipSide b(kDir, "JAMILAB_BUS_B", "callee", "5076", "");
    b.skill->event(0);  // B listens from now on
    Recorder heard(env("JAMILAB_PULSE_B"), kDir / "heard.raw");

    const std::string text = "The build is broken. Please look at the server when you can.";
    const json result = placeAndAnswer(
        a, b, {{"action", "call.start"}, {"contact", "sip:callee@198.18.0.1:5076"}, {"say", text}, {"timeout_s", 20}},
        {}, 500ms);
    const auto rms = heard.stop();

    REQUIRE_MESSAGE(result["ok"] == true, result.dump());
    const json& said = result["said"];
    CHECK(said["text"] == text);
    CHECK(said["language"] == "en");
    CHECK(said["complete"] == true);
    CHECK(said["via"] == "sound_server");  // 13.7 has no MediaPlayer (its VideoManager, introspected)
    CHECK_FALSE(said.contains("warning"));
    CHECK(result["call"]["end_reason"] == "hung_up_by_us");  // it ended by itself, after the speech
    const double spoken = said["seconds"].get<double>();
    CHECK(spoken > 2.0);
    // Speech has pauses between words: about half of its windows carry energy.
    const double loud = secondsAbove(rms, 0.01);
    MESSAGE("synthesized " << spoken << " s; B's speaker had energy for " << loud << " s of " << rms.size() / 10.0
                           << " s; first audio " << said["first_audio_after_answer_s"] << " s after the answer");
    CHECK(loud > 0.4 * spoken);
    CHECK(loud < spoken + 1.0);  // nothing else reached B (no echo, no other daemon)
    // The words themselves, as an English recognizer hears B's speaker:
    // the sentence's words among as many that were never said.
    const std::vector<std::string> said_words{"the", "build",  "is",   "broken", "please", "look",
                                              "at",  "server", "when", "you",    "can"};
    const std::vector<std::string> never_said{"banana", "yellow", "mountain", "garden", "seven", "window",
                                              "purple", "tiger",  "river",    "pencil", "music"};
    const auto heard_words = test::heardAmong(heard.file, said_words, never_said);
    MESSAGE("pocketsphinx heard at B: " << heard_words.transcript);
    // Of the sentence's words, those this 8 kHz recognizer heard in most
    // runs: it never hears "server" (it writes "look the"), and a garbled
    // onset cost "build" once in four runs here.
    int keys = 0;
    for (const char* key : {"build", "broken", "please", "look", "server"}) keys += heard_words.has(key);
    CHECK_MESSAGE(keys >= 3, "the key words are not heard in: " << heard_words.transcript);
    CHECK_MESSAGE(heard_words.right > 2 * heard_words.wrong, heard_words.transcript);
    CHECK(said["first_audio_after_answer_s"].get<double>() < 2.0);
    CHECK(a({{"action", "call.list"}})["calls"].empty());

    // jamid keeps the mouth and the ear; once the user turns voice off, the
    // next call gives it back the server's defaults, so a person can talk.
    auto status = a({{"action", "voice.status"}});
    CHECK_MESSAGE(status["jamid"]["routed"] == true, status.dump());
    CHECK(status["jamid"]["noise_suppression"] == "no");  // it took speech for noise
    CHECK(status["jamid"]["media_player"] == false);      // 13.7
    CHECK(status["voice"] == true);
    writeFile(a.dir / "TOOLS.md", "## Jami Configuration\n- Contacts only: no\n- Voice: off\n");
    auto plain = a({{"action", "call.start"}, {"account", a.account}, {"contact", "sip:callee@198.18.0.1:5076"}});
    REQUIRE_MESSAGE(plain["ok"] == true, plain.dump());
    status = a({{"action", "voice.status"}});
    CHECK(status["voice"] == false);
    CHECK_MESSAGE(status["jamid"]["routed"] == false, status.dump());
    CHECK(status["jamid"]["microphone"] == "default");
    CHECK(status["jamid"]["noise_suppression"] == "auto");  // jamid's default, as before
    // Hung up once B rings, as a person would. Hung up at once, right after
    // jamid's devices were given back, jamid 13.7 stopped answering anything
    // once in CI (cause unknown; jamilab.sh's teardown now reports a jamid
    // that hangs).
    CHECK(b.skill->waitEvent([](const json& e) { return isType(e, "call.incoming"); }, 15s));
    const json hung_up = a({{"action", "call.hangup"}});
    CHECK_MESSAGE(hung_up["ok"] == true, hung_up.dump());
}

TEST_CASE("a sentence in Chinese: the contact is rung and the words are spoken as Mandarin") {
    SipSide a(kDir, "JAMILAB_BUS_A", "assistant-zh", "5078", "- Voice: on\n",
              {{"pulse_server", env("JAMILAB_PULSE_A")}});
    SipSide b(kDir, "JAMILAB_BUS_B", "callee-zh", "5080", "");
    writeFile(a.dir / "TOOLS.md", "## Jami Configuration\n- Voice: on\n- Account ID: " + a.account +
                                      "\n- Contacts:\n  - 前台: sip:callee@198.18.0.1:5080\n");
    b.skill->event(0);
    Recorder heard(env("JAMILAB_PULSE_B"), kDir / "heard-zh.raw");
    const json result = placeAndAnswer(a, b, {{"text", "给前台打电话告诉他服务器出问题了，请尽快看一下"}}, {}, 500ms);
    const auto rms = heard.stop();
    REQUIRE_MESSAGE(result["ok"] == true, result.dump());
    CHECK(result["intent"] == "call.start");
    CHECK(result["said"]["text"] == "服务器出问题了，请尽快看一下");  // the words, without the framing
    CHECK(result["said"]["language"] == "zh");
    const double spoken = result["said"]["seconds"].get<double>();
    CHECK(spoken > 1.5);  // 13 characters, read as pinyin syllables (not "san" for a tone digit)
    CHECK(secondsAbove(rms, 0.01) > 0.4 * spoken);
}

TEST_CASE("did they get it: after the message and the question, B's spoken yes is heard") {
    SipSide a(kDir, "JAMILAB_BUS_A", "assistant-ask", "5086", "- Voice: on\n",
              {{"pulse_server", env("JAMILAB_PULSE_A")}});
    SipSide b(kDir, "JAMILAB_BUS_B", "callee-ask", "5088", "");
    b.skill->event(0);
    // B's answer: espeak-ng's "yes", played into B's microphone (the monitor
    // of B's "silence" sink, the lab's default source) once A has spoken.
    const auto yes = kDir / "yes.wav";
    REQUIRE(std::system(("espeak-ng -v en-us -w " + yes.string() + " yes").c_str()) == 0);
    const json result = placeAndAnswer(a, b,
                                       {{"action", "call.start"},
                                        {"contact", "sip:callee@198.18.0.1:5088"},
                                        {"say", "The build is broken."},
                                        {"ask", "Did you get it?"},
                                        {"listen_s", 8}},
                                       [&](const json&) {
                                           std::this_thread::sleep_for(5s);  // the message and the question are said
                                           for (int i = 0; i < 2; ++i) {
                                               const pid_t player = test::spawnOnServer(
                                                   env("JAMILAB_PULSE_B"), {"paplay", "-d", "silence", yes.string()});
                                               REQUIRE(player > 0);
                                               ::waitpid(player, nullptr, 0);
                                               std::this_thread::sleep_for(1s);
                                           }
                                       });
    REQUIRE_MESSAGE(result["ok"] == true, result.dump());
    CHECK(result["asked"]["question"] == "Did you get it?");
    CHECK_MESSAGE(result["asked"]["acknowledged"] == true, result.dump());
    CHECK(result["asked"]["by"] == "speech");
    auto told = a.skill->waitEvent([](const json& e) { return isType(e, "call.acknowledged"); }, 2s);
    REQUIRE_MESSAGE(told, "no call.acknowledged event");
    CHECK((*told)["acknowledged"] == true);
    CHECK((*told)["notable"] == true);
    CHECK(result["call"]["end_reason"] == "hung_up_by_us");
}

TEST_CASE("did they get it: B types \"ok\" inside the call, and that is the answer, at once") {
    SipSide a(kDir, "JAMILAB_BUS_A", "assistant-typed", "5098", "- Voice: on\n",
              {{"pulse_server", env("JAMILAB_PULSE_A")}});
    SipSide b(kDir, "JAMILAB_BUS_B", "callee-typed", "5100", "");
    b.skill->event(0);
    std::chrono::steady_clock::time_point typed;
    const json result =
        placeAndAnswer(a, b,
                       {{"action", "call.start"},
                        {"contact", "sip:callee@198.18.0.1:5100"},
                        {"say", "The build is broken."},
                        {"ask", "Did you get it?"},
                        {"ask_pcm", hostSamples("Did you get it?", "host-question")},  // in the host's voice
                        {"listen_s", 20}},
                       [&](const json& rung) {
                           std::this_thread::sleep_for(4s);  // the message and the question are said by then
                           // What a SIP phone's chat inside a call sends: jamid's in-call text.
                           typed = std::chrono::steady_clock::now();
                           const std::string send = "dbus-send --bus=" + busOf("JAMILAB_BUS_B") +
                                                    " --print-reply --dest=cx.ring.Ring /cx/ring/Ring/CallManager "
                                                    "cx.ring.Ring.CallManager.sendTextMessage string:" +
                                                    b.account + " string:" + rung["call_id"].get<std::string>() +
                                                    " dict:string:string:text/plain,OK boolean:false >/dev/null";
                           REQUIRE(std::system(send.c_str()) == 0);
                       });
    REQUIRE_MESSAGE(result["ok"] == true, result.dump());
    CHECK_MESSAGE(result["asked"]["acknowledged"] == true, result.dump());
    CHECK(result["asked"]["by"] == "text");
    CHECK(result["asked"]["question"] == "Did you get it?");
    // It stopped listening when the answer came, not after the 20 s.
    CHECK(std::chrono::steady_clock::now() - typed < 8s);
    CHECK(result["call"]["end_reason"] == "hung_up_by_us");
}

TEST_CASE("a host's own speech file, from the folder it named, is what B hears") {
    const auto folder = kDir / "host-audio";
    std::filesystem::create_directories(folder);
    REQUIRE(std::system(("espeak-ng -v en-us -w " + (folder / "notice.wav").string() +
                         " 'This is a recorded notice from your host.'")
                            .c_str()) == 0);
    SipSide a(kDir, "JAMILAB_BUS_A", "assistant-wav", "5090", "- Voice: on\n",
              {{"pulse_server", env("JAMILAB_PULSE_A")}, {"audio_dir", folder.string()}});
    SipSide b(kDir, "JAMILAB_BUS_B", "callee-wav", "5092", "");
    b.skill->event(0);
    Recorder heard(env("JAMILAB_PULSE_B"), kDir / "heard-wav.raw");
    const json result = placeAndAnswer(
        a, b, {{"action", "call.start"}, {"contact", "sip:callee@198.18.0.1:5092"}, {"say_audio", "notice.wav"}});
    const auto rms = heard.stop();
    REQUIRE_MESSAGE(result["ok"] == true, result.dump());
    CHECK(result["said"]["text"] == "notice.wav");
    const double spoken = result["said"]["seconds"].get<double>();
    CHECK(spoken > 1.5);
    CHECK(secondsAbove(rms, 0.01) > 0.4 * spoken);
    CHECK(std::filesystem::exists(folder / "notice.wav"));  // the host's file stays
}

TEST_CASE("a host's own samples in the request (say_pcm), with their words, are what B hears") {
    // espeak-ng's samples stand for a host's text to speech.
    const std::string words = "This notice was spoken by the host's own voice.";
    const json samples = hostSamples(words, "host-pcm");
    SipSide a(kDir, "JAMILAB_BUS_A", "assistant-pcm", "5102", "- Voice: on\n",
              {{"pulse_server", env("JAMILAB_PULSE_A")}});
    SipSide b(kDir, "JAMILAB_BUS_B", "callee-pcm", "5104", "");
    b.skill->event(0);
    Recorder heard(env("JAMILAB_PULSE_B"), kDir / "heard-pcm.raw");
    const json result = placeAndAnswer(
        a, b,
        {{"action", "call.start"}, {"contact", "sip:callee@198.18.0.1:5104"}, {"say", words}, {"say_pcm", samples}});
    const auto rms = heard.stop();
    REQUIRE_MESSAGE(result["ok"] == true, result.dump());
    CHECK(result["said"]["text"] == words);
    CHECK(result["said"]["language"] == "en");
    const double spoken = result["said"]["seconds"].get<double>();
    const auto bytes = jskill::decodeBase64(samples["data"].get<std::string>());
    REQUIRE(bytes);
    CHECK(std::abs(spoken - static_cast<double>(bytes->size()) / 44100.0) < 0.01);
    CHECK(secondsAbove(rms, 0.01) > 0.4 * spoken);
    CHECK(secondsAbove(rms, 0.01) < spoken + 1.0);
}

// A's request to speak to B on `port`, refused before B is rung: the refusal.
json refusedBeforeRinging(const SipSide& a, const SipSide& b, const std::string& port) {
    b.skill->event(0);
    auto refused = a({{"action", "call.start"},
                      {"account", a.account},
                      {"contact", "sip:callee@198.18.0.1:" + port},
                      {"say", "hello"}});
    CHECK(refused["ok"] == false);
    CHECK_FALSE(b.skill->waitEvent([](const json& e) { return isType(e, "call.incoming"); }, 2s));
    CHECK(a({{"action", "call.list"}})["calls"].empty());
    return refused;
}

TEST_CASE("with Voice off, a request to speak is refused and nobody is rung") {
    SipSide a(kDir, "JAMILAB_BUS_A", "assistant-off", "5082", "", {{"pulse_server", env("JAMILAB_PULSE_A")}});
    SipSide b(kDir, "JAMILAB_BUS_B", "callee-off", "5084", "");
    const json refused = refusedBeforeRinging(a, b, "5084");
    CHECK(refused["error"]["code"] == "voice_off");
    CHECK(refused["error"]["hint"].get<std::string>().find("Voice: on") != std::string::npos);
}

TEST_CASE("with no sound server to reach, a request to speak is refused with a hint and nobody is rung") {
    // jamid 13.7 speaks only through the sound server (no MediaPlayer).
    SipSide a(kDir, "JAMILAB_BUS_A", "assistant-mute", "5106", "- Voice: on\n",
              {{"pulse_server", "unix:" + (kDir / "no-such-server").string()}});
    SipSide b(kDir, "JAMILAB_BUS_B", "callee-mute", "5108", "");
    const json refused = refusedBeforeRinging(a, b, "5108");
    CHECK_MESSAGE(refused["error"]["code"] == "voice_unavailable", refused.dump());
    CHECK(refused["error"]["message"].get<std::string>().find("no-such-server") != std::string::npos);
    CHECK(refused["error"]["hint"].get<std::string>().find("pulse_server") != std::string::npos);
}
