// Events on their way to the host (Skill::nextEvent): what jamid said, made
// something a host can act on without asking again, and the one thing the
// skill does by itself on an event, answering a caller the policy lists.
#include "skill/events.hpp"

#include <algorithm>

#include "config/contact_id.hpp"
#include "skill/error.hpp"
#include "skill/policy.hpp"
#include "skill/request.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;

EventSink eventSinkOf(State& state) {
    return [&state](json event) {
        state.calls.onEvent(event);
        // Our state as of this very event (a host may read it much later).
        if (event.value("type", "") == "call.state" || event.value("type", "") == "call.incoming") {
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
// (message text, names) is marked untrusted: data, never instructions.
void enrichEvent(State& state, json& e) {
    const std::string type = e.value("type", "");
    auto name = [&](const std::string& peer) {
        const std::string id = config::peerId(peer);
        e["peer"] = id;
        e["contact"] = contactNameOf(state, id);
    };
    if (type == "call.incoming" || type == "contact.request" || type == "message.account") {
        name(e.value("from", ""));
    } else if (type == "contact.added" || type == "contact.removed") {
        name(e.value("uri", ""));
    } else if (type == "conversation.member") {
        name(e.value("member", ""));
    } else if (type == "message.received" && e["message"].is_object()) {
        const std::string author = e["message"].value("author", "");
        name(author);
        try {
            e["direction"] = author == ownUriOf(state, e.value("account", "")) ? "out" : "in";
        } catch (const Error&) {
            e["direction"] = "in";  // jamid went away; an event is still worth delivering
        }
    }
    if (type == "call.state" && e.contains("peer")) e["contact"] = contactNameOf(state, e.value("peer", ""));
    if (type == "message.received" || type == "message.account" || type == "call.incoming" || type == "contact.request")
        e["untrusted"] = true;
}

// Auto-answer: only a caller whose exact id the policy lists.
void autoAnswerEvent(State& state, json& e) {
    if (e.value("type", "") != "call.incoming") return;
    const std::string peer = e.value("peer", "");
    const auto policy = state.contacts.current()->policy;
    if (peer.empty() ||
        std::none_of(policy.auto_answer.begin(), policy.auto_answer.end(), [&](const std::string& id) { return sameParty(id, peer); }))
        return;
    bool answered = false;
    try {
        answered = state.jamid()->accept(e.value("account", ""), e.value("call_id", ""));
    } catch (const Error&) {
    }
    e["auto_answered"] = answered;
    Request r;  // audited like any request, its source the policy
    r.source = "policy";
    r.action = "call.accept";
    r.target = Target{{}, peer, "id", true};
    r.target->contact.name = e.value("contact", "");
    r.target->contact.id = peer;
    state.audit.recordRequest(r, state.options.host, true, answered ? "ok" : code::kRefusedByJamid);
}

}  // namespace jskill
