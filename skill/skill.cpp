// The skill facade and its dispatcher: the order every request goes
// through, and only that. Find the action (its row in the registry), reach
// (whom it reaches, and whether the policy lets it), confirm, dry run, run,
// audit. The parts: request.cpp (typing a request), targets.cpp (whom),
// contacts.cpp (the contact book), state.cpp (the handle's state and its
// jamid connection), events.cpp (the event path), actions/*.cpp, and
// answering_machine.cpp (the calls it takes from the events a host takes).
#include "skill/skill.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "contacts/contact_id.hpp"
#include "skill/actions/registry.hpp"
#include "skill/answering_machine.hpp"
#include "skill/arguments.hpp"
#include "skill/events.hpp"
#include "skill/read_request.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;

namespace {

const ActionInfo& findAction(State& state, const Request& r) {
    auto it = state.actions.find(r.action);
    if (it != state.actions.end()) return it->second;
    std::vector<std::string> known;
    try {
        known = state.engine().intentNames();
    } catch (const intents::PartMissing&) {  // then no name is understood: it is unknown
    }
    if (std::find(known.begin(), known.end(), r.action) != known.end()) {
        throw Error(code::kNotImplemented, "\"" + r.action + "\" is understood but not available in this version yet",
                    "use dry_run to see how it was understood",
                    r.recognition.is_object() ? r.recognition : json::object());
    }
    std::string names;
    for (const auto& [name, info] : state.actions) names += (names.empty() ? "" : ", ") + name;
    throw Error(code::kUnknownAction, "unknown action \"" + r.action + "\"", "available actions: " + names);
}

// Whom the request is about, as the action's row says: a contact resolved
// (never guessed), the name as written for the book's edits, or nobody.
void findWhom(State& state, Request& r, const ActionInfo& info) {
    switch (info.whom) {
    case Whom::kNobody: return;
    case Whom::kContactIfNamed:
        if (!r.target && stringArg(r.args, "contact", false).empty()) return;
        [[fallthrough]];
    case Whom::kContact:
        if (!r.target)
            r.target = resolveTarget(state.languages(), *state.contacts.current(), stringArg(r.args, "contact"));
        return;
    case Whom::kWhoReachedUs:
        r.target = resolveTarget(state.languages(), *state.contacts.current(), stringArg(r.args, "peer"));
        r.target->reached_us = true;
        return;
    case Whom::kNameAsWritten:
        if (r.target) {
            r.contact_name = r.target->contact.name;
        } else {
            r.contact_name = stringArg(r.args, "contact", false);
            if (r.contact_name.empty()) r.contact_name = stringArg(r.args, "name");
        }
        return;
    }
}

// Whether the policy lets the action reach its target, and the limits:
// decided here, for every such action, before jamid is touched.
void checkReach(State& state, Request& r, const ActionInfo& info) {
    auto contacts = state.contacts.current();
    if (!state.pinned_file.readable)
        throw Error(code::kConfigError, "the pinned policy file " + state.pinned_file.path + " cannot be read",
                    "tell the user: nobody can be called or messaged until it is readable");
    if (contacts->policy.contacts_only && !r.target->in_book && !r.target->reached_us) {
        refuseStranger(*contacts, r.target->contact.id,
                       info.limit == Limit::kCall      ? "called"
                       : info.limit == Limit::kMessage ? "messaged"
                                                       : "reached");
    }
    if (info.limit == Limit::kNone) return;
    std::vector<std::string> live;
    if (info.limit == Limit::kCall && !r.dry_run) live = state.jamid()->callIds();  // asked before the ledger's lock
    auto decision = state.ledger.reserve(ledgerKind(info.limit), contacts::canonicalId(r.target->contact.id),
                                         state.bus().address, contacts->policy, live, r.dry_run);
    if (decision.refused) throwRefusal(*decision.refused);
    r.reservation = decision.reservation;
}

// What a dry run answers for an effectful action: what it would do, to
// whom, and that the policy allows it (a refusal was thrown before).
json plan(State& state, const Request& r, const ActionInfo& info) {
    json out{{"ok", true}, {"dry_run", true}, {"action", r.action}, {"would", info.summary}};
    if (info.needs_confirmation) {
        if (auto what = info.needs_confirmation(r); !what.empty()) out["would"] = what;
    }
    json args = r.args;
    args.erase("action");
    args.erase("dry_run");
    args.erase("confirmed");
    out["args"] = args;
    if (r.target) {
        out["target"] = r.target->toJson();
        const char* verb = info.limit == Limit::kCall ? "call " : info.limit == Limit::kMessage ? "message " : "reach ";
        out["would"] = verb + r.target->contact.shown() + " (" + r.target->contact.id + ")";
    }
    if (info.plans) out.update(info.plans(state, r));
    out["policy"] = {{"decision", "allowed"}, {"contacts_only", state.contacts.current()->policy.contacts_only}};
    if (info.limit == Limit::kCall) out["policy"]["not_checked"] = "calls at once (a dry run does not ask jamid)";
    return out;
}

json run(State& state, Request& r) {
    const ActionInfo& info = findAction(state, r);
    checkArguments(info.args, r.args);
    if (info.follows_events && !r.dry_run) state.followEvents();
    findWhom(state, r, info);
    if (info.precondition) info.precondition(state, r);
    if (has(info.effects, Effect::kReachesPerson)) checkReach(state, r, info);
    if (info.needs_confirmation && !r.confirmed) {
        if (auto what = info.needs_confirmation(r); !what.empty())
            throw Error(code::kConfirmationRequired, "this would " + what + ": the user must confirm it first",
                        "ask the user; repeat with \"confirmed\":true (jamictl --yes) only after they say yes",
                        {{"would", what}});
    }
    if (r.dry_run && (r.source == "text" || info.effects != Effect::kNone)) {
        // Edits check themselves against the file without writing.
        json out = has(info.effects, Effect::kEditsToolsMd) ? info.run(state, r) : plan(state, r, info);
        if (r.recognition.is_object())
            for (auto& [key, value] : r.recognition.items()) out[key] = value;
        if (r.target) out["contact"] = r.target->toJson();
        out["dry_run"] = true;
        return out;
    }
    json result = info.run(state, r);
    if (r.recognition.is_object()) {
        result["intent"] = r.recognition["intent"];
        result["language"] = r.recognition["language"];
        if (r.recognition.contains("action_ignored")) result["action_ignored"] = r.recognition["action_ignored"];
        if (r.recognition.contains("note")) result["note"] = r.recognition["note"];
    }
    if (r.target && result.is_object() && !result.contains("match")) result["match"] = r.target->match;
    return result;
}

void audit(State& state, const Request& r, const std::string& result_code) {
    auto it = state.actions.find(r.action);
    const bool effectful = it != state.actions.end() && it->second.effects != Effect::kNone;
    state.audit.recordRequest(r, state.options.host, effectful, result_code);
}

}  // namespace

