// The skill facade and its dispatcher: options, the shared state, the
// connection to jamid, and the order every request goes through (find the
// action, check whom it reaches, confirmation, dry run, run, audit). The
// parts: request.cpp (typing a request), targets.cpp (whom), contacts.cpp
// (the contact book), arguments.cpp, events.cpp, actions/*.cpp.
#include "skill/skill.hpp"

#include "skill/error.hpp"
#include "skill/jamid/jamid_client.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;

SkillOptions SkillOptions::fromJson(const json& options) {
    SkillOptions out;
    if (options.is_null()) return out;
    if (!options.is_object()) throw Error(code::kInvalidArgument, "options must be a JSON object");
    if (auto it = options.find("tools_md"); it != options.end() && !it->is_null()) {
        if (!it->is_string()) throw Error(code::kInvalidArgument, "\"tools_md\" must be a string path");
        out.tools_md = it->get<std::string>();
    }
    if (auto it = options.find("bus"); it != options.end() && !it->is_null()) {
        if (!it->is_string()) throw Error(code::kInvalidArgument, "\"bus\" must be a D-Bus address string");
        out.bus = it->get<std::string>();
    }
    if (auto it = options.find("call_log"); it != options.end() && !it->is_null()) {
        if (!it->is_string() || it->get<std::string>().empty())
            throw Error(code::kInvalidArgument, "\"call_log\" must be a file path");
        out.call_log = it->get<std::string>();
    }
    for (auto [name, target] : {std::pair{"state_dir", &out.state_dir}, std::pair{"host", &out.host}}) {
        if (auto it = options.find(name); it != options.end() && !it->is_null()) {
            if (!it->is_string()) throw Error(code::kInvalidArgument, std::string("\"") + name + "\" must be a string");
            *target = it->get<std::string>();
        }
    }
    if (auto it = options.find("policy_file"); it != options.end() && !it->is_null()) {
        if (!it->is_string()) throw Error(code::kInvalidArgument, "\"policy_file\" must be a string path");
        out.policy_file = it->get<std::string>();
    }
    if (auto it = options.find("policy"); it != options.end()) {
        policyFromJson(*it);  // validated here, at open
        out.policy = *it;
    }
    out.dry_run = boolMember(options, "dry_run").value_or(false);
    if (auto it = options.find("timeout_ms"); it != options.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<long long>() <= 0 || it->get<long long>() > 600000)
            throw Error(code::kInvalidArgument, "\"timeout_ms\" must be an integer from 1 to 600000");
        out.timeout = std::chrono::milliseconds(it->get<long long>());
    }
    return out;
}

namespace {

std::filesystem::path stateDirOf(const SkillOptions& o) {
    if (!o.state_dir.empty()) return o.state_dir;
    if (!o.call_log.empty()) return std::filesystem::path(o.call_log).parent_path();
    return defaultStateDir();
}
}  // namespace

State::State(SkillOptions opts)
    : options(std::move(opts)),
      state_dir(stateDirOf(options)),
      calls(options.dry_run ? std::nullopt
                            : std::optional<CallLog>(CallLog(options.call_log.empty() ? state_dir / "calls.jsonl"
                                                                                     : std::filesystem::path(options.call_log)))),
      languages(intents::LanguageFacts::Builtin{}),
      audit(state_dir / "audit.jsonl"),
      ledger(state_dir / "outbound.jsonl"),
      pinned_file(readPinnedPolicy(options.policy_file)),
      pinned(stricter(policyFromJson(options.policy), pinned_file.settings)),
      guard([this](const std::string& call_id, const std::string& account) { endAtMaxDuration(call_id, account); }) {
    addLocalActions(actions);
    addAccountActions(actions);
    addCallActions(actions);
    addMessageActions(actions);
    opened_file_ = readContacts(options.tools_md);  // checked now, parsed when first needed
}

const intents::Engine& State::engine() {
    std::call_once(engine_built_, [this] {
        engine_ = std::make_unique<intents::Engine>(intents::Engine::builtin(intents::Engine::Compile::WhenUsed));
    });
    return *engine_;
}

