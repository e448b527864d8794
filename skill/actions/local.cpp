// Actions that never touch jamid: understanding a sentence, help, the
// contact book's edits and listing, the policy and the audit log.
#include "skill/error.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;

namespace {

// The contact an edit is about: the resolved contact of a sentence, else
// the "contact" (or "name") argument as written.
std::string contactNameArg(const Request& request) {
    if (request.target) return request.target->contact.name;
    std::string name = stringArg(request.args, "contact", false);
    return name.empty() ? stringArg(request.args, "name") : name;
}

}  // namespace

void addLocalActions(ActionTable& table) {
    table["intent.parse"] = {[](State& state, const Request& request) {
                                 json out = parseText(state, stringArg(request.args, "text")).recognition;
                                 out["ok"] = true;
                                 return out;
                             },
                             "recognize a sentence without acting (text)"};
    table["help"] = {[](State& state, const Request&) {
                         json out{{"ok", true}};
                         out["intents"] = state.engine().intentNames();
                         out["examples"] = json::object();
                         for (const auto& language : state.engine().languages())
                             out["examples"][language] = state.engine().examples(language);
                         // Every action, from the one table: what a host may send.
                         out["actions"] = json::array();
                         for (const auto& [name, info] : state.actions)
                             out["actions"].push_back({{"action", name}, {"summary", info.summary}});
                         return out;
                     },
                     "what the skill understands"};
    table["contact.add"] = {[](State& state, const Request& request) {
                                config::Contact contact;
                                contact.name = stringArg(request.args, "name");
                                contact.id = stringArg(request.args, "id");
                                if (auto a = request.args.find("aliases"); a != request.args.end() && !a->is_null()) {
                                    if (!a->is_array()) throw Error(code::kInvalidArgument, "\"aliases\" must be a list of strings");
                                    for (const auto& alias : *a) {
                                        if (!alias.is_string()) throw Error(code::kInvalidArgument, "\"aliases\" must be a list of strings");
                                        contact.aliases.push_back(alias.get<std::string>());
                                    }
                                }
                                auto path = state.editContacts(
                                    [&](const std::string& text) { return config::withContactAdded(text, contact); },
                                    request.dry_run);
                                json out{{"ok", true}, {"added", contactJson(contact)}, {"tools_md", path}};
                                if (!request.dry_run) out["jami"] = inviteOnJami(state, contact);  // run() marks a dry run
                                return out;
                            },
                            "add a contact to TOOLS.md (name, id, aliases); needs confirmed",
                            kEditsToolsMd | kChangesJamid,
                            [](const Request& r) {
                                return "add " + shownArg(r.args, "name") + " (" +
                                       shownArg(r.args, "id") + ") to your contacts";
                            }};
    table["contact.remove"] = {[](State& state, const Request& request) {
                                   const std::string name = contactNameArg(request);
                                   auto path = state.editContacts(
                                       [&](const std::string& text) { return config::withContactRemoved(text, name); },
                                       request.dry_run);
                                   return json{{"ok", true}, {"removed", name}, {"tools_md", path}};
                               },
                               "remove a contact from TOOLS.md (contact); needs confirmed", kEditsToolsMd,
                               [](const Request& r) { return "remove " + contactNameArg(r) + " from your contacts"; }};
    table["contact.rename"] = {[](State& state, const Request& request) {
                                   const std::string old_name = contactNameArg(request);
                                   const std::string new_name = stringArg(request.args, "new_name");
                                   auto path = state.editContacts(
                                       [&](const std::string& text) {
                                           return config::withContactRenamed(text, old_name, new_name);
                                       },
                                       request.dry_run);
                                   return json{{"ok", true}, {"renamed", {{"from", old_name}, {"to", new_name}}},
                                               {"tools_md", path}};
                               },
                               "rename a contact in TOOLS.md (contact, new_name); needs confirmed", kEditsToolsMd,
                               [](const Request& r) {
                                   return "rename " + contactNameArg(r) + " to " + shownArg(r.args, "new_name");
                               }};
    table["contact.list"] = {[](State& state, const Request&) {
                                 auto contacts = state.contactBook();
                                 json out{{"ok", true}, {"contacts", json::array()}};
                                 for (const auto& c : contacts->book.contacts()) out["contacts"].push_back(contactJson(c));
                                 json source{{"path", contacts->path ? contacts->path->string() : ""},
                                             {"found_by", contacts->source},
                                             {"section_found", contacts->config.section_found}};
                                 json problems = json::array();
                                 for (const auto& p : contacts->config.problems)
                                     problems.push_back({{"line", p.line}, {"message", p.message}});
                                 source["problems"] = problems;
                                 if (!contacts->load_error.empty()) source["reload_error"] = contacts->load_error;
                                 out["tools_md"] = source;
                                 out["policy"] = contacts->policy.toJson();
                                 if (!contacts->path) {
                                     out["hint"] = "no TOOLS.md with a Jami Configuration section found: pass --tools PATH or "
                                                   "set JAMI_SKILL_TOOLS; see the TOOLS.md template for the format";
                                 }
                                 return out;
                             },
                             "contacts from TOOLS.md"};
    table["policy.show"] = {[](State& state, const Request&) {
                                auto contacts = state.contactBook();
                                json problems = json::array();
                                for (const auto& p : state.pinned_file.problems)
                                    problems.push_back({{"line", p.line}, {"message", p.message}});
                                return json{{"ok", true},
                                            {"policy", contacts->policy.toJson()},
                                            {"pinned_file", {{"path", state.pinned_file.path},
                                                             {"readable", state.pinned_file.readable},
                                                             {"problems", problems}}},
                                            {"pinned_option", !state.options.policy.is_null()},
                                            {"tools_md", contacts->path ? contacts->path->string() : ""},
                                            {"tools_md_policy_kept", contacts->policy_kept},
                                            {"audit_log", state.audit.path().string()}};
                            },
                            "who may be reached, and the limits in force"};
    table["audit.read"] = {[](State& state, const Request& request) {
                               const auto count = static_cast<std::size_t>(numberArg(request.args, "count", 20, 1, 1000));
                               return json{{"ok", true}, {"path", state.audit.path().string()},
                                           {"entries", state.audit.newest(count)}};
                           },
                           "the newest audit log entries, newest first (count?)"};
}

}  // namespace jskill
