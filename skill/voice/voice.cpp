#include "skill/voice/voice.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/error.hpp"
#include "base/utf8.hpp"
#include "skill/voice/answer.hpp"

namespace jskill {

using namespace std::chrono_literals;

namespace {

// Seconds of sound in a PCM WAV file, from its header and size.
double wavSeconds(const std::filesystem::path& wav) {
    std::ifstream in(wav, std::ios::binary);
    unsigned char header[44] = {};
    if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return 0;
    auto u32 = [&](int at) {
        return static_cast<unsigned>(header[at]) | static_cast<unsigned>(header[at + 1]) << 8 |
               static_cast<unsigned>(header[at + 2]) << 16 | static_cast<unsigned>(header[at + 3]) << 24;
    };
    const unsigned bytes_per_second = u32(28);
    std::error_code ec;
    const auto size = std::filesystem::file_size(wav, ec);
    if (ec || bytes_per_second == 0 || size < sizeof header) return 0;
    return static_cast<double>(size - sizeof header) / bytes_per_second;
}

// A PCM WAV header: 16-bit mono at `rate`, `bytes` of samples after it.
void writeWavHeader(std::ostream& out, std::uint32_t rate, std::uint32_t bytes) {
    auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    out.write("RIFF", 4), u32(36 + bytes), out.write("WAVEfmt ", 8), u32(16), u16(1), u16(1), u32(rate), u32(rate * 2),
        u16(2), u16(16), out.write("data", 4), u32(bytes);
}

// A 100 ms window with energy: RMS above 1% of full scale, what the lab's
// calls measure for speech (silence on a call is ~0.001).
constexpr double kSpeechRms = 0.01;
constexpr std::size_t kWindowBytes = 3200;  // 100 ms of 16 kHz 16-bit mono

bool loud(const char* samples, std::size_t bytes) {
    double sum = 0;
    const std::size_t n = bytes / 2;
    for (std::size_t i = 0; i < n; ++i) {
        const auto lo = static_cast<unsigned char>(samples[2 * i]);
        const auto hi = static_cast<unsigned char>(samples[2 * i + 1]);
        const double v = static_cast<std::int16_t>(static_cast<std::uint16_t>(lo | hi << 8)) / 32768.0;
        sum += v * v;
    }
    return n && std::sqrt(sum / static_cast<double>(n)) > kSpeechRms;
}

}  // namespace

std::filesystem::path Voice::workFile(const std::string& stem) {
    std::error_code ec;
    std::filesystem::create_directories(work_dir_, ec);
    unsigned n;
    {
        std::lock_guard lock(counter_mutex_);
        n = ++counter_;
    }
    return work_dir_ / (stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(n));
}

std::string Voice::languageOf(const std::string& text) { return contacts::hasHan(text) ? "zh" : "en"; }

Utterance::~Utterance() {
    std::error_code ec;
    if (made_here && !wav.empty()) std::filesystem::remove(wav, ec);
}

Voice::Voice(std::string pulse_server, std::filesystem::path work_dir)
    : server_(std::move(pulse_server)),
      work_dir_(std::move(work_dir)),
      pinyin_("Han-Latin; NFD; Latin-NumericPinyin; Fullwidth-Halfwidth") {}

Utterance Voice::say(const std::string& text) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error(code::kInvalidArgument, "there is nothing to say", "give the words to speak");
    if (text.size() > kMaxText)
        throw Error(code::kInvalidArgument,
                    "what to say is " + std::to_string(text.size()) + " bytes; at most " + std::to_string(kMaxText),
                    "say it shorter, or send it as a message");
    if (!isValidUtf8(text) || contacts::hasControlOrBidi(text, /*allow_line_breaks=*/true))
        throw Error(code::kInvalidArgument, "what to say contains control characters or bidi overrides",
                    "give plain text");
    Utterance speech;
    speech.text = text;
    std::string spoken = text;
    const char* voice = "en-us";
    speech.language = languageOf(text);
    if (speech.language == "zh") {
        spoken = pinyin_.of(text);
        if (spoken.empty())
            throw Error(code::kVoiceUnavailable, "cannot read Chinese text aloud: " + contacts::unicodeProblem(),
                        "reinstall jami-skill (its Unicode part reads Chinese as pinyin)");
        voice = "cmn-latn-pinyin";
    }
    speech.wav = workFile("speech") += ".wav";
    process::Options options;
    options.input = spoken;
    options.timeout = std::chrono::seconds(20);
    const auto result =
        process::run({"espeak-ng", "-v", voice, "-s", "155", "-w", speech.wav.string(), "--stdin"}, options);
    if (!result.started)
        throw Error(code::kVoiceUnavailable, "cannot run espeak-ng: " + result.error,
                    "install the speech synthesizer (Debian: apt-get install espeak-ng)");
    if (!result.ok() || (speech.seconds = wavSeconds(speech.wav)) <= 0)
        throw Error(code::kVoiceUnavailable,
                    "espeak-ng made no speech (" + result.err.substr(0, result.err.find('\n')) + ")",
                    std::string("check that espeak-ng has the ") + voice + " voice (espeak-ng --voices)");
    return speech;
}

