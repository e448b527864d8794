// What the skill knows of itself, for a person or an agent: help, how a
// sentence is understood, the policy in force, the audit log. None of these
// touches jamid or writes a file.
#include "skill/actions/registry.hpp"
#include "skill/arguments.hpp"
#include "skill/read_request.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;

namespace {

json intentParse(State& state, const Request& request) {
    json out = parseText(state, stringArg(request.args, "text")).recognition;
    out["ok"] = true;
    return out;
}

json help(State& state, const Request&) {
    json out{{"ok", true}};
    out["intents"] = json::array();
    out["examples"] = json::object();
    try {
        out["intents"] = state.engine().intentNames();
        for (const auto& language : state.engine().languages())
            out["examples"][language] = state.engine().examples(language);
    } catch (const intents::PartMissing& e) {  // the actions below still work
        out["problems"] = json::array({std::string("no sentences: ") + e.what()});
    }
    // Every action, from the one table: what a host may send.
    out["actions"] = json::array();
    for (const auto& [name, info] : state.actions)
        out["actions"].push_back({{"action", name}, {"summary", info.summary}});
    return out;
}

json policyShow(State& state, const Request&) {
    auto contacts = state.contacts.current();
    json problems = json::array();
    for (const auto& p : state.pinned_file.problems) problems.push_back({{"line", p.line}, {"message", p.message}});
    return json{{"ok", true},
                {"policy", contacts->policy.toJson()},
                {"pinned_file",
                 {{"path", state.pinned_file.path}, {"readable", state.pinned_file.readable}, {"problems", problems}}},
                {"pinned_option", !state.options.policy.is_null()},
                {"tools_md", contacts->path ? contacts->path->string() : ""},
                {"tools_md_policy_kept", contacts->policy_kept},
                {"audit_log", state.audit.path().string()}};
}

json auditRead(State& state, const Request& request) {
    const auto count = static_cast<std::size_t>(numberArg(request.args, "count", 20, 1, 1000));
    return json{{"ok", true}, {"path", state.audit.path().string()}, {"entries", state.audit.newest(count)}};
}

}  // namespace

void addAboutActions(ActionTable& table) {
    table["intent.parse"] = {.run = intentParse,
                             .summary = "recognize a sentence without acting (text)",
                             .args = {arg::text("text", arg::kRequired)}};
    table["help"] = {.run = help, .summary = "what the skill understands"};
    table["policy.show"] = {.run = policyShow, .summary = "who may be reached, and the limits in force"};
    table["audit.read"] = {.run = auditRead,
                           .summary = "the newest audit log entries, newest first (count?)",
                           .args = {arg::number("count", 1, 1000)}};
}

}  // namespace jskill