std::shared_ptr<Jamid> State::jamid() {
    if (options.dry_run) {
        throw Error(code::kDryRun, "this skill was opened with dry_run: it never talks to jamid",
                    "open it without \"dry_run\" (jamictl: drop --dry-run) to act on jamid");
    }
    std::lock_guard lock(jamid_mutex_);
    if (client_ && !client_->healthy()) client_.reset();
    if (!client_) {
        // A bus that just failed is not tried again for a second: a host
        // polling events, or retrying in a loop, costs nothing meanwhile.
        const auto now = std::chrono::steady_clock::now();
        if (connect_failure_ && now < retry_connect_at_) throw *connect_failure_;
        JamidOptions o{options.bus, options.timeout};
        try {
            client_ = makeClient(o);
            connect_failure_.reset();
        } catch (const Error& e) {
            connect_failure_ = e;
            retry_connect_at_ = now + std::chrono::seconds(1);
            throw;
        }
    }
    return client_;
}

void State::shutDown() {
    guard.stop();  // it would reconnect to hang up
    std::lock_guard lock(jamid_mutex_);
    client_.reset();
}

void State::endAtMaxDuration(const std::string& call_id, const std::string& account) {
    calls.hangupRequested(call_id, "max_duration");
    jamid()->hangUp(account, call_id);
}

std::shared_ptr<Jamid> State::makeClient(const JamidOptions& o) {
    // On the D-Bus loop thread: bookkeeping first, so that a host that
    // sees the event and asks about it finds it already applied.
    EventSink sink = [this](json event) {
        calls.onEvent(event);
        // Our state as of this very event (a host may read it much later).
        if (event.value("type", "") == "call.state" || event.value("type", "") == "call.incoming") {
            if (auto call = calls.get(event.value("call_id", ""))) {
                event["state"] = call->state;
                if (call->ended()) event["end_reason"] = call->end_reason;
                if (!call->peer.empty()) event["peer"] = call->peer;
            }
        }
        recent.push(event);
        events.push(std::move(event));
    };
    if (options.jamid_factory) return options.jamid_factory(o, std::move(sink));
    return std::make_shared<JamidClient>(o, std::move(sink));
}

namespace {

const ActionInfo& findAction(State& state, const Request& r) {
    auto it = state.actions.find(r.action);
    if (it != state.actions.end()) return it->second;
    auto known = state.engine().intentNames();
    if (std::find(known.begin(), known.end(), r.action) != known.end()) {
        throw Error(code::kNotImplemented, "\"" + r.action + "\" is understood but not available in this version yet",
                    "use dry_run to see how it was understood", r.recognition.is_object() ? r.recognition : json::object());
    }
    std::string names;
    for (const auto& [name, info] : state.actions) names += (names.empty() ? "" : ", ") + name;
    throw Error(code::kUnknownAction, "unknown action \"" + r.action + "\"", "available actions: " + names);
}

// The person an action reaches, and whether the policy lets it: decided
// here, for every such action, before jamid is touched.
void checkReach(State& state, Request& r, const ActionInfo& info) {
    auto contacts = state.contactBook();
    if (!r.target) r.target = resolveTarget(state, *contacts, stringArg(r.args, "contact"));
    if (!state.pinned_file.readable)
        throw Error(code::kConfigError, "the pinned policy file " + state.pinned_file.path + " cannot be read",
                    "tell the user: nobody can be called or messaged until it is readable");
    if (contacts->policy.contacts_only && !r.target->in_book) {
        const std::string_view kind = info.limit_kind ? info.limit_kind : "";
        refuseStranger(*contacts, r.target->contact.id, kind == "call" ? "called" : kind == "message" ? "messaged" : "reached");
    }
    if (!info.limit_kind) return;
    std::vector<std::string> live;
    const bool call = std::string_view(info.limit_kind) == "call";
    if (call && !r.dry_run) live = state.jamid()->callIds();  // asked before the ledger's lock
    auto decision = state.ledger.reserve(info.limit_kind, config::canonicalId(r.target->contact.id), state.options.bus,
                                         contacts->policy, live, r.dry_run);
    if (decision.refused) {
        const auto& no = *decision.refused;
        throw Error(no.code, no.message, "tell the user; try again after " + std::to_string(no.retry_after_s) + " s",
                    {{"rule", no.rule}, {"limit", no.limit}, {"count", no.count}, {"retry_after_s", no.retry_after_s}});
    }
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
        out["would"] = std::string(r.action == "call.start" ? "call " : r.action == "message.send" ? "message " : "reach ") +
                       (r.target->contact.name.empty() ? r.target->contact.id : r.target->contact.name) + " (" +
                       r.target->contact.id + ")";
    }
    out["policy"] = {{"decision", "allowed"}, {"contacts_only", state.contactBook()->policy.contacts_only}};
    if (info.limit_kind && std::string_view(info.limit_kind) == "call")
        out["policy"]["not_checked"] = "calls at once (a dry run does not ask jamid)";
    return out;
}

