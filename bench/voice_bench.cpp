// First audio of a notify call, as the callee hears it: from the callee's
// answer to the first speech energy at the callee's speaker. A (the
// assistant, Voice on) calls B over SIP with "say"; B answers through its
// own skill; B's speaker (a null sink of B's own PulseAudio in the lab) is
// recorded with parec from before the call. Run by bench/voice_bench.sh:
//   voice_bench BUS_A PULSE_A BUS_B PULSE_B WORK_DIR [N [RESTART_B]]
// RESTART_B, a shell command that starts B's jamid again, is run after each
// call: it shows what a callee whose jamid has just started hears (jamid 13.7
// plays the first call after it starts ~0.45 s sooner than every later one).
// The answer is marked inside the recording by a short tone B plays into its
// own speaker as it accepts, so the figure needs no clock shared with parec
// (it carries paplay's start, a few ms, as a constant).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "ask.hpp"
#include "jami_skill.h"
#include "support/audio.hpp"

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

jami_skill* open(const json& options) {
    char* error = nullptr;
    jami_skill* skill = jami_skill_open(options.dump().c_str(), &error);
    if (!skill) {
        std::fprintf(stderr, "open: %s\n", error ? error : "?");
        std::exit(1);
    }
    return skill;
}

std::string sipAccount(jami_skill* skill, const std::string& port) {
    auto r = ask(skill, {{"action", "account.create"},
                         {"confirmed", true},
                         {"type", "sip"},
                         {"alias", "bench" + port},
                         {"details",
                          {{"Account.localPort", port},
                           {"Account.upnpEnabled", "false"},
                           {"STUN.enable", "false"},
                           {"TURN.enable", "false"},
                           {"Account.videoEnabled", "false"},
                           {"SRTP.keyExchange", ""}}}});
    if (r["ok"] != true) {
        std::fprintf(stderr, "account: %s\n", r.dump().c_str());
        std::exit(1);
    }
    return r["account"]["id"];
}

pid_t record(const std::string& pulse, const std::string& file) {
    const pid_t pid = test::spawnOnServer(pulse, {"parec", "-d", "nullsink.monitor", "--raw", "--format=s16le",
                                                  "--rate=16000", "--channels=1", "--latency-msec=20", file});
    if (pid <= 0) std::exit(1);
    return pid;
}