Utterance Voice::hostAudio(const std::filesystem::path& audio_dir, const std::string& name) {
    namespace fs = std::filesystem;
    if (audio_dir.empty())
        throw Error(code::kInvalidArgument, "say_audio needs a folder of speech files, and none was named",
                    "the host names it when it opens the skill (option audio_dir); a model or a sentence cannot");
    if (name.empty() || name.find('/') != std::string::npos || name.front() == '.' || !isValidUtf8(name) ||
        contacts::hasControlOrBidi(name))
        throw Error(code::kInvalidArgument, "say_audio is a file name inside the audio folder, not \"" + name + "\"",
                    "no folder, no path, no leading dot");
    std::error_code ec;
    const fs::path folder = fs::canonical(audio_dir, ec);
    if (ec) throw Error(code::kInvalidArgument, "the audio folder " + audio_dir.string() + " cannot be read");
    const fs::path file = fs::canonical(folder / name, ec);
    const auto relative = ec ? fs::path() : file.lexically_relative(folder);
    if (ec || relative.empty() || *relative.begin() == ".." || !fs::is_regular_file(file, ec) ||
        fs::file_size(file, ec) > (50u << 20))
        throw Error(code::kInvalidArgument, "no speech file \"" + name + "\" in the audio folder",
                    "a regular WAV file of at most 50 MB inside " + folder.string());
    Utterance speech;
    speech.wav = file;
    speech.made_here = false;
    speech.from_host = true;
    speech.text = name;
    speech.language = "";
    speech.seconds = wavSeconds(file);
    if (speech.seconds <= 0)
        throw Error(code::kInvalidArgument, "\"" + name + "\" is not a PCM WAV file", "give a .wav file");
    return speech;
}

void Voice::checkPcm(std::uint32_t sample_rate, const std::string& samples) {
    if (sample_rate < 8000 || sample_rate > 48000)
        throw Error(code::kInvalidArgument,
                    "say_pcm's sample_rate is " + std::to_string(sample_rate) + "; 8000 to 48000 are played",
                    "16-bit mono samples at the rate given");
    if (samples.empty() || samples.size() % 2 != 0)
        throw Error(code::kInvalidArgument, "say_pcm holds no whole 16-bit samples",
                    "data: 16-bit little-endian mono samples, base64");
    if (samples.size() > 2u * sample_rate * kMaxHostSeconds)
        throw Error(code::kInvalidArgument, "say_pcm is longer than " + std::to_string(kMaxHostSeconds) + " s",
                    "say it shorter");
}