Skill::Skill(SkillOptions options)
    : state_(std::make_unique<State>(std::move(options), allActions())),
      answering_(std::make_unique<AnsweringMachine>(*state_)) {
    state_->arrive = eventSinkOf(*state_);
}

Skill::~Skill() {
    // A message being taken is hung up while jamid is still here; then the
    // client's loop thread, which pushes into state_->events, is joined
    // when the client goes, before the queue.
    answering_.reset();
    if (state_) state_->shutDown();
}

json Skill::handle(const json& request) {
    Request r;
    try {
        r = typedRequest(*state_, request);
        json result = run(*state_, r);
        audit(*state_, r, "ok");
        return result;
    } catch (const Error& e) {
        if (r.action.empty() && request.is_object() && request.contains("text") && request["text"].is_string()) {
            r.source = "text";  // a sentence refused before it had an action (an unknown contact)
            r.action = e.extra().is_object() ? e.extra().value("intent", "") : "";
            r.text = request["text"].get<std::string>();
            if (e.extra().is_object() && e.extra().contains("slots") && e.extra()["slots"].contains("contact"))
                r.args["contact"] = e.extra()["slots"]["contact"];
        }
        audit(*state_, r, e.code());
        throw;
    }
}

std::optional<json> Skill::nextEvent(std::chrono::milliseconds timeout) {
    auto event = jskill::nextEvent(*state_, timeout);
    // A caller the host was told of: the answering machine may take the call.
    if (event && !state_->options.dry_run) answering_->offer(*event);
    return event;
}

}  // namespace jskill
