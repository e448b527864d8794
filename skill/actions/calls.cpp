// call.* and audio.volume: placing, answering and steering calls. What is
// live is always asked of jamid (so several processes can steer one call);
// the tracker adds what only this skill knows (why a call ended).
#include <algorithm>
#include <cctype>
#include <optional>
#include <thread>

#include "base/base64.hpp"
#include "base/error.hpp"
#include "contacts/contact_id.hpp"
#include "contacts/name_keys.hpp"
#include "skill/actions/accounts.hpp"
#include "skill/actions/registry.hpp"
#include "skill/arguments.hpp"
#include "skill/event_types.hpp"
#include "skill/events.hpp"
#include "skill/request.hpp"
#include "skill/state.hpp"
#include "skill/targets.hpp"
#include "skill/voice/answer.hpp"

namespace jskill {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr auto kSettle = 5s;  // how long a hang-up or answer may take to show

json callJson(State& state, const CallRecord& r) {
    json j = r.toJson();
    j["contact"] = contactNameOf(state, r.peer);
    return j;
}

// A call's details need its account; the list of calls gives ids without
// it, so ask the accounts in turn, the one we know first.
CallInfo liveCall(State& state, Jamid& jamid, const std::string& call_id, const std::vector<std::string>& accounts) {
    if (auto known = state.calls.get(call_id); known && !known->account.empty()) {
        auto info = jamid.call(known->account, call_id);
        if (!info.id.empty()) return info;
    }
    for (const auto& account : accounts) {
        auto info = jamid.call(account, call_id);
        if (!info.id.empty()) return info;
    }
    return {};
}

std::vector<CallRecord> liveCalls(State& state, Jamid& jamid) {
    std::vector<CallRecord> out;
    const auto ids = jamid.callIds();
    if (ids.empty()) return out;
    const auto accounts = jamid.accountIds();
    for (const auto& id : ids) {
        auto info = liveCall(state, jamid, id, accounts);
        if (info.id.empty()) continue;  // ended between the two calls
        out.push_back(state.calls.observe(recordOf(info)));
    }
    return out;
}

// The call an action is about: the given call_id, or the only live call in
// one of `states` (with `whose`, a sentence's contact: "send Bob to
// voicemail", "answer Carol's call", only that person's). Throws
// unknown_call / no_call / ambiguous_call.
CallRecord pickCall(State& state, Jamid& jamid, const json& args, std::initializer_list<const char*> states,
                    const char* what, const std::optional<Target>& whose = std::nullopt) {
    const std::string wanted = stringArg(args, "call_id", false);
    auto calls = liveCalls(state, jamid);
    if (!wanted.empty()) {
        for (const auto& c : calls)
            if (c.call_id == wanted) return c;
        throw Error(code::kUnknownCall, "jamid has no call " + wanted,
                    "the call may have ended; jamictl call status " + wanted + " shows its history");
    }
    std::vector<CallRecord> fit;
    for (const auto& c : calls)
        if (std::find_if(states.begin(), states.end(), [&](const char* s) { return c.state == s; }) != states.end() &&
            (!whose || sameParty(c.peer, whose->contact.id)))
            fit.push_back(c);
    if (fit.size() == 1) return fit.front();
    json candidates = json::array();
    for (const auto& c : calls) candidates.push_back(callJson(state, c));
    if (fit.empty()) {
        const std::string who = whose ? " with " + whose->contact.shown() : std::string();
        throw Error(code::kNoCall, std::string("there is no call") + who + " to " + what,
                    calls.empty() ? "no call is in progress" : "see the calls in \"calls\"", {{"calls", candidates}});
    }
    candidates = json::array();
    for (const auto& c : fit) candidates.push_back(callJson(state, c));
    throw Error(code::kAmbiguousCall, std::to_string(fit.size()) + " calls could be meant",
                "say which one with its call_id (jamictl ... CALL_ID)", {{"candidates", candidates}});
}

// A Jami contact needs a Jami account, a sip: address a SIP account.
void checkAccountFits(Jamid& jamid, const std::string& account, const contacts::Contact& contact) {
    const bool jami_account = jamid.account(account).jami;
    const std::string& who = contact.shown();
    if (jami_account && contacts::isSipUri(contact.id))
        throw Error(code::kInvalidArgument, who + " has a SIP address but account " + account + " is a Jami account",
                    "name a SIP account: jamictl call <account> <contact>");
    if (!jami_account && !contacts::isSipUri(contact.id))
        throw Error(code::kInvalidArgument, who + " has a Jami ID but account " + account + " is a SIP account",
                    "name a Jami account: jamictl call <account> <contact>");
}

// A host's own samples, say_pcm or ask_pcm {sample_rate, data: base64 of
// 16-bit little-endian mono}: the rate and the bytes, or invalid_argument.
std::optional<std::pair<std::uint32_t, std::string>> hostPcmOf(const json& args, const std::string& key) {
    const auto pcm = args.find(key);
    if (pcm == args.end() || pcm->is_null()) return std::nullopt;  // an object: checked by the row
    const auto rate = pcm->find("sample_rate");
    const auto data = pcm->find("data");
    if (rate == pcm->end() || !rate->is_number_integer() || data == pcm->end() || !data->is_string())
        throw Error(code::kInvalidArgument, key + " is {sample_rate: integer, data: base64 string}",
                    "16-bit little-endian mono samples, base64-encoded");
    auto bytes = decodeBase64(data->get_ref<const std::string&>());
    if (!bytes) throw Error(code::kInvalidArgument, key + "'s data is not base64", "standard alphabet, padded");
    const auto hz = static_cast<std::uint32_t>(std::clamp<std::int64_t>(rate->get<std::int64_t>(), 0, 1'000'000));
    Voice::checkPcm(hz, *bytes);
    return std::pair{hz, std::move(*bytes)};
}

// call.start's precondition: speaking needs the user's "Voice: on", and a
// host's own audio (a file of its folder, or samples) must be playable.
// `say` with host audio is what that audio says (for the result and the
// log); alone, it is what espeak-ng speaks. The same for `ask` and ask_pcm.
void voiceForSay(State& state, const Request& request) {
    const json& args = request.args;
    const std::string own = stringArg(args, "say_audio", false);
    const bool pcm = args.contains("say_pcm") && !args["say_pcm"].is_null();
    const bool asks_pcm = args.contains("ask_pcm") && !args["ask_pcm"].is_null();
    const bool says = !stringArg(args, "say", false).empty();
    if (!says && own.empty() && !pcm && !asks_pcm) return;
    if (!own.empty() && pcm) throw Error(code::kInvalidArgument, "give say_audio or say_pcm, not both");
    if (asks_pcm && (stringArg(args, "ask", false).empty() || (!says && own.empty() && !pcm)))
        throw Error(code::kInvalidArgument, "ask_pcm is the audio of `ask`, after something said",
                    "give ask (its words) and say, say_audio or say_pcm with it");
    if (state.contacts.current()->policy.voice) {
        if (!own.empty()) (void)Voice::hostAudio(state.options.audio_dir, own);  // refused before anyone rings
        if (pcm) (void)hostPcmOf(args, "say_pcm");
        if (asks_pcm) (void)hostPcmOf(args, "ask_pcm");
        return;
    }
    throw Error(code::kVoiceOff, "speaking in calls is off",
                "it takes over this jamid's microphone and speaker: the user turns it on with a line "
                "\"- Voice: on\" in the Jami Configuration section (docs/voice.md); or send a message");
}

// A reservation of the outbound ledger counts as a call in flight until its
// outcome is written: a request refused after it must say so at once, or it
// would hold the calls-at-once limit for a minute.
struct NotPlaced {
    State& state;
    const std::string& reservation;
    bool placed = false;
    ~NotPlaced() {
        if (!placed && !reservation.empty()) state.ledger.placed(reservation, "", "", 0);
    }
};

// Places one call of the skill: tracked, written to the ledger as what
// `outcome`'s reservation became, and ended at the maximum duration. Its id;
// throws call_failed when jamid places nothing.
std::string placeCall(State& state, Jamid& jamid, const std::string& account, const contacts::Contact& contact,
                      NotPlaced& outcome) {
    const std::string id = jamid.placeAudioCall(account, contact.id);
    if (id.empty()) {
        const std::string status = jamid.account(account).registration_status;
        throw Error(code::kCallFailed, "jamid could not place the call to " + contact.shown(),
                    "account " + account + " is " + (status.empty() ? "not usable" : status) +
                        "; it must be enabled and REGISTERED (jamictl account info " + account + ")");
    }
    state.calls.placed(id, account, contacts::peerId(contact.id));
    // The maximum duration holds from now, in this process and in any that
    // reads the ledger (jamictl's watchdog, call.guard).
    const int max_seconds = state.contacts.current()->policy.max_call_seconds;
    const std::int64_t deadline = nowMs() + std::int64_t{max_seconds} * 1000;
    state.ledger.placed(outcome.reservation, id, account, deadline);
    outcome.placed = true;
    state.guard.watch(id, account, deadline);
    return id;
}

// What a notify call says, and how.
struct Notify {
    const Utterance& speech;
    int repeat = 1;
    const Utterance* question = nullptr;  // "Did you get it?"
    std::chrono::milliseconds listen{6000};
    bool jamid_plays = false;  // jamid's MediaPlayer plays it, not the mouth
};

// After the answer of a notify call: waits until the media are up (and,
// through the mouth, jamid's capture reads it: speech played earlier is
// lost), speaks `repeat` times, asks and listens for a yes or no if told,
// then hangs up (the peer may hang up first: then the speech stops).
json speakThenHangUp(State& state, Jamid& jamid, const std::string& account, const std::string& id,
                     RecentEvents::Mark placed, const Notify& notify) {
    const Utterance& speech = notify.speech;
    const Utterance* question = notify.question;
    const auto listen = notify.listen;
    const auto answered = std::chrono::steady_clock::now();
    const auto answered_mark = state.recent.mark();  // a typed "got it" counts from here
    // Evidence that the media are up, not a sleep: jamid's signal that the
    // call's media were negotiated and started (~0.4 s after the answer),
    // then its capture reading the mouth (a player needs no capture).
    const bool media = waitForMedia(state, placed, id, 3s);
    const bool captured = notify.jamid_plays || state.voice.waitUntilCaptured(3s);
    auto play = [&](const Utterance& what) {
        return notify.jamid_plays ? Voice::playWithJamid(jamid, account, id, what) : state.voice.play(what);
    };
    auto ended = [&] {
        auto r = state.calls.get(id);
        return !r || r->ended();
    };
    const auto first_audio = std::chrono::steady_clock::now();
    int spoken = 0;
    bool cut = false;
    for (int i = 0; i < notify.repeat && !cut; ++i) {
        if (i) std::this_thread::sleep_for(700ms);
        auto player = play(speech);
        while (!player->finished(100ms)) {
            if (ended()) {
                cut = true;  // the player stops as it goes
                break;
            }
        }
        if (!cut) ++spoken;
    }
    // "Did you get it?": the question, then a yes or no, spoken or typed
    // (inside the call, or a message from that peer), nothing else.
    json asked;
    if (question && !cut && !ended()) {
        auto player = play(*question);
        while (!player->finished(100ms))
            if (ended()) break;
        const auto listened = std::chrono::steady_clock::now();
        const auto record = state.calls.get(id);
        const std::string peer = record ? record->peer : std::string();
        std::optional<bool> typed;
        auto typedWithin = [&](std::chrono::milliseconds wait) {
            if (!typed) {
                auto reply = state.recent.waitFor(
                    answered_mark, [&](const json& e) { return typedAnswer(e, id, account, peer).has_value(); }, wait);
                if (reply) typed = typedAnswer(*reply, id, account, peer);
            }
            return typed.has_value();
        };
        auto heard = state.voice.hearYesOrNo(listen, [&] { return typedWithin(0ms) || ended(); });
        // The peer hung up early: a message may still come, until the end
        // of the listening time.
        if (!typed && !heard)
            typedWithin(std::chrono::duration_cast<std::chrono::milliseconds>(std::max(
                listen - (std::chrono::steady_clock::now() - listened), std::chrono::steady_clock::duration{})));
        if (typed) heard = typed;
        asked = {{"question", question->text},
                 {"acknowledged", heard ? json(*heard) : json(nullptr)},
                 {"by", typed   ? json("text")
                        : heard ? json("speech")
                                : json(nullptr)},
                 {"listened_s", std::chrono::duration<double>(listen).count()}};
        // Also for a host that placed the call and listens on (the agent that
        // asked may be gone by then): through the same path as jamid's events.
        if (state.arrive) {
            state.arrive({{"type", std::string(event::kCallAcknowledged)},
                          {"call_id", id},
                          {"account", account},
                          {"peer", peer},
                          {"question", question->text},
                          {"acknowledged", asked["acknowledged"]},
                          {"by", asked["by"]}});
        }
    }
    bool jamid_lost = false;  // jamid stopped answering as it hung up, after the speech
    if (!ended()) {
        std::this_thread::sleep_for(500ms);  // the last words travel (~0.25 s mouth to ear)
        // jamid itself says the call is still up (a jamid that died during
        // the speech took it along: that throws daemon_unavailable here).
        if (!jamid.call(account, id).state.empty()) jamid_lost = !state.hangUpWhenDone(jamid, account, id);
    }
    auto after = jamid_lost ? std::nullopt
                            : state.calls.waitUntil(
                                  id, [](const CallRecord& r) { return r.ended(); }, kSettle);
    auto seconds = [](auto from, auto to) { return std::chrono::duration<double>(to - from).count(); };
    json said{{"text", speech.text},
              {"language", speech.language},
              {"seconds", speech.seconds},
              {"times", spoken},
              {"complete", !cut},
              {"first_audio_after_answer_s", seconds(answered, first_audio)},
              {"via", notify.jamid_plays ? "jamid_media_player" : "sound_server"}};
    if (auto warning = unseenMediaWarning(media, captured, "the message"); !warning.empty()) said["warning"] = warning;
    json out{{"ok", true}, {"call", callJson(state, after ? *after : *state.calls.get(id))}, {"said", said}};
    if (!asked.is_null()) out["asked"] = asked;
    if (cut) out["note"] = "the peer hung up before the message was complete";
    if (jamid_lost) {
        out["warning"] = "the message was said; then jamid stopped answering as it hung up (it may have crashed)";
        out["hint"] = "`jamictl daemon status` tells whether jamid runs; `jamictl daemon start` starts it again";
    }
    return out;
}

json callStart(State& state, const Request& request) {
    const json& args = request.args;
    // A notify call: the speech is made, and jamid given its mouth, before
    // anything is placed, so that nobody is rung for a silent call.
    const std::string say = stringArg(args, "say", false);  // Voice on: checked by the row
    std::optional<Utterance> speech, question;
    if (const std::string own = stringArg(args, "say_audio", false); !own.empty())
        speech = Voice::hostAudio(state.options.audio_dir, own);  // checked by the row
    else if (auto pcm = hostPcmOf(args, "say_pcm"))
        speech = state.voice.hostPcm(pcm->first, pcm->second);
    else if (!say.empty())
        speech = state.voice.say(say);
    if (speech && speech->from_host && !say.empty()) {  // the host's audio, and its words
        speech->text = say;
        speech->language = Voice::languageOf(say);
    }
    if (const std::string ask = stringArg(args, "ask", false); speech && !ask.empty()) {
        if (auto pcm = hostPcmOf(args, "ask_pcm")) {  // the host's voice asks too
            question = state.voice.hostPcm(pcm->first, pcm->second);
            question->text = ask;
            question->language = Voice::languageOf(ask);
        } else {
            question = state.voice.say(ask);
        }
    }
    const contacts::Contact& contact = request.target->contact;  // resolved and allowed by the dispatcher
    NotPlaced outcome{state, request.reservation};
    // A notify call waits for the answer, and rings 30 s unless told.
    const std::string wait = speech ? "answered" : stringArg(args, "wait", false);  // "", answered or ended
    const auto timeout = std::chrono::milliseconds(
        static_cast<long long>(numberArg(args, "timeout_s", speech ? 30 : 60, 1, 3600) * 1000));
    auto jamid = state.jamid();
    const std::string account = resolveAccount(state, *jamid, stringArg(args, "account", false));
    checkAccountFits(*jamid, account, contact);
    // A newer jamid plays the file itself (its MediaPlayer); 13.7 hears the
    // mouth. Listening for an answer needs the ear either way.
    const bool jamid_plays = speech && jamid->hasMediaPlayer();
    std::unique_ptr<process::Child> open_mouth;
    if (speech && (!jamid_plays || question)) state.voice.route(*jamid);
    if (speech && !jamid_plays) {
        open_mouth = state.voice.keepMouthOpen();  // until the call is over
    } else if (!speech && !state.contacts.current()->policy.voice) {
        state.voice.unroute(*jamid);  // voice was turned off: a person may speak on this call
    }

    const auto placed_mark = state.recent.mark();
    const std::string id = placeCall(state, *jamid, account, contact, outcome);
    const int max_seconds = state.contacts.current()->policy.max_call_seconds;
    if (wait.empty()) {
        return {{"ok", true}, {"call", callJson(state, *state.calls.get(id))}, {"max_duration_s", max_seconds}};
    }

    auto reached = state.calls.waitUntil(
        id, [&](const CallRecord& r) { return wait == "answered" ? r.answered : r.ended(); }, timeout);
    if (wait == "answered" && reached && !reached->answered) {
        if (reached->ended()) {
            throw Error(code::kCallFailed, "the call ended before it was answered (" + reached->end_reason + ")",
                        reached->end_reason == "busy" ? "the peer declined or is busy; try later or send a message"
                                                      : "check the account and the peer's id",
                        {{"call", callJson(state, *reached)}});
        }
        // Nobody answered in time: stop ringing rather than leave a call dangling.
        state.calls.hangupRequested(id);
        jamid->hangUp(account, id);
        auto ended = state.calls.waitUntil(
            id, [](const CallRecord& r) { return r.ended(); }, kSettle);
        throw Error(code::kNoAnswer,
                    "no answer within " + std::to_string(timeout.count() / 1000) + " s; the call was hung up",
                    "try again later, or send a message", {{"call", callJson(state, ended ? *ended : *reached)}});
    }
    if (speech && reached && reached->answered)
        return speakThenHangUp(state, *jamid, account, id, placed_mark,
                               Notify{.speech = *speech,
                                      .repeat = static_cast<int>(numberArg(args, "repeat", 1, 1, 5)),
                                      .question = question ? &*question : nullptr,
                                      .listen = std::chrono::milliseconds(
                                          static_cast<long long>(numberArg(args, "listen_s", 6, 1, 30) * 1000)),
                                      .jamid_plays = jamid_plays});
    if (wait == "ended" && reached && !reached->ended()) {
        throw Error(code::kTimeout, "the call is still going after " + std::to_string(timeout.count() / 1000) + " s",
                    "jamictl hangup " + id + " ends it", {{"call", callJson(state, *reached)}});
    }
    return {{"ok", true}, {"call", callJson(state, *reached)}, {"max_duration_s", max_seconds}};
}

// call.bridge's first leg: the contact "- Owner: NAME" names, resolved
// exactly (never guessed). Throws invalid_argument with what to write.
Target ownerOf(State& state) {
    auto contacts = state.contacts.current();
    const std::string& name = contacts->policy.owner;
    if (name.empty())
        throw Error(code::kInvalidArgument, "the assistant has no owner to connect",
                    "the user names themself with a line \"- Owner: NAME\" (a contact) in the Jami Configuration "
                    "section: only the owner can be connected with someone");
    const auto notContact = [&](const std::string& why) {
        return Error(code::kInvalidArgument, "the owner \"" + name + "\" is not one contact: " + why,
                     "the \"- Owner:\" line names a contact exactly as the book writes it (not \"me\")");
    };
    try {
        Target owner = resolveTarget(state.languages(), *contacts, name);
        if (!owner.in_book) throw notContact("no contact has this name");
        return owner;
    } catch (const Error& e) {
        if (e.code() == code::kInvalidArgument) throw;
        throw notContact(e.what());
    }
}

// call.bridge's precondition: an owner who is not the contact, and Voice on
// (the assistant's own microphone is the silent mouth while the two talk,
// and a leg that is not answered is explained to the other by voice).
void bridgeAllowed(State& state, const Request& request) {
    const Target owner = ownerOf(state);
    if (sameParty(owner.contact.id, request.target->contact.id))
        throw Error(code::kInvalidArgument, request.target->contact.name + " is the owner: there is nobody to connect",
                    "name the contact to connect the owner with");
    if (!state.contacts.current()->policy.voice)
        throw Error(code::kVoiceOff, "connecting two people needs the assistant's voice",
                    "it keeps this jamid's microphone silent while they talk and tells one when the other does not "
                    "answer: the user turns it on with \"- Voice: on\" (docs/voice.md)");
}

json bridgePlan(State& state, const Request&) {
    const Target owner = ownerOf(state);
    return {{"owner", owner.toJson()},
            {"legs", "calls the owner first, then the contact once the owner answered; joins them when both have"}};
}

// "connect me with Mom": the owner is called, then the contact; once both
// answered they are joined in one conference on this jamid, whose own
// microphone is the silent mouth. It ends when either hangs up (the other
// is hung up) or at the maximum duration; a leg not answered is hung up
// and the other told so by voice. Blocks until the end. Both legs pass the
// policy and the limits (a bridge is two calls at once).
json callBridge(State& state, const Request& request) {
    const json& args = request.args;
    const contacts::Contact& contact = request.target->contact;  // resolved and allowed by the dispatcher
    const Target owner = ownerOf(state);
    NotPlaced contact_outcome{state, request.reservation};
    const auto timeout =
        std::chrono::milliseconds(static_cast<long long>(numberArg(args, "timeout_s", 30, 1, 300) * 1000));
    auto jamid = state.jamid();
    const std::string account = resolveAccount(state, *jamid, stringArg(args, "account", false));
    checkAccountFits(*jamid, account, owner.contact);
    checkAccountFits(*jamid, account, contact);
    // The owner's leg passes the limits too.
    const auto policy = state.contacts.current()->policy;
    auto decision = state.ledger.reserve(ledgerKind(Limit::kCall), contacts::canonicalId(owner.contact.id),
                                         state.bus().address, policy, jamid->callIds(), false);
    if (const auto& no = decision.refused)
        throwRefusal(*no, no->message + " (a bridge is two calls)",
                     no->rule == "max_calls_at_once"
                         ? "the user may allow two calls at once with \"- Max calls at once: 2\""
                         : std::string());
    NotPlaced owner_outcome{state, decision.reservation};
    state.voice.route(*jamid);
    auto mouth = state.voice.keepMouthOpen();  // the assistant's own microphone: silence
    auto answered = [&](const std::string& id) {
        auto r = state.calls.waitUntil(
            id, [](const CallRecord& c) { return c.answered || c.ended(); }, timeout);
        return r && r->answered && !r->ended();
    };
    auto hangUp = [&](const std::string& id) {
        auto r = state.calls.get(id);
        if (r && r->ended()) return;
        state.calls.hangupRequested(id);
        jamid->hangUp(account, id);
    };
    auto legJson = [&](const std::string& id) {
        auto r = state.calls.waitUntil(
            id, [](const CallRecord& c) { return c.ended(); }, kSettle);
        return callJson(state, r ? *r : *state.calls.get(id));
    };
    auto told = [&](const json& bridge) {
        if (state.arrive) {
            json e = bridge;
            e["type"] = std::string(event::kCallBridged);
            e["account"] = account;
            state.arrive(std::move(e));
        }
    };
    json bridge{{"owner", owner.contact.name}, {"contact", contact.shown()}};

    const std::string owner_call = placeCall(state, *jamid, account, owner.contact, owner_outcome);
    bridge["owner_call_id"] = owner_call;
    if (!answered(owner_call)) {
        hangUp(owner_call);
        bridge.update({{"state", "failed"}, {"answered", {{"owner", false}, {"contact", false}}}});
        told(bridge);
        throw Error(code::kNoAnswer, owner.contact.shown() + " (the owner) did not answer; nobody else was called",
                    "try again later", {{"bridge", bridge}, {"call", legJson(owner_call)}});
    }
    std::string contact_call;
    try {
        contact_call = placeCall(state, *jamid, account, contact, contact_outcome);
    } catch (const Error&) {
        hangUp(owner_call);  // never left on a silent line
        throw;
    }
    bridge["contact_call_id"] = contact_call;
    if (!answered(contact_call)) {
        hangUp(contact_call);
        // The owner hears why, in the contact's language, then the call ends.
        const std::string why = contacts::hasHan(contact.shown()) ? contact.shown() + "没有接听。再见。"
                                                                  : contact.shown() + " did not answer. Goodbye.";
        if (state.voice.waitUntilCaptured(3s)) {
            const Utterance said = state.voice.say(why);
            state.voice.play(said)->finished(10s);
            std::this_thread::sleep_for(500ms);  // the last words travel
        }
        hangUp(owner_call);
        bridge.update({{"state", "failed"}, {"answered", {{"owner", true}, {"contact", false}}}, {"told", why}});
        told(bridge);
        throw Error(code::kNoAnswer, contact.shown() + " did not answer; " + owner.contact.shown() + " was told so",
                    "try again later, or send a message", {{"bridge", bridge}});
    }
    if (!jamid->joinCalls(account, owner_call, contact_call)) {
        hangUp(contact_call);
        hangUp(owner_call);
        throw Error(code::kCallFailed, "jamid could not join the two calls", "both were hung up; try again",
                    {{"bridge", bridge}});
    }
    const auto joined = std::chrono::steady_clock::now();
    bridge.update({{"state", "connected"}, {"answered", {{"owner", true}, {"contact", true}}}});
    told(bridge);
    // Until either hangs up; the duration guard ends both at the maximum
    // (and should jamid not say so, this stops a little after it).
    const auto last = joined + std::chrono::seconds(policy.max_call_seconds + 10);
    std::string ended_by;
    while (ended_by.empty()) {
        if (std::chrono::steady_clock::now() > last) {
            ended_by = "max_duration";
            break;
        }
        if (auto r = state.calls.waitUntil(
                owner_call, [](const CallRecord& c) { return c.ended(); }, 100ms);
            r && r->ended())
            ended_by = r->end_reason == "max_duration" ? "max_duration" : "owner";
        else if (auto c = state.calls.get(contact_call); c && c->ended())
            ended_by = c->end_reason == "max_duration" ? "max_duration" : "contact";
    }
    hangUp(owner_call);
    hangUp(contact_call);
    bridge.update({{"state", "ended"},
                   {"ended_by", ended_by},
                   {"connected_s", std::chrono::duration<double>(std::chrono::steady_clock::now() - joined).count()}});
    told(bridge);
    return {
        {"ok", true}, {"bridge", bridge}, {"owner_call", legJson(owner_call)}, {"contact_call", legJson(contact_call)}};
}

// call.guard {call_id}: the maximum duration of a call the skill placed,
// enforced by a process that outlives the one that placed it (jamictl
// starts one, detached). Waits until the call ends or its deadline, then
// hangs it up with the end reason max_duration.
json callGuard(State& state, const Request& request) {
    const std::string id = stringArg(request.args, "call_id");
    const auto placed = state.ledger.find(id);
    if (!placed)
        throw Error(code::kUnknownCall, "the skill placed no call " + id,
                    "call.guard watches calls placed by the skill");
    auto jamid = state.jamid();
    bool live = false;
    for (const auto& c : liveCalls(state, *jamid)) live = live || c.call_id == id;  // now tracked here
    if (!live) return {{"ok", true}, {"call_id", id}, {"ended_by", "already_ended"}};
    const auto left = std::chrono::milliseconds(std::max<std::int64_t>(0, placed->deadline_ms - nowMs()));
    auto after = state.calls.waitUntil(
        id, [](const CallRecord& r) { return r.ended(); }, left);
    if (after && after->ended())
        return {{"ok", true}, {"call", callJson(state, *after)}, {"ended_by", after->end_reason}};
    state.endAtMaxDuration(id, placed->account);
    auto ended = state.calls.waitUntil(
        id, [](const CallRecord& r) { return r.ended(); }, kSettle);
    json out{{"ok", true}, {"ended_by", "max_duration"}};
    if (ended) out["call"] = callJson(state, *ended);
    return out;
}

// Runs a jamid call method on the picked call and waits until `settled`
// (and, with `renegotiates`, until the media are negotiated again).
json steer(State& state, const Request& request, std::initializer_list<const char*> states, const char* what,
           const std::function<bool(Jamid&, const CallRecord&)>& act,
           const std::function<bool(const CallRecord&)>& settled, bool renegotiates = false) {
    auto jamid = state.jamid();
    CallRecord call = pickCall(state, *jamid, request.args, states, what, request.target);
    const auto mark = state.recent.mark();
    if (!act(*jamid, call)) {
        throw Error(code::kRefusedByJamid, std::string("jamid refused to ") + what + " call " + call.call_id,
                    "jamictl call status " + call.call_id + " shows its state", {{"call", callJson(state, call)}});
    }
    const bool media_settled = !renegotiates || waitForMedia(state, mark, call.call_id);
    auto after = state.calls.waitUntil(call.call_id, settled, kSettle);
    json out{{"ok", true}, {"call", callJson(state, after ? *after : call)}};
    if ((after && !settled(*after) && !after->ended()) || !media_settled)
        out["pending"] = true;  // asked; not confirmed yet
    return out;
}

json callHangup(State& state, const Request& request) {
    return steer(
        state, request, {"connecting", "ringing", "incoming", "active", "on_hold"}, "hang up",
        [&](Jamid& jamid, const CallRecord& c) {
            state.calls.hangupRequested(c.call_id);
            return jamid.hangUp(c.account, c.call_id);
        },
        [](const CallRecord& r) { return r.ended(); });
}

json callAccept(State& state, const Request& request) {
    const json& args = request.args;
    const bool named = !stringArg(args, "call_id", false).empty();
    return steer(
        state, request, {"incoming"}, "answer",
        [&](Jamid& jamid, const CallRecord& c) {
            // "answer" with no id means "the one ringing": a stranger's call
            // under Contacts only is answered only when the user confirmed.
            if (!named) checkCaller(*state.contacts.current(), c.peer, request.confirmed, "answer");
            if (!state.contacts.current()->policy.voice) state.voice.unroute(jamid);
            return jamid.accept(c.account, c.call_id);
        },
        [](const CallRecord& r) { return r.answered; });
}

json callDecline(State& state, const Request& request) {
    return steer(
        state, request, {"incoming"}, "decline",
        [&](Jamid& jamid, const CallRecord& c) {
            state.calls.declined(c.call_id);
            return jamid.refuse(c.account, c.call_id);
        },
        [](const CallRecord& r) { return r.ended(); });
}

json callHold(State& state, const Request& request) {
    return steer(
        state, request, {"active"}, "put on hold",
        [](Jamid& jamid, const CallRecord& c) { return jamid.hold(c.account, c.call_id); },
        [](const CallRecord& r) { return r.state == "on_hold"; }, true);
}

json callResume(State& state, const Request& request) {
    return steer(
        state, request, {"on_hold"}, "resume",
        [](Jamid& jamid, const CallRecord& c) { return jamid.resume(c.account, c.call_id); },
        [](const CallRecord& r) { return r.state == "active"; }, true);
}

json callMute(State& state, const Request& request, bool mute) {
    json out = steer(
        state, request, {"active", "on_hold"}, mute ? "mute" : "unmute",
        [&](Jamid& jamid, const CallRecord& c) {
            if (!jamid.muteAudio(c.account, c.call_id, mute)) return false;
            state.calls.setMuted(c.call_id, mute);
            return true;
        },
        [](const CallRecord&) { return true; }, true);
    // What jamid says now, not what we asked for.
    auto jamid = state.jamid();
    const json& call = out["call"];
    out["call"]["muted"] = jamid->call(call.value("account", ""), call.value("call_id", "")).muted;
    return out;
}

json callDtmf(State& state, const Request& request) {
    const json& args = request.args;
    std::string digits = stringArg(args, "digits");
    digits.erase(std::remove_if(digits.begin(), digits.end(), [](char c) { return c == ' ' || c == '-'; }),
                 digits.end());
    if (digits.empty() || digits.size() > 64 || !std::all_of(digits.begin(), digits.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c)) || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
        }))
        throw Error(code::kInvalidArgument, "DTMF digits are 0-9, *, # and A-D (at most 64)");
    auto jamid = state.jamid();
    // jamid sends tones to its current call, so there must be exactly one.
    CallRecord call = pickCall(state, *jamid, json::object(), {"active"}, "send tones to");
    if (auto wanted = stringArg(args, "call_id", false); !wanted.empty() && wanted != call.call_id)
        throw Error(code::kInvalidArgument, "jamid sends tones to its active call " + call.call_id + ", not " + wanted);
    for (char d : digits) jamid->playDtmf(std::string(1, d));
    return {{"ok", true}, {"digits", digits}, {"call", callJson(state, call)}};
}