Utterance Voice::hostPcm(std::uint32_t sample_rate, const std::string& samples) {
    checkPcm(sample_rate, samples);
    Utterance speech;
    speech.wav = workFile("host") += ".wav";
    {
        std::ofstream out(speech.wav, std::ios::binary);
        writeWavHeader(out, sample_rate, static_cast<std::uint32_t>(samples.size()));
        out.write(samples.data(), static_cast<std::streamsize>(samples.size()));
        if (!out) throw Error(code::kVoiceUnavailable, "cannot write the host's speech into " + work_dir_.string());
    }
    speech.from_host = true;
    speech.seconds = static_cast<double>(samples.size()) / (2.0 * sample_rate);
    return speech;
}

void Voice::route(Jamid& jamid) {
    server_.ensureSink(kMouth);
    server_.ensureSink(kEar);
    // By name, right before setting, then read back: jamid re-reads its
    // device list when sinks come and go, and an index set meanwhile can be
    // accepted yet point at nothing (jami-media.md section 9).
    struct Choice {
        std::string name;
        bool input;
    };
    for (const Choice& choice : {Choice{std::string("Monitor of ") + kMouth, true}, Choice{kEar, false}}) {
        bool set = false;
        for (int attempt = 0; attempt < 25 && !set; ++attempt) {
            if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(200));
            auto list = choice.input ? jamid.audioInputDevices() : jamid.audioOutputDevices();
            const auto at = std::find(list.begin(), list.end(), choice.name);
            if (at == list.end()) continue;  // not listed yet
            const int index = static_cast<int>(at - list.begin());
            auto current = jamid.currentAudioDevices();
            const std::size_t slot = choice.input ? 1 : 0;
            if (current.size() <= slot || current[slot] != index)
                choice.input ? jamid.setAudioInputDevice(index) : jamid.setAudioOutputDevice(index);
            current = jamid.currentAudioDevices();
            list = choice.input ? jamid.audioInputDevices() : jamid.audioOutputDevices();
            set = current.size() > slot && current[slot] >= 0 &&
                  static_cast<std::size_t>(current[slot]) < list.size() &&
                  list[static_cast<std::size_t>(current[slot])] == choice.name;
        }
        if (!set)
            throw Error(code::kVoiceUnavailable, "jamid does not offer \"" + choice.name + "\" as a device",
                        "jamid must use the same PulseAudio server as the skill (its PULSE_SERVER / the user's "
                        "session); `pactl list short sinks` there should show " +
                            std::string(kMouth) + " and " + kEar);
    }
    // jamid's noise suppression takes synthesized speech for noise: on the
    // lab's calls it cut the speech's energy by half and ate its onsets.
    // Off while jamid speaks for the assistant; the user's own setting is
    // kept in the marker (first routing only) and given back by unroute().
    const std::string now = jamid.noiseSuppression();
    std::string users_setting = routedMarker().value_or("");
    if (users_setting.empty()) users_setting = now.empty() ? "auto" : now;
    if (now != kNoiseSuppressionOff) jamid.setNoiseSuppression(kNoiseSuppressionOff);
    std::error_code ec;
    std::filesystem::create_directories(work_dir_, ec);
    std::ofstream(work_dir_ / "routed") << "jamid's microphone and speaker are jami-skill's mouth and ear\n"
                                        << "noise suppression before: " << users_setting << "\n";
}

std::optional<std::string> Voice::routedMarker() const {
    std::ifstream in(work_dir_ / "routed");
    if (!in) return std::nullopt;
    static constexpr std::string_view kBefore = "noise suppression before: ";
    for (std::string line; std::getline(in, line);)
        if (line.rfind(kBefore, 0) == 0) return line.substr(kBefore.size());
    return std::string();  // routed by an older version: nothing to give back
}

