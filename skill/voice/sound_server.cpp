#include "skill/voice/sound_server.hpp"

#include <sstream>

#include "base/error.hpp"

namespace jskill {
namespace {

// The columns of one line of `pactl list short ...` (tab-separated).
std::vector<std::vector<std::string>> rowsOf(const std::string& listing) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream lines(listing);
    for (std::string line; std::getline(lines, line);) {
        std::vector<std::string> columns;
        std::istringstream cells(line);
        for (std::string cell; std::getline(cells, cell, '\t');) columns.push_back(cell);
        if (!columns.empty()) rows.push_back(std::move(columns));
    }
    return rows;
}

}  // namespace

SoundServer::SoundServer(std::string address)
    : described_(address.empty() ? "the default sound server" : "the sound server at " + address) {
    if (!address.empty()) env_["PULSE_SERVER"] = address;
}

std::string SoundServer::pactl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"pactl"};
    argv.insert(argv.end(), args.begin(), args.end());
    process::Options options;
    options.env = env_;
    options.timeout = std::chrono::seconds(5);
    const auto result = process::run(argv, options);
    if (!result.started)
        throw Error(code::kVoiceUnavailable, "cannot run pactl: " + result.error,
                    "install PulseAudio's tools (Debian: apt-get install pulseaudio-utils)");
    if (!result.ok()) {
        std::string why = result.timed_out ? "no answer in 5 s" : result.err.substr(0, result.err.find('\n'));
        throw Error(code::kVoiceUnavailable,
                    "cannot reach " + described_ + " (pactl " + args.front() + ": " + why + ")",
                    "speaking in calls needs the PulseAudio (or PipeWire pulse) server jamid uses: start it for "
                    "jamid's user, or give the skill its address (open option pulse_server, jamictl --pulse)");
    }
    return result.out;
}

void SoundServer::ensureSink(const std::string& name) {
    for (const auto& row : rowsOf(pactl({"list", "short", "sinks"})))
        if (row.size() > 1 && row[1] == name) return;
    pactl({"load-module", "module-null-sink", "sink_name=" + name, "sink_properties=device.description=" + name});
}

bool SoundServer::monitorIsRead(const std::string& sink) {
    std::string monitor_index;
    for (const auto& row : rowsOf(pactl({"list", "short", "sources"})))
        if (row.size() > 1 && row[1] == sink + ".monitor") monitor_index = row[0];
    if (monitor_index.empty()) return false;
    for (const auto& row : rowsOf(pactl({"list", "short", "source-outputs"})))
        if (row.size() > 1 && row[1] == monitor_index) return true;
    return false;
}

std::unique_ptr<process::Child> SoundServer::start(const std::vector<std::string>& argv) {
    auto child = std::make_unique<process::Child>(argv, env_);
    if (!child->started())
        throw Error(code::kVoiceUnavailable, "cannot run " + argv.front() + ": " + child->error(),
                    "install PulseAudio's tools (Debian: apt-get install pulseaudio-utils)");
    return child;
}

std::unique_ptr<process::Child> SoundServer::play(const std::filesystem::path& wav, const std::string& sink) {
    return start({"paplay", "-d", sink, "--latency-msec=20", wav.string()});
}

std::unique_ptr<process::Child> SoundServer::playSilence(const std::string& sink) {
    return start({"pacat", "--playback", "-d", sink, "--raw", "--format=s16le", "--rate=16000", "--channels=1",
                  "--latency-msec=20", "/dev/zero"});
}

std::unique_ptr<process::Child> SoundServer::record(const std::string& sink, const std::filesystem::path& raw) {
    return start({"parec", "-d", sink + ".monitor", "--raw", "--format=s16le", "--rate=16000", "--channels=1",
                  "--latency-msec=50", raw.string()});
}

}  // namespace jskill
