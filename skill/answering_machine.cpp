#include "skill/answering_machine.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "base/jsonl_file.hpp"
#include "base/utf8.hpp"
#include "contacts/name_keys.hpp"
#include "skill/event_types.hpp"
#include "skill/events.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* kGreetingEn =
    "Hello. Nobody can take your call right now. Please leave a message after the tone, then hang up.";
constexpr const char* kGreetingZh = "您好，现在没有人能接听您的电话。请在提示音后留言，说完请挂断。";

// The greeting for this caller: the Chinese words for a contact whose name
// is written in Chinese, else the configured words (or a WAV of the host's
// folder), else the default ones.
Utterance greetingFor(State& state, const std::string& contact) {
    const auto policy = state.contacts.current()->policy.answering;
    const bool chinese = contacts::hasHan(contact);
    std::string words = chinese && !policy.greeting_zh.empty() ? policy.greeting_zh
                        : !policy.greeting.empty()             ? policy.greeting
                        : chinese                              ? kGreetingZh
                                                               : kGreetingEn;
    std::string lower = words;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.size() > 4 && lower.ends_with(".wav")) {
        Utterance own = Voice::hostAudio(state.options.audio_dir, words);  // the host's folder only
        own.text = words;
        return own;
    }
    return state.voice.say(words);
}

// A name for a work file from jamid's call id (digits in practice).
std::string fileSafe(const std::string& id) {
    std::string out;
    for (char c : id)
        if (std::isalnum(static_cast<unsigned char>(c))) out += c;
    return out.substr(0, 40);
}

}  // namespace

void AnsweringMachine::offer(json& incoming) {
    if (event::typeOf(incoming) != event::kCallIncoming || incoming.value("auto_answered", false)) return;
    const auto contacts = state_.contacts.current();
    const Policy& policy = contacts->policy;
    Ringing call{incoming.value("account", ""), incoming.value("call_id", ""), incoming.value("peer", ""),
                 incoming.value("contact", "")};
    const bool is_contact = !call.peer.empty() && contacts->book.findById(call.peer).has_value();
    if (call.call_id.empty() || !policy.answering.answers(call.peer, is_contact, policy.contacts_only)) return;
    if (!policy.voice) {  // it speaks and listens through the voice route
        incoming["answering_machine"] = {{"skipped", "voice_off"}};
        return;
    }
    bool busy = false;
    {
        std::lock_guard lock(mutex_);
        if (stopping()) return;
        busy = busy_;
        if (!busy) {
            if (worker_.joinable()) worker_.join();  // the last call's thread, past its last lock
            busy_ = true;
            worker_ = std::thread([this, call] {
                take(call);
                std::lock_guard done(mutex_);
                busy_ = false;
            });
        }
    }
    if (!busy) {
        incoming["answering_machine"] = {{"will_answer_after_s", policy.answering.after_seconds}};
        return;
    }
    // One message at a time: this caller hears busy and may call again
    // (asked of jamid with no lock held).
    bool declined = false;
    try {
        declined = state_.jamid()->refuse(call.account, call.call_id);
        if (declined) state_.calls.declined(call.call_id);
    } catch (const Error&) {}
    incoming["answering_machine"] = {{"busy", true}, {"declined", declined}};
}

void AnsweringMachine::stop() {
    std::thread worker;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        worker = std::move(worker_);
    }
    if (worker.joinable()) worker.join();
}

