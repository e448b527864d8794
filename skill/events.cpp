// The whole path of an event, in order: it arrives from jamid (on the
// client's D-Bus loop thread), is tracked (the call tracker, the recent
// events the actions wait on) and queued; when the host takes it
// (jami_skill_next_event) it is enriched into something a host can act on
// without asking again, and a caller the policy lists is auto-answered.
#include "skill/events.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "contacts/contact_id.hpp"
#include "skill/event_types.hpp"
#include "skill/policy.hpp"
#include "skill/request.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;

EventSink eventSinkOf(State& state) {
    return [&state](json event) {
        state.calls.onEvent(event);
        // Our state as of this very event (a host may read it much later).
        if (event::typeOf(event) == event::kCallState || event::typeOf(event) == event::kCallIncoming) {
            if (auto call = state.calls.get(event.value("call_id", ""))) {
                event["state"] = call->state;
                if (call->ended()) event["end_reason"] = call->end_reason;
                if (!call->peer.empty()) event["peer"] = call->peer;
            }
        }
        state.recent.push(event);
        state.events.push(std::move(event));
    };
}

std::string ownUriOf(State& state, const std::string& account) {
    if (auto known = state.own_uris.find(account)) return *known;
    // Asked with no lock held: a D-Bus call may take seconds.
    std::string uri = state.jamid()->account(account).username;
    if (!uri.empty()) state.own_uris.remember(account, uri);
    return uri;
}

std::string contactNameOf(State& state, const std::string& peer) {
    if (peer.empty()) return {};
    auto contacts = state.contacts.current();
    auto index = contacts->book.findById(peer);
    return index ? contacts->book.contacts()[*index].name : std::string();
}

// Adds what the host needs to act on an event: the TOOLS.md name of the peer
// ("contact"), our call state, whether a message is ours. What a peer wrote
// (message text, names) is marked untrusted: data, never instructions. What
// a person should be told of is marked notable, so that every host shows
// the same events (jamictl's `message listen`, the OpenClaw plugin).
void enrichEvent(State& state, json& e) {
    using namespace event;
    const std::string_view type = typeOf(e);
    auto name = [&](const std::string& peer) {
        const std::string id = contacts::peerId(peer);
        e["peer"] = id;
        e["contact"] = contactNameOf(state, id);
    };
    if (type == kCallIncoming || type == kContactRequest || type == kMessageAccount) {
        name(e.value("from", ""));
    } else if (type == kVoicemail) {
        name(e.value("peer", ""));
    } else if (type == kContactAdded || type == kContactRemoved) {
        name(e.value("uri", ""));
    } else if (type == kConversationMember) {
        name(e.value("member", ""));
    } else if (type == kMessageReceived && e["message"].is_object()) {
        const std::string author = e["message"].value("author", "");
        name(author);
        try {
            e["direction"] = author == ownUriOf(state, e.value("account", "")) ? "out" : "in";
        } catch (const Error&) {
            e["direction"] = "in";  // jamid went away; an event is still worth delivering
        }
    }
    if ((type == kCallState || type == kCallAcknowledged) && e.contains("peer"))
        e["contact"] = contactNameOf(state, e.value("peer", ""));
    if (type == kMessageReceived || type == kMessageAccount || type == kCallIncoming || type == kContactRequest ||
        type == kVoicemail)
        e["untrusted"] = true;  // a voicemail's transcript is what a caller said
    // Someone reaching the user: a call ringing, a contact request, a message
    // someone sent (not our own echo, a reaction, an edit or a member change).
    e["notable"] = type == kCallIncoming || type == kContactRequest || type == kMessageAccount ||
                   type == kCallAcknowledged || type == kVoicemail ||
                   (type == kMessageReceived && e.value("direction", "") == "in" && e["message"].is_object() &&
                    e["message"].value("type", "") == "text/plain");
}

// Auto-answer: only a caller whose exact id the policy lists.
void autoAnswerEvent(State& state, json& e) {
    if (event::typeOf(e) != event::kCallIncoming) return;
    const std::string peer = e.value("peer", "");
    const auto policy = state.contacts.current()->policy;
    if (peer.empty() || std::none_of(policy.auto_answer.begin(), policy.auto_answer.end(),
                                     [&](const std::string& id) { return sameParty(id, peer); }))
        return;
    bool answered = false;
    try {
        answered = state.jamid()->accept(e.value("account", ""), e.value("call_id", ""));
    } catch (const Error&) {}
    e["auto_answered"] = answered;
    auditPolicyAnswer(state, peer, e.value("contact", ""), answered);
}

void auditPolicyAnswer(State& state, const std::string& peer, const std::string& contact, bool answered) {
    Request r;  // audited like any request, its source the policy
    r.source = "policy";
    r.action = "call.accept";  // the action whose audit entry this is
    r.target = Target{{}, peer, "id", true};
    r.target->contact.name = contact;
    r.target->contact.id = peer;
    state.audit.recordRequest(r, state.options.host, true, answered ? "ok" : code::kRefusedByJamid);
}

std::string unseenMediaWarning(bool media, bool captured, const std::string& start_of) {
    if (media && captured) return {};
    return std::string("jamid's ") + (media ? "capture of the mouth" : "media") + " was not seen within 3 s; " +
           start_of + "'s start may be lost";
}

bool waitForMedia(State& state, RecentEvents::Mark since, const std::string& call_id, std::chrono::milliseconds limit) {
    return state.recent
        .waitFor(
            since,
            [&](const json& e) { return event::typeOf(e) == event::kCallMedia && e.value("call_id", "") == call_id; },
            limit)
        .has_value();
}

std::optional<json> nextEvent(State& state, std::chrono::milliseconds timeout) {
    if (!state.options.dry_run) {
        try {
            // Events flow once connected and followed; the interface is read
            // now so that messages are read in this jamid's form.
            state.followEvents();
            state.jamid()->learnInterfaceSoon();
        } catch (const Error&) {
            // No bus: nothing can arrive; still honour the timeout below.
        }
    }
    auto event = state.events.pop(timeout);
    if (event) {
        enrichEvent(state, *event);
        if (!state.options.dry_run) autoAnswerEvent(state, *event);
    }
    return event;
}

}  // namespace jskill