bool Voice::unroute(Jamid& jamid) try {
    // Only after this state dir's skill routed jamid: a user who never
    // turned voice on never has jamid asked.
    const auto users_setting = routedMarker();
    if (!users_setting) return false;
    std::error_code ec;
    std::filesystem::remove(work_dir_ / "routed", ec);
    bool changed = false;
    if (!users_setting->empty() && *users_setting != kNoiseSuppressionOff &&
        jamid.noiseSuppression() == kNoiseSuppressionOff) {
        jamid.setNoiseSuppression(*users_setting);
        changed = true;
    }
    const auto current = jamid.currentAudioDevices();
    if (current.size() < 2 || (current[0] == 0 && current[1] == 0)) return changed;  // the defaults: one read
    auto named = [](const std::vector<std::string>& list, int index) {
        return index >= 0 && static_cast<std::size_t>(index) < list.size() ? list[static_cast<std::size_t>(index)]
                                                                           : std::string();
    };
    if (named(jamid.audioInputDevices(), current[1]) == std::string("Monitor of ") + kMouth) {
        jamid.setAudioInputDevice(0);  // index 0: the server's default source
        changed = true;
    }
    if (named(jamid.audioOutputDevices(), current[0]) == kEar) {
        jamid.setAudioOutputDevice(0);
        changed = true;
    }
    return changed;
} catch (const Error&) {
    return false;  // never a reason to fail the call a person asked for
}

nlohmann::json Voice::devices(Jamid& jamid) {
    const auto current = jamid.currentAudioDevices();
    auto named = [](const std::vector<std::string>& list, std::size_t slot, const std::vector<int>& at) {
        if (at.size() <= slot || at[slot] < 0 || static_cast<std::size_t>(at[slot]) >= list.size())
            return std::string();
        return list[static_cast<std::size_t>(at[slot])];
    };
    const std::string microphone = named(jamid.audioInputDevices(), 1, current);
    const std::string speaker = named(jamid.audioOutputDevices(), 0, current);
    return {{"microphone", microphone},
            {"speaker", speaker},
            {"noise_suppression", jamid.noiseSuppression()},
            {"routed", microphone == std::string("Monitor of ") + kMouth && speaker == kEar}};
}

bool Voice::waitUntilCaptured(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        if (server_.monitorIsRead(kMouth)) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
    }
}

std::unique_ptr<process::Child> Voice::keepMouthOpen() { return server_.playSilence(kMouth); }

namespace {

class PaplayPlayback final : public Playback {
public:
    explicit PaplayPlayback(std::unique_ptr<process::Child> child) : child_(std::move(child)) {}
    bool finished(std::chrono::milliseconds limit) override { return child_->wait(limit).has_value(); }

private:
    std::unique_ptr<process::Child> child_;  // killed if still playing
};

// jamid's MediaPlayer as the call's one audio stream. It has no end signal:
// the position is read every 100 ms (rarely enough: a newer jamid, not
// 13.7, which polling can crash); at its end the player seeks back to 0.
class JamidPlayback final : public Playback {
public:
    JamidPlayback(Jamid& jamid, const std::string& account, const std::string& call_id, const Utterance& speech)
        : jamid_(jamid), seconds_(speech.seconds) {
        const std::string uri = "file://" + std::filesystem::absolute(speech.wav).string();
        id_ = jamid_.createMediaPlayer(uri);
        if (id_.empty())
            throw Error(code::kVoiceUnavailable, "jamid could not open the speech file as a player",
                        "jamid must be able to read " + speech.wav.string());
        if (!jamid_.playIntoCall(account, call_id, uri) || !jamid_.pausePlayer(id_, false)) {
            close();  // a constructor that throws runs no destructor
            throw Error(code::kVoiceUnavailable, "jamid did not play the speech into call " + call_id,
                        "`jamictl call status " + call_id + "` shows the call");
        }
        started_ = std::chrono::steady_clock::now();
    }
    ~JamidPlayback() override { close(); }
    bool finished(std::chrono::milliseconds limit) override {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (true) {
            if (duration_ <= 0) duration_ = jamid_.playerDuration(id_);  // known once the file is open
            const std::int64_t position = jamid_.playerPosition(id_), duration = duration_;
            const bool wrapped = position < last_;  // back to 0: the end was reached
            last_ = position;
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
            if ((duration > 0 && (position >= duration || wrapped)) || elapsed > seconds_ + 1.0) return true;
            const auto now = std::chrono::steady_clock::now();
            if (now >= deadline) return false;
            std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(100ms, deadline - now));
        }
    }

private:
    void close() noexcept {
        try {
            jamid_.closeMediaPlayer(id_);
        } catch (const Error&) {}  // jamid went away: nothing plays any more
    }
    Jamid& jamid_;
    std::string id_;
    std::int64_t duration_ = 0;
    double seconds_;
    std::chrono::steady_clock::time_point started_;
    std::int64_t last_ = -1;
};

}  // namespace