void AnsweringMachine::take(const Ringing& call) {
    const auto rules = state_.contacts.current()->policy.answering;
    const std::int64_t rung_ms = nowMs();
    json event{{"type", std::string(event::kVoicemail)},
               {"account", call.account},
               {"call_id", call.call_id},
               {"peer", call.peer},
               {"contact", call.contact},
               {"time", isoTime(rung_ms)},
               {"time_ms", rung_ms}};
    auto ended = [&] {
        auto r = state_.calls.get(call.call_id);
        return !r || r->ended();
    };
    std::shared_ptr<Jamid> jamid;
    bool answered = false;
    try {
        // Made while it rings: a missing synthesizer fails before anyone is answered.
        const Utterance greeting = greetingFor(state_, call.contact);
        const Utterance beep = state_.voice.tone();
        event["greeting"] = greeting.text;
        // jamid's microphone and speaker are set while it rings: a capture
        // that starts with the call reads the mouth from the answer on.
        jamid = state_.jamid();
        state_.voice.route(*jamid);
        auto mouth = state_.voice.keepMouthOpen();  // until the message is taken
        // It rings first: a person may take the call, the caller may give up.
        const auto answer_at = std::chrono::steady_clock::now() + std::chrono::seconds(rules.after_seconds);
        while (std::chrono::steady_clock::now() < answer_at) {
            if (stopping()) return;
            auto now = state_.calls.waitUntil(
                call.call_id, [](const CallRecord& r) { return r.answered || r.ended(); }, 200ms);
            if (now && (now->answered || now->ended())) return;  // the call.state events tell the host
        }
        const auto mark = state_.recent.mark();
        answered = jamid->accept(call.account, call.call_id);
        auditPolicyAnswer(state_, call.peer, call.contact, answered);
        if (!answered) return;  // gone meanwhile
        // Evidence that the media are up (speech played earlier is lost), then the greeting and the tone.
        const auto answered_at = std::chrono::steady_clock::now();
        const bool media = waitForMedia(state_, mark, call.call_id, 3s);
        const bool captured = state_.voice.waitUntilCaptured(3s);
        event["greeting_after_answer_s"] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - answered_at).count();
        if (auto warning = unseenMediaWarning(media, captured, "the greeting"); !warning.empty())
            event["warning"] = warning;
        for (const Utterance* said : {&greeting, &beep}) {
            auto player = state_.voice.play(*said);
            while (!player->finished(100ms))
                if (ended() || stopping()) break;
        }
        // The message: until the caller hangs up, is silent, or it is long enough.
        const auto wav = state_.state_dir / "voice" / ("voicemail-" + fileSafe(call.call_id) + ".wav");
        const Recording message =
            state_.voice.recordMessage(wav, std::chrono::seconds(rules.max_seconds),
                                       std::chrono::seconds(kSilenceSeconds), [&] { return ended() || stopping(); });
        const bool caller_hung_up = message.ended_by == "stopped" && !stopping();
        if (!ended() && !state_.hangUpWhenDone(*jamid, call.account, call.call_id)) {
            const std::string lost =
                "jamid stopped answering as it hung up (it may have crashed; "
                "`jamictl daemon start` starts it again); the message is kept";
            event["warning"] = event.contains("warning") ? event["warning"].get<std::string>() + "; " + lost : lost;
        }
        event["duration_s"] = message.seconds;
        event["speech_s"] = message.speech_seconds;
        event["ended_by"] = caller_hung_up ? "caller" : stopping() ? "closed" : message.ended_by;
        if (message.speech_seconds < 0.5) {  // the caller said nothing: a missed call, said so
            std::error_code ignored;
            std::filesystem::remove(wav, ignored);
            event["empty"] = true;
            event["id"] = nullptr;
            event["file"] = nullptr;
        } else {
            json record = event;
            record.erase("type");
            event = state_.voicemail.add(wav, record, static_cast<std::size_t>(rules.kept));
            event["type"] = std::string(event::kVoicemail);
            event["empty"] = false;
        }
    } catch (const std::exception& e) {
        // Nothing may leave this thread (it would end the host's process):
        // the host is told, and a call answered is not left open.
        const auto* error = dynamic_cast<const Error*>(&e);
        event["error"] = {{"code", error ? error->code() : std::string(code::kInternal)},
                          {"message", e.what()},
                          {"hint", error ? error->hint() : std::string("a bug: please report it")}};
        if (answered && jamid && !ended()) {
            try {
                state_.calls.hangupRequested(call.call_id);
                jamid->hangUp(call.account, call.call_id);
            } catch (const std::exception&) {}
        }
    }
    // The words of the message, when a transcriber is set: the host tells
    // its person what was said (marked untrusted: a caller's words).
    event["transcript"] = nullptr;
    event["transcriber"] = state_.options.transcriber.empty() ? "none" : "command";
    if (!state_.options.transcriber.empty() && event.value("file", json()).is_string() && !stopping()) {
        auto argv = state_.options.transcriber;
        argv.push_back(event["file"].get<std::string>());
        process::Options options;
        options.timeout = std::chrono::seconds(60);  // closing the handle waits for it
        const auto result = process::run(argv, options);
        if (result.ok() && isValidUtf8(result.out)) {
            std::string text = result.out.substr(0, 8000);
            while (!text.empty() && !isValidUtf8(text)) text.pop_back();  // cut inside a character
            while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
            event["transcript"] = text;
            state_.voicemail.update(event["id"], {{"transcript", text}});
        } else {
            event["transcriber_error"] = result.ok() ? std::string("the transcript is not UTF-8 text")
                                         : result.started
                                             ? "the transcriber failed (exit " + std::to_string(result.exit_code) + ")"
                                             : "cannot run the transcriber: " + result.error;
        }
    }
    if (state_.arrive) state_.arrive(std::move(event));
}

}  // namespace jskill