json run(State& state, Request& r) {
    const ActionInfo& info = findAction(state, r);
    if (info.effects & kReachesPerson) checkReach(state, r, info);
    if (info.needs_confirmation && !r.confirmed) {
        if (auto what = info.needs_confirmation(r); !what.empty())
            throw Error(code::kConfirmationRequired, "this would " + what + ": the user must confirm it first",
                        "ask the user; repeat with \"confirmed\":true (jamictl --yes) only after they say yes",
                        {{"would", what}});
    }
    if (r.dry_run && (r.source == "text" || info.effects != kNoEffect)) {
        // Edits check themselves against the file without writing.
        json out = info.effects & kEditsToolsMd ? info.run(state, r) : plan(state, r, info);
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
    }
    if (r.target && result.is_object() && !result.contains("match")) result["match"] = r.target->match;
    return result;
}

// Refusals are audited whatever the action.
bool isRefusal(const std::string& c) {
    return c == code::kNotAllowed || c == code::kConfirmationRequired || c == code::kRateLimited ||
           c == code::kLimitReached || c == code::kUnknownContact || c == code::kAmbiguousContact;
}

}  // namespace

void auditRequest(State& state, const Request& r, const std::string& result_code) {
    auto it = state.actions.find(r.action);
    const bool effectful = it != state.actions.end() && it->second.effects != kNoEffect;
    if (!effectful && !isRefusal(result_code)) return;
    json entry{{"host", state.options.host.empty() ? "unknown" : state.options.host},
               {"source", r.source},
               {"action", r.action},
               {"dry_run", r.dry_run},
               {"confirmed", r.confirmed},
               {"result", result_code},
               {"decision", result_code == "ok" ? (r.dry_run ? "allowed (dry run)" : "allowed")
                            : isRefusal(result_code) ? "refused"
                                                     : "failed"}};
    if (r.target) {
        entry["target"] = {{"name", r.target->contact.name}, {"id", r.target->contact.id}};
        entry["match"] = r.target->match;
    } else if (auto c = r.args.find("contact"); c != r.args.end() && c->is_string()) {
        entry["target"] = {{"said", c->get<std::string>().substr(0, 200)}};
    }
    if (r.source == "text") entry["text"] = r.text.substr(0, 500);
    state.audit.record(std::move(entry));
}

Skill::Skill(SkillOptions options) : state_(std::make_unique<State>(std::move(options))) {}

Skill::~Skill() {
    // The client's loop thread pushes into state_->events; it is joined when
    // the client goes, before the queue.
    if (state_) state_->shutDown();
}

json Skill::handle(const json& request) {
    Request r;
    try {
        r = typedRequest(*state_, request);
        json result = run(*state_, r);
        auditRequest(*state_, r, "ok");
        return result;
    } catch (const Error& e) {
        if (r.action.empty() && request.is_object() && request.contains("text") && request["text"].is_string()) {
            r.source = "text";  // a sentence refused before it had an action (an unknown contact)
            r.action = e.extra().is_object() ? e.extra().value("intent", "") : "";
            r.text = request["text"].get<std::string>();
            if (e.extra().is_object() && e.extra().contains("slots") && e.extra()["slots"].contains("contact"))
                r.args["contact"] = e.extra()["slots"]["contact"];
        }
        auditRequest(*state_, r, e.code());
        throw;
    }
}

std::optional<json> Skill::nextEvent(std::chrono::milliseconds timeout) {
    if (!state_->options.dry_run) {
        try {
            // Events flow once connected; the interface is read now so that
            // messages are read in this jamid's form.
            state_->jamid()->learnInterfaceSoon();
        } catch (const Error&) {
            // No bus: nothing can arrive; still honour the timeout below.
        }
    }
    auto event = state_->events.pop(timeout);
    if (event) {
        enrichEvent(*state_, *event);
        if (!state_->options.dry_run) autoAnswerEvent(*state_, *event);
    }
    return event;
}

}  // namespace jskill