// A 60 ms 1 kHz tone, the mark of the answer in B's recording.
void writeMarker(const std::filesystem::path& wav) {
    const int rate = 16000, samples = rate * 60 / 1000;
    std::ofstream out(wav, std::ios::binary);
    test::writeWavHeader(out, rate, static_cast<uint32_t>(samples * 2));
    auto u16 = [&](uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    for (int i = 0; i < samples; ++i) u16(static_cast<uint16_t>(static_cast<int16_t>(12000 * std::sin(i * 0.3927))));
}

pid_t play(const std::string& pulse, const std::string& wav) {
    const pid_t pid = test::spawnOnServer(pulse, {"paplay", "-d", "nullsink", "--latency-msec=20", wav});
    if (pid <= 0) std::exit(1);
    return pid;
}

// How long the bench's sentence is spoken, as the callee should hear it:
// espeak-ng's own output, first to last energy (its WAV ends in silence).
constexpr const char* kSentence = "Your package has arrived at the front desk.";
double spokenSeconds(const std::filesystem::path& work) {
    const auto wav = work / "spoken.wav";
    const std::string command = "espeak-ng -v en-us -s 155 -w " + wav.string() + " '" + kSentence + "'";
    if (std::system(command.c_str()) != 0) return 0;
    std::ifstream in(wav, std::ios::binary);
    unsigned char header[44] = {};
    in.read(reinterpret_cast<char*>(header), sizeof header);
    const unsigned rate = header[24] | header[25] << 8 | header[26] << 16 | static_cast<unsigned>(header[27]) << 24;
    if (!in || rate == 0) return 0;
    const auto rms = test::rmsWindows(wav.string(), rate / 50);  // 20 ms (the header is one window's noise)
    std::size_t first = 0, last = rms.size();
    while (first < rms.size() && rms[first] <= 0.005) ++first;
    while (last > first && rms[last - 1] <= 0.005) --last;
    return static_cast<double>(last - first) * 0.02;
}

// Whether B's skill reaches its jamid and B's SIP account can take a call
// (an IP-to-IP SIP account of jamid 13.7 says READY, one with a registrar
// REGISTERED).
bool calleeReady(jami_skill* b) {
    const json answer = ask(b, {{"action", "account.list"}});
    if (answer.value("ok", false))
        for (const auto& account : answer["accounts"])
            if (account.value("status", "") == "READY" || account.value("status", "") == "REGISTERED") return true;
    return false;
}

// Starts B's jamid again (its devices, the silent ringtone among them, are
// kept in its config), waits until B is ready, then 4 s more: a first call
// right after a start can lose its start.
void restartCallee(jami_skill* b, const std::string& command) {
    if (std::system(command.c_str()) != 0) {
        std::fprintf(stderr, "restarting B failed: %s\n", command.c_str());
        std::exit(1);
    }
    auto until = Clock::now() + 20s;
    while (!calleeReady(b)) {
        if (Clock::now() > until) {
            std::fprintf(stderr, "B's jamid did not come back within 20 s\n");
            std::exit(1);
        }
        std::this_thread::sleep_for(200ms);
    }
    std::this_thread::sleep_for(4s);
    if (char* e = jami_skill_next_event(b, 0)) jami_skill_free_string(e);  // B listens again
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(stderr, "usage: voice_bench BUS_A PULSE_A BUS_B PULSE_B WORK_DIR [N [RESTART_B]]\n");
        return 2;
    }
    const std::string bus_a = argv[1], pulse_a = argv[2], bus_b = argv[3], pulse_b = argv[4];
    const std::filesystem::path work = argv[5];
    const int runs = argc > 6 ? std::atoi(argv[6]) : 10;
    const std::string restart_b = argc > 7 ? argv[7] : "";
    std::filesystem::create_directories(work);
    writeMarker(work / "marker.wav");
    {
        std::ofstream(work / "a.md") << "## Jami Configuration\n- Contacts only: no\n- Voice: on\n"
                                     << "- Calls per hour: 1000\n- Calls per hour per contact: 1000\n";
        std::ofstream(work / "b.md") << "## Jami Configuration\n- Contacts only: no\n";
    }
    jami_skill* a = open({{"bus", bus_a},
                          {"pulse_server", pulse_a},
                          {"tools_md", (work / "a.md").string()},
                          {"state_dir", (work / "a").string()}});
    jami_skill* b =
        open({{"bus", bus_b}, {"tools_md", (work / "b.md").string()}, {"state_dir", (work / "b").string()}});
    const std::string account_a = sipAccount(a, "5094"), account_b = sipAccount(b, "5096");
    if (char* e = jami_skill_next_event(b, 0)) jami_skill_free_string(e);  // B listens

    std::vector<double> heard, started, spans;
    for (int run = 0; run < runs; ++run) {
        const std::string file = (work / ("heard-" + std::to_string(run) + ".raw")).string();
        const pid_t recorder = record(pulse_b, file);
        std::this_thread::sleep_for(300ms);  // parec is reading
        auto placed = std::async(std::launch::async, [&] {
            return ask(a, {{"action", "call.start"},
                           {"account", account_a},
                           {"contact", "sip:callee@198.18.0.1:5096"},
                           {"say", kSentence}});
        });
        bool rung = false;
        for (auto until = Clock::now() + 15s; Clock::now() < until && !rung;) {
            if (char* raw = jami_skill_next_event(b, 200)) {
                rung = json::parse(raw).value("type", "") == "call.incoming";
                jami_skill_free_string(raw);
            }
        }
        std::this_thread::sleep_for(300ms);
        // The answer is marked in the recording itself by a tone played into
        // B's speaker as B accepts: both reach the file through B's server.
        const pid_t marker = play(pulse_b, (work / "marker.wav").string());
        auto accepted = ask(b, {{"action", "call.accept"}, {"account", account_b}});
        ::waitpid(marker, nullptr, 0);
        const json result = placed.get();
        ::kill(recorder, SIGINT);
        ::waitpid(recorder, nullptr, 0);
        if (!rung || accepted["ok"] != true || result["ok"] != true) {
            std::fprintf(stderr, "run %d failed: %s %s\n", run, accepted.dump().c_str(), result.dump().c_str());
            continue;
        }
        const auto rms = test::rmsWindows(file, 320);  // 20 ms
        std::size_t mark = 0, speech = 0;
        while (mark < rms.size() && rms[mark] < 0.01) ++mark;  // the marker (B's ringtone goes to its silent sink)
        // From 160 ms on: the speech, two windows in a row above the noise.
        for (speech = mark + 8; speech + 1 < rms.size() && !(rms[speech] > 0.005 && rms[speech + 1] > 0.005);) ++speech;
        if (speech + 1 >= rms.size()) continue;
        std::size_t last = rms.size() - 1;
        while (last > speech && rms[last] <= 0.005) --last;
        heard.push_back(static_cast<double>(speech - mark) * 0.02);
        spans.push_back(static_cast<double>(last - speech + 1) * 0.02);  // lost words shorten it
        started.push_back(result["said"]["first_audio_after_answer_s"].get<double>());
        std::fprintf(stderr, "call %d: first speech %.2f s, playing from %.2f s, heard for %.2f s\n", run + 1,
                     heard.back(), started.back(), spans.back());
        std::this_thread::sleep_for(500ms);
        if (!restart_b.empty()) restartCallee(b, restart_b);
    }
    std::printf("notify call, %zu of %d runs            median    min    max   (seconds after the callee answers)\n",
                heard.size(), runs);
    if (!heard.empty()) {
        std::printf("first speech energy at the callee     %6.2f %6.2f %6.2f\n", median(heard),
                    *std::min_element(heard.begin(), heard.end()), *std::max_element(heard.begin(), heard.end()));
        std::printf("the skill starts playing              %6.2f %6.2f %6.2f\n", median(started),
                    *std::min_element(started.begin(), started.end()),
                    *std::max_element(started.begin(), started.end()));
        std::printf("speech heard, first to last energy    %6.2f %6.2f %6.2f   (of %.2f s spoken)\n", median(spans),
                    *std::min_element(spans.begin(), spans.end()), *std::max_element(spans.begin(), spans.end()),
                    spokenSeconds(work));
    }
    ask(a, {{"action", "account.remove"}, {"account", account_a}, {"confirmed", true}});
    ask(b, {{"action", "account.remove"}, {"account", account_b}, {"confirmed", true}});
    jami_skill_close(a);
    jami_skill_close(b);
    return heard.empty() ? 1 : 0;
}
