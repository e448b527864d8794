// What the voice test and the voice bench both need: PulseAudio's tools run
// against one lab daemon's own server, the energy of what was recorded, and
// the words in it.
#pragma once

#include <spawn.h>
#include <sys/types.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
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

// A PCM WAV header: 16-bit mono at `rate`, `bytes` of samples after it.
inline void writeWavHeader(std::ostream& out, std::uint32_t rate, std::uint32_t bytes) {
    auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    out.write("RIFF", 4), u32(36 + bytes), out.write("WAVEfmt ", 8), u32(16), u16(1), u16(1), u32(rate), u32(rate * 2),
        u16(2), u16(16), out.write("data", 4), u32(bytes);
}

// The words pocketsphinx (English) hears in a raw 16 kHz mono recording,
// choosing among `vocabulary` alone (a grammar of any sequence of them).
inline std::vector<std::string> wordsHeard(const std::filesystem::path& raw,
                                           const std::vector<std::string>& vocabulary) {
    const auto wav = std::filesystem::path(raw) += ".wav", grammar = std::filesystem::path(raw) += ".gram";
    {
        std::ifstream in(raw, std::ios::binary);
        const std::string samples((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ofstream out(wav, std::ios::binary);
        writeWavHeader(out, 16000, static_cast<std::uint32_t>(samples.size()));
        out << samples;
        std::ofstream rules(grammar);
        rules << "#JSGF V1.0;\ngrammar heard;\npublic <heard> = <word>+;\n<word> = ";
        for (std::size_t i = 0; i < vocabulary.size(); ++i) rules << (i ? " | " : "") << vocabulary[i];
        rules << ";\n";
    }
    std::vector<std::string> words;
    const std::string command = "pocketsphinx_continuous -infile '" + wav.string() + "' -jsgf '" + grammar.string() +
                                "' -logfn /dev/null 2>/dev/null";
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        std::string out;
        char buffer[512];
        while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
        ::pclose(pipe);
        std::istringstream split(out);
        for (std::string word; split >> word;) words.push_back(word);
    }
    return words;
}

// What pocketsphinx heard in `raw` among the words that were said and as
// many that were never said: how many of each, and the transcript.
struct Heard {
    std::vector<std::string> words;
    int right = 0, wrong = 0;
    std::string transcript;
    bool has(const std::string& word) const { return std::find(words.begin(), words.end(), word) != words.end(); }
};
inline Heard heardAmong(const std::filesystem::path& raw, const std::vector<std::string>& said,
                        const std::vector<std::string>& never_said) {
    std::vector<std::string> vocabulary = said;
    vocabulary.insert(vocabulary.end(), never_said.begin(), never_said.end());
    Heard out;
    out.words = wordsHeard(raw, vocabulary);
    for (const auto& w : out.words) {
        out.transcript += w + " ";
        (std::find(said.begin(), said.end(), w) != said.end() ? out.right : out.wrong) += 1;
    }
    return out;
}

}  // namespace test
