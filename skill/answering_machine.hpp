// The answering machine (docs/voice.md): for a caller the policy lets it
// answer ("- Answering machine: contacts after 20 s"), it lets the call
// ring that long (a person may take it), answers, greets the caller, sounds
// a tone, records the message from the call (jamid's speaker, the ear)
// until the caller hangs up, is silent for 10 s or reaches the longest
// message, hangs up, keeps the recording (VoicemailStore) and tells the host
// with the event `voicemail` (transcribed first when a transcriber is set).
//
// Owned by the skill facade (skill/skill.cpp), above the event path: for
// each event the host takes (answering needs someone listening), offer()
// decides at once and
// starts the call's thread; everything slow (speech, the delay, the call,
// the transcriber) runs there, never on the host's thread or jamid's loop.
// One call at a time: a caller it would answer who rings meanwhile is told
// busy (declined). stop() (the handle closes) ends the call in progress
// within ~0.1 s: every wait checks it. Thread-safe.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace jskill {

struct State;

class AnsweringMachine {
public:
    static constexpr int kSilenceSeconds = 10;  // a message ends after this long without a sound

    explicit AnsweringMachine(State& state) : state_(state) {}
    ~AnsweringMachine() { stop(); }
    AnsweringMachine(const AnsweringMachine&) = delete;
    AnsweringMachine& operator=(const AnsweringMachine&) = delete;

    // For a call.incoming event the host took (enriched: peer, contact):
    // what the machine does, added to the event as "answering_machine":
    // {"will_answer_after_s": N}, {"busy": true} (declined: it is taking
    // another message), or {"skipped": "voice_off"}; nothing when the
    // machine is off or the caller is not one it answers.
    void offer(nlohmann::json& incoming);
    // Ends the call in progress (hung up, its message kept) and waits for its thread.
    void stop();

private:
    struct Ringing {
        std::string account, call_id, peer, contact;
    };
    void take(const Ringing& call);  // the call's thread
    bool stopping() const { return stopping_.load(); }

    State& state_;
    std::mutex mutex_;
    std::thread worker_;
    bool busy_ = false;  // a call is being answered or recorded
    std::atomic<bool> stopping_{false};
};

}  // namespace jskill