std::unique_ptr<Playback> Voice::play(const Utterance& speech) {
    return std::make_unique<PaplayPlayback>(server_.play(speech.wav, kMouth));
}

std::unique_ptr<Playback> Voice::playWithJamid(Jamid& jamid, const std::string& account, const std::string& call_id,
                                               const Utterance& speech) {
    return std::make_unique<JamidPlayback>(jamid, account, call_id, speech);
}

std::optional<bool> Voice::hearYesOrNo(std::chrono::milliseconds limit, const std::function<bool()>& stop) {
    const auto stem = workFile("heard");
    auto with = [&](const char* ext) { return std::filesystem::path(stem) += ext; };
    const auto raw = with(".raw"), wav = with(".wav"), grammar = with(".gram");
    struct Cleanup {
        std::vector<std::filesystem::path> files;
        ~Cleanup() {
            std::error_code ignored;
            for (const auto& f : files) std::filesystem::remove(f, ignored);
        }
    } cleanup{{raw, wav, grammar}};
    {
        auto recorder = server_.record(kEar, raw);
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline && !stop() && !recorder->wait(100ms)) {}
        recorder->interrupt();
    }
    // pocketsphinx reads WAV: the raw samples behind a 44-byte header.
    std::error_code ec;
    const auto bytes = static_cast<std::uint32_t>(std::filesystem::file_size(raw, ec));
    if (ec || bytes < 3200) return std::nullopt;  // under 0.1 s: nothing to hear
    {
        std::ofstream out(wav, std::ios::binary);
        writeWavHeader(out, 16000, bytes);
        std::ifstream in(raw, std::ios::binary);
        out << in.rdbuf();
        std::ofstream(grammar) << "#JSGF V1.0;\ngrammar answer;\npublic <answer> = <word>+;\n"
                                  "<word> = yes | yeah | yep | okay | correct | no | nope;\n";
    }
    process::Options options;
    options.timeout = std::chrono::seconds(20);
    const auto result = process::run(
        {"pocketsphinx_continuous", "-infile", wav.string(), "-jsgf", grammar.string(), "-logfn", "/dev/null"},
        options);
    if (!result.started)
        throw Error(code::kVoiceUnavailable, "cannot run pocketsphinx_continuous: " + result.error,
                    "install the speech recognizer (Debian: apt-get install pocketsphinx pocketsphinx-en-us)");
    bool yes = false, no = false;
    std::istringstream words(result.out);
    for (std::string word; words >> word;) {
        const auto answer = yesOrNo(word);  // the grammar's words are all answers
        yes = yes || answer == true;
        no = no || answer == false;
    }
    if (yes == no) return std::nullopt;
    return yes;
}

