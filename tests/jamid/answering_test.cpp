// The answering machine between two real jamid daemons of the lab: B (a
// contact of A) calls A; A's skill, listened to by a host (a thread taking
// its events, as the Gateway or `jamictl message listen` does), answers
// after the delay, greets B, sounds a tone and records what B says from A's
// speaker. B hears the greeting on its own speaker, then plays speech into
// its own microphone and hangs up. What A kept is measured: its length,
// its energy, its words (pocketsphinx with the test's word list).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/audio.hpp"
#include "support/lab_side.hpp"
#include "support/sip_side.hpp"

using nlohmann::json;
using namespace std::chrono_literals;
using test::env;
using test::isType;
using test::Recorder;
using test::secondsAbove;
using test::SipSide;
using test::writeFile;

namespace {

const std::filesystem::path kDir =
    std::filesystem::temp_directory_path() / ("jskill-answering-" + std::to_string(::getpid()));

// A host listening to a skill's events for the whole test, keeping them all.
struct Listener {
    const SipSide& side;
    std::mutex mutex;
    std::vector<json> events;
    std::atomic<bool> done{false};
    std::thread thread;
    explicit Listener(const SipSide& s) : side(s) {
        thread = std::thread([this] {
            while (!done) {
                if (auto e = side.skill->event(200)) {
                    std::lock_guard lock(mutex);
                    events.push_back(std::move(*e));
                }
            }
        });
    }
    ~Listener() {
        done = true;
        thread.join();
    }
    std::vector<json> ofType(const char* type) {
        std::lock_guard lock(mutex);
        std::vector<json> out;
        for (const auto& e : events)
            if (isType(e, type)) out.push_back(e);
        return out;
    }
    std::optional<json> waitFor(const char* type, std::chrono::milliseconds limit) {
        std::optional<json> found;
        test::within(limit, [&] {
            auto all = ofType(type);
            if (!all.empty()) found = all.front();
            return found.has_value();
        });
        return found;
    }
};

// The energy of what a recorder wrote so far, per 100 ms.
std::vector<double> soFar(const Recorder& r) { return test::rmsWindows(r.file, 1600); }

// Waits until B's speaker played speech (half a second of it at least: not
// a click as the call starts), then was quiet for `quiet_windows` x 100 ms:
// A's greeting and tone are over.
bool greetingHeard(const Recorder& speaker, std::chrono::milliseconds limit, std::size_t quiet_windows = 12) {
    return test::within(limit, [&] {
        auto rms = soFar(speaker);
        if (std::count_if(rms.begin(), rms.end(), [](double v) { return v > 0.01; }) < 5) return false;
        auto last = std::find_if(rms.rbegin(), rms.rend(), [](double v) { return v > 0.01; });
        return static_cast<std::size_t>(last - rms.rbegin()) >= quiet_windows;
    });
}

// B's jamid with its noise suppression off for the test, its own back
// after: it takes synthesized speech for noise (it halved the energy of
// espeak-ng's words and ate their onsets, docs/voice.md), where a person's
// phone would pass their voice.
struct CallerHearsSynthesizedSpeech {
    static void set(const char* state) {
        REQUIRE(std::system(("dbus-send --bus=" + test::busOf("JAMILAB_BUS_B") +
                             " --print-reply --dest=cx.ring.Ring /cx/ring/Ring/ConfigurationManager "
                             "cx.ring.Ring.ConfigurationManager.setNoiseSuppressState string:" +
                             state + " >/dev/null")
                                .c_str()) == 0);
    }
    CallerHearsSynthesizedSpeech() { set("no"); }
    ~CallerHearsSynthesizedSpeech() { set("auto"); }
};

// Plays a WAV into B's microphone (the lab's "silence" sink), to its end.
void speakAtB(const std::filesystem::path& wav) {
    const pid_t player = test::spawnOnServer(env("JAMILAB_PULSE_B"), {"paplay", "-d", "silence", wav.string()});
    REQUIRE(player > 0);
    ::waitpid(player, nullptr, 0);
}

std::filesystem::path espeak(const std::string& words, const std::string& stem) {
    const auto wav = kDir / (stem + ".wav");
    std::filesystem::create_directories(kDir);
    REQUIRE(std::system(("espeak-ng -v en-us -s 140 -w " + wav.string() + " \"" + words + "\"").c_str()) == 0);
    return wav;
}

// Where A's SIP account listens.
std::string addressOf(const std::string& user, const std::string& port) {
    return "sip:" + user + "@198.18.0.1:" + port;
}

// Who B is to A: jamid's From of an IP-to-IP call, sip:<user>@<host name>.
std::string callerId(const std::string& user) {
    char host[256] = {};
    REQUIRE(::gethostname(host, sizeof host - 1) == 0);
    return "sip:" + user + "@" + host;
}

// A's contact book: B a contact, the answering machine on, and `more`.
void machineBook(const SipSide& a, const std::string& more, bool ben_is_contact = true) {
    writeFile(a.dir / "TOOLS.md", "## Jami Configuration\n- Voice: on\n- Account ID: " + a.account + "\n" + more +
                                      "- Contacts:\n" + (ben_is_contact ? "  - Ben: " + callerId("ben") + "\n" : ""));
}

// The samples of a WAV file (16-bit mono), without its 44-byte header.
std::filesystem::path samplesOf(const std::filesystem::path& wav) {
    std::ifstream in(wav, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(bytes.size() > 44);
    const auto raw = std::filesystem::path(wav) += ".raw";
    std::ofstream(raw, std::ios::binary) << bytes.substr(44);
    return raw;
}

}  // namespace

TEST_CASE("a contact's call is answered after the delay, greeted, and its message kept and told once") {
    SipSide a(kDir, "JAMILAB_BUS_A", "assistant", "5110", "", {{"pulse_server", env("JAMILAB_PULSE_A")}});
    SipSide b(kDir, "JAMILAB_BUS_B", "ben", "5112", "");
    CallerHearsSynthesizedSpeech speaks_clearly;
    machineBook(a, "- Answering machine: contacts after 2 s\n");
    Listener host(a);  // the machine answers while a host listens
    Recorder speaker(env("JAMILAB_PULSE_B"), kDir / "ben-heard.raw");
    const auto rung = std::chrono::steady_clock::now();
    auto placed = b({{"action", "call.start"},
                     {"account", b.account},
                     {"contact", addressOf("assistant", "5110")},
                     {"wait", "answered"},
                     {"timeout_s", 20}});
    REQUIRE_MESSAGE(placed["ok"] == true, placed.dump());
    CHECK(std::chrono::steady_clock::now() - rung >= 2s);  // it rang first: a person could have answered
    auto incoming = host.waitFor("call.incoming", 1s);
    REQUIRE(incoming);
    CHECK((*incoming)["answering_machine"]["will_answer_after_s"] == 2);
    CHECK((*incoming)["contact"] == "Ben");
    REQUIRE_MESSAGE(greetingHeard(speaker, 20s), "B never heard a greeting and a tone");
    const auto greeting = speaker.stop();
    CHECK(secondsAbove(greeting, 0.01) > 2.0);  // the default words, ~6 s with their pauses

    const auto message = espeak(
        "Hello, this is Ben. The meeting moved to Thursday at noon. "
        "Please call me back about the budget.",
        "message");
    // espeak-ng writes 22050 Hz samples.
    const double spoken = static_cast<double>(std::filesystem::file_size(message) - 44) / 44100.0;
    speakAtB(message);
    std::this_thread::sleep_for(1s);
    CHECK(b({{"action", "call.hangup"}})["ok"] == true);

    auto vm = host.waitFor("voicemail", 20s);
    REQUIRE_MESSAGE(vm, "no voicemail event");
    MESSAGE("voicemail: " << vm->dump());
    CHECK((*vm)["peer"] == callerId("ben"));
    CHECK((*vm)["contact"] == "Ben");
    CHECK((*vm)["empty"] == false);
    CHECK((*vm)["ended_by"] == "caller");
    CHECK((*vm)["notable"] == true);
    CHECK((*vm)["untrusted"] == true);
    CHECK((*vm)["transcript"].is_null());
    CHECK((*vm)["transcriber"] == "none");
    const double duration = (*vm)["duration_s"].get<double>(), speech = (*vm)["speech_s"].get<double>();
    MESSAGE("spoken " << spoken << " s; kept " << duration << " s, " << speech << " s of it with energy");
    CHECK(duration > spoken);
    CHECK(duration < spoken + 6.0);  // the gap before B spoke, and the second before B hung up
    CHECK(speech > 0.4 * spoken);
    CHECK(speech < spoken + 1.0);
    const std::filesystem::path file = (*vm)["file"].get<std::string>();
    REQUIRE(std::filesystem::exists(file));
    CHECK(file.parent_path() == a.dir / "state" / "voicemail");
    const auto words = test::heardAmong(samplesOf(file),
                                        {"hello", "this", "is", "ben", "the", "meeting", "moved", "to", "thursday",
                                         "at", "noon", "please", "call", "me", "back", "about", "budget"},
                                        {"banana", "yellow", "mountain", "garden", "seven", "window", "purple", "tiger",
                                         "river", "pencil", "music", "orange", "winter", "camera"});
    MESSAGE("pocketsphinx heard in the voicemail: " << words.transcript);
    int keys = 0;
    for (const char* key : {"meeting", "thursday", "noon", "budget", "back"}) keys += words.has(key);
    CHECK_MESSAGE(keys >= 3, words.transcript);
    CHECK_MESSAGE(words.right > 2 * words.wrong, words.transcript);

    std::this_thread::sleep_for(2s);
    CHECK(host.ofType("voicemail").size() == 1);  // told once
    auto listed = a({{"action", "voicemail.list"}});
    REQUIRE(listed["voicemails"].size() == 1);
    CHECK(listed["voicemails"][0]["id"] == (*vm)["id"]);
    CHECK(a({{"action", "call.list"}})["calls"].empty());
}

TEST_CASE("a stranger's call is never answered by the machine") {
    SipSide a(kDir, "JAMILAB_BUS_A", "assistant-strangers", "5114", "", {{"pulse_server", env("JAMILAB_PULSE_A")}});
    SipSide b(kDir, "JAMILAB_BUS_B", "ben", "5116", "");
    machineBook(a, "- Contacts only: yes\n- Answering machine: contacts after 1 s\n", /*ben_is_contact=*/false);
    Listener host(a);
    auto placed = b({{"action", "call.start"}, {"account", b.account}, {"contact", addressOf("assistant", "5114")}});
    REQUIRE_MESSAGE(placed["ok"] == true, placed.dump());
    auto incoming = host.waitFor("call.incoming", 10s);
    REQUIRE(incoming);
    CHECK_FALSE(incoming->contains("answering_machine"));
    std::this_thread::sleep_for(4s);  // well past the delay
    auto calls = a({{"action", "call.list"}})["calls"];
    REQUIRE(calls.size() == 1);
    CHECK(calls[0]["state"] == "incoming");  // still ringing, for a person to take or leave
    CHECK(b({{"action", "call.hangup"}})["ok"] == true);
    std::this_thread::sleep_for(1s);
    CHECK(host.ofType("voicemail").empty());
}

TEST_CASE("a caller who never hangs up is cut at the longest message; the store keeps its bound") {
    SipSide a(kDir, "JAMILAB_BUS_A", "assistant-bounds", "5118", "", {{"pulse_server", env("JAMILAB_PULSE_A")}});
    SipSide b(kDir, "JAMILAB_BUS_B", "ben", "5120", "");
    machineBook(a,
                "- Answering machine: contacts after 1 s\n- Greeting: Leave a message.\n"
                "- Voicemail length: 6 s\n- Voicemails kept: 1\n");
    Listener host(a);
    const auto talk = espeak(
        "The meeting moved to Thursday at noon. Please call me back about the budget. "
        "The meeting moved to Thursday at noon. Please call me back about the budget.",
        "long-message");
    std::vector<json> told;
    for (int call = 0; call < 2; ++call) {
        Recorder speaker(env("JAMILAB_PULSE_B"), kDir / ("bounds-" + std::to_string(call) + ".raw"));
        auto placed = b({{"action", "call.start"},
                         {"account", b.account},
                         {"contact", addressOf("assistant", "5118")},
                         {"wait", "answered"},
                         {"timeout_s", 20}});
        REQUIRE_MESSAGE(placed["ok"] == true, placed.dump());
        REQUIRE(greetingHeard(speaker, 15s, 8));
        speaker.stop();
        speakAtB(talk);  // ~11 s: longer than the longest message; B never hangs up
        auto ended = b.skill->waitEvent(
            [](const json& e) { return isType(e, "call.state") && e.value("state", "") == "ended"; }, 10s);
        CHECK_MESSAGE(ended, "A did not end the call");
        test::within(10s, [&] { return host.ofType("voicemail").size() == static_cast<std::size_t>(call + 1); });
        auto all = host.ofType("voicemail");
        REQUIRE(all.size() == static_cast<std::size_t>(call + 1));
        told.push_back(all.back());
        CHECK(told.back()["ended_by"] == "max_length");
        CHECK(told.back()["duration_s"].get<double>() <= 6.0);
        CHECK(told.back()["duration_s"].get<double>() > 5.0);
        CHECK(told.back()["greeting"] == "Leave a message.");
    }
    auto listed = a({{"action", "voicemail.list"}});
    REQUIRE(listed["voicemails"].size() == 1);  // "Voicemails kept: 1": the newest
    CHECK(listed["voicemails"][0]["id"] == told[1]["id"]);
    CHECK_FALSE(std::filesystem::exists(told[0]["file"].get<std::string>()));
}
