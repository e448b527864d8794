// What the voice test and the voice bench both need: PulseAudio's tools run
// against one lab daemon's own server, and the energy of what was recorded.
#pragma once

#include <spawn.h>
#include <sys/types.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern char** environ;

namespace test {

// Starts `args` (parec, paplay, ...) with PULSE_SERVER=`server`; its pid.
inline pid_t spawnOnServer(const std::string& server, std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string pulse = "PULSE_SERVER=" + server;
    std::vector<char*> envp;
    for (char** e = environ; *e; ++e)
        if (std::string(*e).rfind("PULSE_SERVER=", 0) != 0) envp.push_back(*e);
    envp.push_back(const_cast<char*>(pulse.c_str()));
    envp.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()) != 0) return -1;
    return pid;
}

// The RMS of each `window` samples of a raw 16-bit little-endian mono file.
inline std::vector<double> rmsWindows(const std::filesystem::path& raw, std::size_t window) {
    std::ifstream in(raw, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<double> out;
    for (std::size_t at = 0; at + 2 * window <= bytes.size(); at += 2 * window) {
        double sum = 0;
        for (std::size_t i = 0; i < window; ++i) {
            const auto lo = static_cast<unsigned char>(bytes[at + 2 * i]);
            const auto hi = static_cast<unsigned char>(bytes[at + 2 * i + 1]);
            const double sample = static_cast<int16_t>(static_cast<uint16_t>(lo | hi << 8)) / 32768.0;
            sum += sample * sample;
        }
        out.push_back(std::sqrt(sum / static_cast<double>(window)));
    }
    return out;
}

}  // namespace test