Recording Voice::recordMessage(const std::filesystem::path& wav, std::chrono::milliseconds max,
                               std::chrono::milliseconds silence, const std::function<bool()>& stop) {
    const auto raw = std::filesystem::path(workFile("message")) += ".raw";
    struct Cleanup {
        std::filesystem::path file;
        ~Cleanup() {
            std::error_code ignored;
            std::filesystem::remove(file, ignored);
        }
    } cleanup{raw};
    Recording out;
    {
        auto recorder = server_.record(kEar, raw);
        const auto started = std::chrono::steady_clock::now();
        auto last_sound = started;
        std::ifstream in;
        std::string window(kWindowBytes, '\0');
        std::size_t loud_windows = 0;
        while (true) {
            // What parec wrote since the last look, 100 ms at a time.
            if (!in.is_open()) in.open(raw, std::ios::binary);
            while (in.is_open() && in.read(window.data(), kWindowBytes)) {
                if (loud(window.data(), kWindowBytes)) {
                    ++loud_windows;
                    last_sound = std::chrono::steady_clock::now();
                }
            }
            if (in.is_open()) {                    // at the end for now: parec writes on
                const auto partial = in.gcount();  // a window's start: read again when it is whole
                in.clear();
                if (partial > 0) in.seekg(-partial, std::ios::cur);
            }
            const auto now = std::chrono::steady_clock::now();
            if (stop()) {
                out.ended_by = "stopped";
            } else if (now - last_sound >= silence) {
                out.ended_by = "silence";
            } else if (now - started >= max) {
                out.ended_by = "max_length";
            } else if (recorder->wait(100ms)) {
                throw Error(code::kVoiceUnavailable, "parec stopped recording the call",
                            "check the sound server (pactl info) and that jamid's speaker is " + std::string(kEar));
            } else {
                continue;
            }
            break;
        }
        recorder->interrupt();
        out.speech_seconds = static_cast<double>(loud_windows) / 10.0;
    }
    std::error_code ec;
    auto bytes = std::filesystem::file_size(raw, ec);
    if (ec) bytes = 0;
    bytes = std::min<std::uintmax_t>(bytes, static_cast<std::uintmax_t>(max.count()) * 32);  // never past the maximum
    bytes -= bytes % 2;
    std::ofstream file(wav, std::ios::binary);
    writeWavHeader(file, 16000, static_cast<std::uint32_t>(bytes));
    std::ifstream in(raw, std::ios::binary);
    std::string chunk(64 * 1024, '\0');
    for (std::uintmax_t left = bytes; left > 0;) {
        const auto n = static_cast<std::streamsize>(std::min<std::uintmax_t>(left, chunk.size()));
        if (!in.read(chunk.data(), n)) break;
        file.write(chunk.data(), n);
        left -= static_cast<std::uintmax_t>(n);
    }
    if (!file) throw Error(code::kVoiceUnavailable, "cannot write the recording " + wav.string());
    out.seconds = static_cast<double>(bytes) / 32000.0;
    return out;
}

Utterance Voice::tone() {
    Utterance beep;
    beep.wav = workFile("tone") += ".wav";
    constexpr std::uint32_t kRate = 16000, kSamples = kRate * 3 / 10;  // 0.3 s
    std::string samples(2 * kSamples, '\0');
    for (std::uint32_t i = 0; i < kSamples; ++i) {
        const double fade = std::min({1.0, i / 160.0, (kSamples - i) / 160.0});  // 10 ms in and out: no click
        const auto v = static_cast<std::int16_t>(12000 * fade * std::sin(2 * M_PI * 1000.0 * i / kRate));
        samples[2 * i] = static_cast<char>(v & 0xff);
        samples[2 * i + 1] = static_cast<char>((v >> 8) & 0xff);
    }
    std::ofstream out(beep.wav, std::ios::binary);
    writeWavHeader(out, kRate, static_cast<std::uint32_t>(samples.size()));
    out.write(samples.data(), static_cast<std::streamsize>(samples.size()));
    if (!out) throw Error(code::kVoiceUnavailable, "cannot write a tone into " + work_dir_.string());
    beep.text = "(tone)";
    beep.seconds = 0.3;
    return beep;
}

}  // namespace jskill
