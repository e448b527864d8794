// The assistant's voice in calls (docs/voice.md): speech made from text
// (or a host's own), and the ways it reaches a call. On jamid 13.7, where
// playing a file into a call is broken (../shared/notes/jami-media.md),
// jamid's microphone is the monitor of a "mouth" null sink, its speaker an
// "ear" null sink, and the speech is played into the mouth while the call
// runs; a newer jamid plays the file itself (playWithJamid, its
// MediaPlayer).
//
// In order, for one notify call through the mouth: say() makes the speech
// (espeak-ng, before anything is placed, so that a missing synthesizer
// places nothing; ~0.1 s for a sentence), route() gives jamid its mouth and
// ear and turns its noise suppression off (a few pactl runs and D-Bus
// calls; kept across calls and restarts: found again by name),
// keepMouthOpen() plays silence into the mouth for the call, then, once the
// media are up, waitUntilCaptured() sees jamid's capture on the mouth and
// play() speaks. Everything throws Error{voice_unavailable} with a hint.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/process.hpp"
#include "contacts/name_keys.hpp"
#include "skill/jamid/jamid.hpp"
#include "skill/voice/sound_server.hpp"

namespace jskill {

// Speech ready to play: a WAV file that goes away with this object.
struct Utterance {
    std::filesystem::path wav;
    bool made_here = true;   // false: a host's own file, never removed
    bool from_host = false;  // the host's audio (a file, or samples), not espeak-ng's
    std::string text;
    std::string language;  // "en" or "zh" (Mandarin)
    double seconds = 0;
    Utterance() = default;
    Utterance(Utterance&&) = default;
    Utterance& operator=(Utterance&&) = default;
    ~Utterance();
};

// What Voice::recordMessage kept.
struct Recording {
    double seconds = 0;         // the file's length
    double speech_seconds = 0;  // of which had energy (someone spoke)
    std::string ended_by;       // "stopped" (the call ended), "silence" or "max_length"
};

// Speech being played into a call: by paplay into the mouth, or by
// jamid's own MediaPlayer. Destroying it stops it.
class Playback {
public:
    virtual ~Playback() = default;
    // True once everything was played; waits at most `limit`.
    virtual bool finished(std::chrono::milliseconds limit) = 0;
};

class Voice {
public:
    static constexpr const char* kMouth = "jami-skill-mouth";
    static constexpr const char* kEar = "jami-skill-ear";
    static constexpr std::size_t kMaxText = 1000;  // bytes of text to speak
    static constexpr const char* kNoiseSuppressionOff = "no";

    // `pulse_server`: "" for the default one; `work_dir`: where speech files
    // live while they are played.
    Voice(std::string pulse_server, std::filesystem::path work_dir);

    // Speech for `text`: Mandarin when it holds Chinese characters (read as
    // tone-numbered pinyin, espeak-ng's cmn-latn-pinyin voice), else English.
    // Plain text only: espeak-ng reads it from stdin without markup.
    // Throws Error{invalid_argument} for empty, too long or control text.
    Utterance say(const std::string& text);
    // A host's own speech: the WAV file `name` inside `audio_dir`, the
    // folder the host named at open (never a path from a request: a plain
    // file name, found inside that folder after symlinks are followed, so
    // nobody can play another file to a contact). Throws invalid_argument.
    static Utterance hostAudio(const std::filesystem::path& audio_dir, const std::string& name);
    // A host's own speech handed in the request: 16-bit little-endian mono
    // samples at `sample_rate` (8000-48000), written to a work file that
    // goes away with the Utterance. Throws invalid_argument.
    Utterance hostPcm(std::uint32_t sample_rate, const std::string& samples);
    static void checkPcm(std::uint32_t sample_rate, const std::string& samples);
    static constexpr unsigned kMaxHostSeconds = 120;
    // "zh" for text holding Chinese characters, else "en".
    static std::string languageOf(const std::string& text);
    // jamid's microphone = the mouth's monitor, its speaker = the ear, and
    // its noise suppression off (it takes speech for noise).
    void route(Jamid& jamid);
    // When voice has been turned off: jamid's microphone and speaker back
    // to the sound server's defaults, if they are still the mouth and the
    // ear (a person's own choice of devices is left alone), and the user's
    // noise suppression back. Only once after
    // route() (a marker in the state dir says so): a user who never turned
    // voice on never has jamid asked. True when it changed something.
    // Never throws: a call is not refused for it.
    bool unroute(Jamid& jamid);
    // jamid's microphone and speaker by name, and whether they are ours.
    nlohmann::json devices(Jamid& jamid);
    // Silence into the mouth for as long as the child lives: jamid's
    // capture then reads a running signal from the answer on, as from a
    // real microphone (measured: speech reached the callee ~0.35 s sooner
    // than when the capture started on an idle mouth).
    std::unique_ptr<process::Child> keepMouthOpen();
    // Whether jamid's capture reads the mouth within `limit`.
    bool waitUntilCaptured(std::chrono::milliseconds limit);
    std::unique_ptr<Playback> play(const Utterance& speech);
    // jamid plays the speech file itself into call `call_id` (its
    // MediaPlayer, when Jamid::hasMediaPlayer: no sound server involved).
    // Throws voice_unavailable when jamid refuses it.
    static std::unique_ptr<Playback> playWithJamid(Jamid& jamid, const std::string& account, const std::string& call_id,
                                                   const Utterance& speech);
    // Listens to the call (jamid's speaker, the ear) for `limit`, or until
    // `stop` says so (the call is over, an answer was typed), and reads a spoken yes or no with
    // pocketsphinx and a grammar of those words alone (English): never
    // anything else, so what a caller says cannot become an instruction.
    // nullopt: neither, or both, was heard. Throws voice_unavailable when
    // pocketsphinx is missing.
    std::optional<bool> hearYesOrNo(std::chrono::milliseconds limit, const std::function<bool()>& stop);
    // Records the call (jamid's speaker, the ear) into `wav` (16 kHz mono
    // PCM WAV) until `stop` says so (the call is over), `silence` passes
    // with no energy, or the message is `max` long. Its energy is measured
    // as it comes (every 100 ms), so silence ends it in time. Throws
    // voice_unavailable when parec cannot record.
    Recording recordMessage(const std::filesystem::path& wav, std::chrono::milliseconds max,
                            std::chrono::milliseconds silence, const std::function<bool()>& stop);
    // A short beep (0.3 s at 1 kHz): "leave a message after the tone".
    Utterance tone();

private:
    // The marker route() leaves: nullopt when jamid was not routed by this
    // state dir's skill, else the user's noise suppression before.
    std::optional<std::string> routedMarker() const;
    // A fresh path in the work dir, "<stem>-<pid>-<n>", without extension.
    std::filesystem::path workFile(const std::string& stem);
    SoundServer server_;
    std::filesystem::path work_dir_;
    contacts::Transliteration pinyin_;  // Han -> "ni3 hao3"
    std::mutex counter_mutex_;
    unsigned counter_ = 0;
};

}  // namespace jskill