// voice.status: the setting, jamid's devices, and whether jamid plays a
// notify call's speech itself (docs/voice.md).
json voiceStatus(State& state, const Request&) {
    auto jamid = state.jamid();
    json devices = state.voice.devices(*jamid);
    devices["media_player"] = jamid->hasMediaPlayer();
    return {{"ok", true}, {"voice", state.contacts.current()->policy.voice}, {"jamid", devices}};
}

json callList(State& state, const Request&) {
    auto jamid = state.jamid();
    json calls = json::array();
    for (const auto& c : liveCalls(state, *jamid)) calls.push_back(callJson(state, c));
    return {{"ok", true}, {"calls", calls}};
}

// A call the log thinks is live but jamid does not know: it ended unseen
// (this process was not running), or jamid restarted.
void markStale(json& call) {
    call["state"] = "ended";
    call["end_reason"] = "unknown";
    call["stale"] = true;
}

json callStatus(State& state, const Request& request) {
    const json& args = request.args;
    const std::string id = stringArg(args, "call_id", false);
    if (id.empty()) {
        json out;
        try {
            out = callList(state, request);
        } catch (const Error& e) {
            if (e.code() != code::kDaemonUnavailable && e.code() != code::kDryRun) throw;
            // The history still answers; say that what is live is unknown.
            out = {
                {"ok", true},
                {"calls", json::array()},
                {"warning", std::string("jamid is not reachable (") + e.what() + "): calls in progress are unknown"}};
        }
        json recent = json::array();
        if (const auto& log = state.calls.log()) {
            for (const auto& r : log->recent(10)) {
                json j = callJson(state, r);
                const bool live = std::any_of(out["calls"].begin(), out["calls"].end(),
                                              [&](const json& c) { return c["call_id"] == r.call_id; });
                if (!r.ended() && !live && !out.contains("warning")) markStale(j);  // known only when jamid answered
                recent.push_back(std::move(j));
            }
        }
        out["recent"] = recent;
        return out;
    }
    // Live first: jamid is the truth for a call that still exists.
    std::optional<Error> unreachable;
    if (!state.options.dry_run) {
        try {
            auto jamid = state.jamid();
            for (const auto& c : liveCalls(state, *jamid))
                if (c.call_id == id) return {{"ok", true}, {"call", callJson(state, c)}};
        } catch (const Error& e) {
            if (e.code() != code::kDaemonUnavailable) throw;
            unreachable = e;  // answer from what we know, and say so
        }
    }
    std::optional<CallRecord> known = state.calls.get(id);
    if (!known && state.calls.log()) known = state.calls.log()->last(id);
    if (!known) {
        if (unreachable) throw *unreachable;
        throw Error(code::kUnknownCall, "no call " + id + " in jamid or in the call log",
                    "jamictl call list shows the calls in progress");
    }
    json out{{"ok", true}, {"call", callJson(state, *known)}};
    if (unreachable) {
        out["warning"] =
            std::string("jamid is not reachable (") + unreachable->what() + "): this is the last known state";
    } else if (!known->ended()) {  // jamid forgot it (ended unseen, or jamid restarted)
        markStale(out["call"]);
    }
    return out;
}

