// The sound server jamid plays to and records from (PulseAudio, or
// PipeWire's pulse server), driven through PulseAudio's own tools: pactl to
// see and add devices, paplay to speak. Nothing here knows jamid.
//
// Which server: the open option "pulse_server" (a PULSE_SERVER address),
// else what PULSE_SERVER / the session gives the skill's own process. It
// must be the one jamid uses (the same user's session on a desktop; the
// lab's per-daemon servers in tests).
//
// Every method runs a helper program (~5-20 ms) and throws
// Error{voice_unavailable} with a hint when the tools are missing or the
// server cannot be reached. Thread-safe (no state but the address).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/process.hpp"

namespace jskill {

class SoundServer {
public:
    explicit SoundServer(std::string address);

    // A null sink called `name` (its description too), loaded unless there
    // is one: it outlives this process, and is found again by its name.
    void ensureSink(const std::string& name);
    // Whether a recording stream reads `sink`'s monitor right now (jamid's
    // capture of a call attaches there ~0.5 s after the answer).
    bool monitorIsRead(const std::string& sink);
    // Plays a WAV file into `sink`, paced in real time by paplay.
    std::unique_ptr<process::Child> play(const std::filesystem::path& wav, const std::string& sink);
    // Plays silence into `sink` until the child is ended: a null sink's
    // monitor gives a reader nothing while nothing plays.
    std::unique_ptr<process::Child> playSilence(const std::string& sink);
    // Records `sink`'s monitor (what is played into it) as raw 16 kHz mono
    // signed 16-bit samples into `raw`, until interrupted.
    std::unique_ptr<process::Child> record(const std::string& sink, const std::filesystem::path& raw);

private:
    std::unique_ptr<process::Child> start(const std::vector<std::string>& argv);
    std::string pactl(const std::vector<std::string>& args);
    std::map<std::string, std::string> env_;
    std::string described_;  // "the sound server at X" / "the default sound server"
};

}  // namespace jskill