json audioVolume(State& state, const Request& request) {
    const json& args = request.args;
    const double volume = numberArg(args, "volume", 0, 0, 100);
    std::string device = stringArg(args, "device", false);
    if (device.empty()) device = "speaker";  // volume and device are checked by the row (required; speaker or mic)
    auto jamid = state.jamid();
    jamid->setVolume(device, volume / 100.0);
    const double now = jamid->volume(device) * 100.0;
    return {{"ok", true},
            {"device", device},
            {"volume", now},
            {"note", "jamid 13.7 stores this level; its Linux audio layers do not apply it to the sound card"}};
}

}  // namespace

void addCallActions(ActionTable& table) {
    const auto call_id = arg::text("call_id");
    // Steering a call in progress: the call is named by call_id, or is the only one that fits.
    auto steering = [&](Action run, const char* summary) {
        return ActionInfo{
            .run = std::move(run), .summary = summary, .effects = Effect::kChangesJamid, .args = {call_id}};
    };
    table["call.start"] = {
        .run = callStart,
        .summary =
            "call a contact (contact, account?, wait: answered|ended, timeout_s; say?: speak it, then hang "
            "up; repeat?; ask?: a yes/no question after it, listen_s?)",
        .effects = Effect::kReachesPerson,
        .whom = Whom::kContact,
        .limit = Limit::kCall,
        .args = {arg::text("account"), arg::oneOf("wait", {"answered", "ended"}), arg::number("timeout_s", 1, 3600),
                 arg::text("say"), arg::text("say_audio"), arg::object("say_pcm"), arg::number("repeat", 1, 5),
                 arg::text("ask"), arg::object("ask_pcm"), arg::number("listen_s", 1, 30)},
        .precondition = voiceForSay};
    table["call.bridge"] = {
        .run = callBridge,
        .summary =
            "connect the owner (\"- Owner: NAME\") with a contact in one call: both are called, then "
            "joined; blocks until either hangs up (contact, account?, timeout_s?)",
        .effects = Effect::kReachesPerson,
        .whom = Whom::kContact,
        .limit = Limit::kCall,
        .args = {arg::text("account"), arg::number("timeout_s", 1, 300)},
        .precondition = bridgeAllowed,
        .plans = bridgePlan};
    table["call.hangup"] = steering(callHangup, "hang up (call_id? default: the only call)");
    table["call.accept"] = steering(callAccept, "answer the ringing call (call_id?)");
    table["call.decline"] = steering(callDecline, "refuse the ringing call (call_id?)");
    table["call.hold"] = steering(callHold, "put the active call on hold (call_id?)");
    table["call.resume"] = steering(callResume, "resume the held call (call_id?)");
    table["call.mute"] = steering([](State& s, const Request& r) { return callMute(s, r, true); },
                                  "mute the microphone in the call (call_id?)");
    table["call.unmute"] =
        steering([](State& s, const Request& r) { return callMute(s, r, false); }, "unmute the microphone (call_id?)");
    table["call.dtmf"] = {.run = callDtmf,
                          .summary = "send touch tones to the active call (digits)",
                          .effects = Effect::kChangesJamid,
                          .args = {arg::text("digits", arg::kRequired), call_id}};
    table["call.list"] = {.run = callList, .summary = "calls in progress", .follows_events = false};
    table["voice.status"] = {.run = voiceStatus,
                             .summary = "whether the assistant may speak in calls, and jamid's microphone and speaker",
                             .follows_events = false};
    table["call.status"] = {.run = callStatus,
                            .summary = "one call, live or from the call log (call_id?)",
                            .args = {call_id},
                            .follows_events = false};
    table["call.guard"] = {
        .run = callGuard,
        .summary = "end a call the skill placed at its maximum duration (call_id); blocks until then",
        .effects = Effect::kChangesJamid,
        .args = {arg::text("call_id", arg::kRequired)}};
    table["audio.volume"] = {
        .run = audioVolume,
        .summary = "set the volume, 0-100 (volume, device: speaker|mic)",
        .effects = Effect::kChangesJamid,
        .args = {arg::number("volume", 0, 100, arg::kRequired), arg::oneOf("device", {"speaker", "mic"})}};
}

}  // namespace jskill
