#include "skill/skill.hpp"

#include <cmath>
#include <thread>


#include "skill/error.hpp"
#include "skill/jamid/jamid_client.hpp"
#include "skill/state.hpp"
#include "skill/utf8.hpp"
#include "config/name_keys.hpp"

namespace jskill {

using nlohmann::json;

namespace {

std::shared_ptr<ContactsSnapshot> loadContacts(const std::optional<std::string>& explicit_path,
                                               const std::shared_ptr<config::PinyinKeys>& pinyin) {
    auto snapshot = std::make_shared<ContactsSnapshot>();
    auto lookup = config::findToolsFile(explicit_path);
    snapshot->path = lookup.path;
    snapshot->create_in = lookup.create_in;
    snapshot->source = lookup.source;
    if (!lookup.path) {
        return snapshot;
    }
    std::error_code ec;
    snapshot->mtime = std::filesystem::last_write_time(*lookup.path, ec);
    snapshot->size = std::filesystem::file_size(*lookup.path, ec);
    std::string why;
    auto contents = config::readWholeFile(*lookup.path, &why);
    if (!contents) {
        throw Error(code::kConfigError, "cannot read the contact book: " + why,
                    "pass an existing TOOLS.md (a regular file of at most 8 MiB) with --tools / \"tools_md\", or set "
                    "JAMI_SKILL_TOOLS");
    }
    const std::string& text = *contents;
    if (!isValidUtf8(text)) {
        throw Error(code::kConfigError, lookup.path->string() + " is not valid UTF-8",
                    "save the file as UTF-8; nothing was changed");
    }
    snapshot->config = config::parseJamiConfig(text);
    snapshot->tools_policy = snapshot->config.policy;
    // The book owns the contacts from here on; config keeps the rest.
    snapshot->book = config::ContactBook(std::move(snapshot->config.contacts), pinyin);
    return snapshot;
}

// An editor that rewrites the file in place (truncate, then write) can be
// read in between. When a reload would lose contacts, the file is read again
// until it holds still for 5 ms (at most 20 times), so a half-written file is
// not taken for what the user meant; a file that holds still is.
std::shared_ptr<ContactsSnapshot> loadSettled(const std::filesystem::path& path, std::size_t had,
                                              const std::shared_ptr<config::PinyinKeys>& pinyin) {
    auto fresh = loadContacts(path.string(), pinyin);
    for (int tries = 0; tries < 20 && fresh->book.contacts().size() < had; ++tries) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::error_code ec;
        auto mtime = std::filesystem::last_write_time(path, ec);
        auto size = ec ? 0 : std::filesystem::file_size(path, ec);
        if (ec || (mtime == fresh->mtime && size == fresh->size)) break;
        fresh = loadContacts(path.string(), pinyin);
    }
    return fresh;
}

json recognitionJson(const intents::Recognition& r) {
    json out = {{"intent", r.intent}, {"slots", r.slots}, {"language", r.language}};
    if (!r.corrected.empty()) out["corrected"] = r.corrected;  // a keyword typo read as the keyword
    return out;
}

// "try for example: ..." from every language's `hint_examples:`.
std::string whatICanDo(const intents::LanguageFacts& facts) {
    std::string hint = "try for example: ";
    for (const auto& e : facts.hintExamples()) hint += "\"" + e + "\", ";
    return hint + "{\"text\":\"help\"} lists every intent";
}

}  // namespace

std::optional<bool> boolMember(const json& object, const char* name) {
    auto it = object.find(name);
    if (it == object.end() || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) throw Error(code::kInvalidArgument, std::string("\"") + name + "\" must be true or false");
    return it->get<bool>();
}

double numberArg(const json& args, const char* name, double fallback, double min, double max) {
    auto it = args.find(name);
    if (it == args.end() || it->is_null()) return fallback;
    // NaN passes every comparison: finite first.
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < min || it->get<double>() > max) {
        auto text = [](double v) { return nlohmann::json(v).dump(); };
        throw Error(code::kInvalidArgument,
                    std::string("\"") + name + "\" must be a number from " + text(min) + " to " + text(max));
    }
    return it->get<double>();
}

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

Skill::State::State(SkillOptions opts)
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
    adopt(loadContacts(options.tools_md, pinyin));
}

void Skill::State::adopt(std::shared_ptr<ContactsSnapshot> fresh) {
    if (contacts) {
        fresh->source = contacts->source;
        if (!fresh->config.section_found) {
            // Emptied, cut or rewritten without the section: it says nothing
            // about the policy, so the last word stands.
            fresh->tools_policy = contacts->tools_policy;
            fresh->policy_kept = true;
        }
    }
    fresh->policy = effectivePolicy(pinned, fresh->tools_policy);
    contacts = std::move(fresh);
}

const intents::Engine& Skill::State::engine() {
    std::call_once(engine_built_, [this] {
        engine_ = std::make_unique<intents::Engine>(intents::Engine::builtin(intents::Engine::Compile::WhenUsed));
    });
    return *engine_;
}

const intents::ContactIndex& ContactsSnapshot::index() const {
    std::call_once(index_built_, [this] { index_ = std::make_unique<intents::ContactIndex>(book.spellings()); });
    return *index_;
}

std::shared_ptr<const ContactsSnapshot> Skill::State::contactBook() {
    std::lock_guard lock(contacts_mutex);
    if (contacts->path) {
        std::error_code ec;
        auto mtime = std::filesystem::last_write_time(*contacts->path, ec);
        auto size = ec ? 0 : std::filesystem::file_size(*contacts->path, ec);
        if (!ec && (mtime != contacts->mtime || size != contacts->size)) {
            try {
                adopt(loadSettled(*contacts->path, contacts->book.contacts().size(), pinyin));
            } catch (const Error& e) {
                // Keep the last good contact list and say why the new one was refused.
                auto kept = std::make_shared<ContactsSnapshot>();
                kept->path = contacts->path;
                kept->config = contacts->config;
                kept->book = contacts->book;
                kept->mtime = mtime;
                kept->size = size;
                kept->load_error = e.what();
                kept->tools_policy = contacts->tools_policy;
                kept->policy_kept = true;
                adopt(std::move(kept));
            }
        }
    }
    return contacts;
}

std::string Skill::State::editContacts(const std::function<std::string(const std::string&)>& edit, bool dry_run) {
    std::shared_ptr<const ContactsSnapshot> before;
    {
        std::lock_guard lock(contacts_mutex);
        before = contacts;
    }
    const auto path = before->path ? before->path : before->create_in;
    if (!path) {
        throw Error(code::kConfigError, "no TOOLS.md to edit",
                    "pass --tools PATH (or \"tools_md\") or set JAMI_SKILL_TOOLS to your TOOLS.md");
    }
    try {
        if (dry_run) {
            edit(config::readWholeFile(*path).value_or(std::string()));  // throws like the real edit
            return path->string();
        }
        config::editFileAtomically(*path, edit);
    } catch (const std::invalid_argument& e) {
        throw Error(code::kInvalidArgument, e.what(), "nothing was changed in " + path->string());
    } catch (const std::runtime_error& e) {
        throw Error(code::kConfigError, e.what(), "nothing was changed in " + path->string());
    }
    auto fresh = loadContacts(path->string(), pinyin);
    std::lock_guard lock(contacts_mutex);
    adopt(std::move(fresh));
    return path->string();
}

std::shared_ptr<Jamid> Skill::State::jamid() {
    if (options.dry_run) {
        throw Error(code::kDryRun, "this skill was opened with dry_run: it never talks to jamid",
                    "open it without \"dry_run\" (jamictl: drop --dry-run) to act on jamid");
    }
    std::lock_guard lock(jamid_mutex);
    if (client && !client->healthy()) client.reset();
    if (!client) {
        // A bus that just failed is not tried again for a second: a host
        // polling events, or retrying in a loop, costs nothing meanwhile.
        const auto now = std::chrono::steady_clock::now();
        if (connect_failure && now < retry_connect_at) throw *connect_failure;
        JamidOptions o{options.bus, options.timeout};
        try {
            client = makeClient(o);
            connect_failure.reset();
        } catch (const Error& e) {
            connect_failure = e;
            retry_connect_at = now + std::chrono::seconds(1);
            throw;
        }
    }
    return client;
}

void Skill::State::endAtMaxDuration(const std::string& call_id, const std::string& account) {
    calls.hangupRequested(call_id, "max_duration");
    jamid()->hangUp(account, call_id);
}

std::shared_ptr<Jamid> Skill::State::makeClient(const JamidOptions& o) {
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

std::string stringArg(const json& args, const char* name, bool required) {
    auto it = args.find(name);
    if (it == args.end() || it->is_null()) {
        if (required) throw Error(code::kMissingSlot, std::string("missing \"") + name + "\"");
        return {};
    }
    if (!it->is_string()) throw Error(code::kInvalidArgument, std::string("\"") + name + "\" must be a string");
    return it->get<std::string>();
}

json contactJson(const config::Contact& c) {
    json out{{"name", c.name}, {"id", c.id}};
    if (!c.aliases.empty()) out["aliases"] = c.aliases;
    return out;
}

json Target::toJson() const {
    json out = contactJson(contact);
    out["match"] = match;
    out["in_book"] = in_book;
    return out;
}

namespace {

// What every refusal to guess says to the agent.
constexpr const char* kAskWho =
    "ask the user who they mean; if it is one of the suggestions, repeat the request with that contact's full name. "
    "Only the user adds contacts";

// ambiguous_contact / unknown_contact for a name that did not resolve to one
// contact; `extra` goes beside the error (the recognition, for sentences).
[[noreturn]] void throwUnresolved(const ContactsSnapshot& contacts, const std::string& said,
                                  const config::Resolution& res, json extra) {
    const auto& book = contacts.book;
    if (res.kind == config::Resolution::Kind::Ambiguous) {
        json candidates = json::array();
        for (auto i : res.candidates) candidates.push_back(contactJson(book.contacts()[i]));
        extra["candidates"] = candidates;
        throw Error(code::kAmbiguousContact, "\"" + said + "\" matches several contacts",
                    "ask the user which one, then use the full name from the candidates", extra);
    }
    json suggestions = json::array();
    for (auto i : res.candidates) {
        json c = contactJson(book.contacts()[i]);
        c["match"] = res.match;  // word, similar, homophone: never acted on
        suggestions.push_back(std::move(c));
    }
    extra["suggestions"] = suggestions;
    const std::string where = contacts.path ? contacts.path->string() : std::string("TOOLS.md (none found)");
    throw Error(code::kUnknownContact,
                suggestions.empty() ? "no contact named \"" + said + "\" in " + where
                                    : "no contact is named exactly \"" + said + "\" in " + where +
                                          " (similar names are only suggestions)",
                kAskWho, extra);
}

}  // namespace

Target resolveTarget(Skill::State& state, const ContactsSnapshot& contacts, const std::string& said,
                     const std::vector<std::size_t>& prefilter, json extra) {
    if (said.empty()) throw Error(code::kMissingSlot, "missing \"contact\"", "say who, by name");
    if (said.size() > 512) throw Error(code::kInvalidArgument, "\"contact\" is longer than 512 bytes");
    const auto& book = contacts.book;
    Target t;
    t.said = said;
    if (state.languages.isPronoun(said)) {
        extra["suggestions"] = json::array();
        throw Error(code::kUnknownContact, "\"" + said + "\" does not say who: a pronoun is never taken for a contact",
                    "ask the user who they mean, by name", extra);
    }
    if (config::isAddress(said)) {
        // An address: its contact when TOOLS.md has it (the book's id is
        // dialled, not the string typed), else the address as it is.
        if (auto index = book.findById(said)) {
            t.contact = book.contacts()[*index];
            t.match = "id";
            t.in_book = true;
        } else {
            t.contact.id = said;
            t.match = "address";
        }
        return t;
    }
    config::Resolution res;
    if (prefilter.size() > 1) {
        res.kind = config::Resolution::Kind::Ambiguous;
        res.candidates = prefilter;
    } else {
        res = book.resolve(said);
        // The engine found this exact spelling: the same contact, whatever step names it.
        if (prefilter.size() == 1 && !(res.kind == config::Resolution::Kind::Found && res.index == prefilter.front())) {
            res.kind = config::Resolution::Kind::Found;
            res.index = prefilter.front();
            res.match = "normalized";
        }
    }
    if (res.kind != config::Resolution::Kind::Found) throwUnresolved(contacts, said, res, std::move(extra));
    t.contact = book.contacts()[res.index];
    t.match = res.match;
    t.in_book = true;
    return t;
}

config::Contact targetContact(Skill::State& state, const Request& request, const char* slot) {
    if (request.target) return request.target->contact;
    auto contacts = state.contactBook();
    return resolveTarget(state, *contacts, stringArg(request.args, slot)).contact;
}

namespace {

// `what`: "called", "messaged", "reached".
[[noreturn]] void refuseStranger(const ContactsSnapshot& contacts, const std::string& who, const char* what) {
    throw Error(code::kNotAllowed,
                std::string("only contacts may be ") + what + ", and " + who + " is not one (\"Contacts only\" is on" +
                    (contacts.path ? " for " + contacts.path->string() : std::string()) + ")",
                "tell the user; do not add contacts or change the policy yourself");
}

}  // namespace

void checkCaller(Skill::State& state, const std::string& peer, bool confirmed, const char* what) {
    auto contacts = state.contactBook();
    if (confirmed || !contacts->policy.contacts_only || (!peer.empty() && contacts->book.findById(peer))) return;
    throw Error(code::kNotAllowed,
                std::string("the ringing call is from ") + (peer.empty() ? "an anonymous caller" : peer) +
                    ", who is not a contact (\"Contacts only\" is on)",
                std::string("ask the user; ") + what + " it only if they say so (\"confirmed\":true, jamictl --yes)");
}

namespace {

// A sentence understood: its recognition and, for a {contact} slot, the
// resolved target. Throws no_intent, unknown_contact, ambiguous_contact.
struct Understood {
    json recognition;
    std::optional<Target> target;
};

Understood parseText(Skill::State& state, const std::string& text) {
    if (text.empty()) throw Error(code::kInvalidArgument, "\"text\" is empty", whatICanDo(state.languages));
    if (text.size() > 4096) throw Error(code::kInvalidArgument, "\"text\" is longer than 4096 bytes");
    auto contacts = state.contactBook();
    std::optional<intents::Recognition> recognition;
    try {
        recognition = state.engine().recognize(text, &contacts->index());  // compiles a language at its first use
    } catch (const intents::LoadError& e) {
        throw Error(code::kInternal, std::string("sentence templates: ") + e.what());
    }
    if (!recognition) {
        throw Error(code::kNoIntent, "I did not understand \"" + text + "\"", whatICanDo(state.languages));
    }
    Understood out{recognitionJson(*recognition), std::nullopt};
    if (auto slot = recognition->slots.find("contact"); slot != recognition->slots.end() && slot->is_string()) {
        out.target = resolveTarget(state, *contacts, slot->get<std::string>(), recognition->contact_matches, out.recognition);
        out.recognition["contact"] = out.target->toJson();
    }
    return out;
}

// The contact an edit is about: the resolved contact of a sentence, else
// the "contact" (or "name") argument as written.
std::string contactNameArg(const Request& request) {
    if (request.target) return request.target->contact.name;
    std::string name = stringArg(request.args, "contact", false);
    return name.empty() ? stringArg(request.args, "name") : name;
}

}  // namespace

void addLocalActions(ActionTable& table) {
    table["intent.parse"] = {[](Skill::State& state, const Request& request) {
                                 json out = parseText(state, stringArg(request.args, "text")).recognition;
                                 out["ok"] = true;
                                 return out;
                             },
                             "recognize a sentence without acting (text)"};
    table["help"] = {[](Skill::State& state, const Request&) {
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
    table["contact.add"] = {[](Skill::State& state, const Request& request) {
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
    table["contact.remove"] = {[](Skill::State& state, const Request& request) {
                                   const std::string name = contactNameArg(request);
                                   auto path = state.editContacts(
                                       [&](const std::string& text) { return config::withContactRemoved(text, name); },
                                       request.dry_run);
                                   return json{{"ok", true}, {"removed", name}, {"tools_md", path}};
                               },
                               "remove a contact from TOOLS.md (contact); needs confirmed", kEditsToolsMd,
                               [](const Request& r) { return "remove " + contactNameArg(r) + " from your contacts"; }};
    table["contact.rename"] = {[](Skill::State& state, const Request& request) {
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
    table["contact.list"] = {[](Skill::State& state, const Request&) {
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
    table["policy.show"] = {[](Skill::State& state, const Request&) {
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
    table["audit.read"] = {[](Skill::State& state, const Request& request) {
                               const auto count = static_cast<std::size_t>(numberArg(request.args, "count", 20, 1, 1000));
                               return json{{"ok", true}, {"path", state.audit.path().string()},
                                           {"entries", state.audit.newest(count)}};
                           },
                           "the newest audit log entries, newest first (count?)"};
}

namespace {

// Keys the dispatcher owns: a host may not set them.
constexpr const char* kInternalKeys[] = {"contact_ref", "target", "reservation"};

// Text that reaches jamid or TOOLS.md must say what it shows: D-Bus cuts a
// string at NUL ("pay 10 EUR\0 and NOT 1000" arrived as "pay 10 EUR"), and
// controls or bidi overrides in a name or id make it print as another.
// Message text and sentences may hold tabs and line breaks. The request's
// depth is bounded by the ABI, so this walk is too.
void checkStrings(const json& value, const std::string& field, bool free_text) {
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (text.find('\0') != std::string::npos)
            throw Error(code::kInvalidArgument, "\"" + field + "\" contains a NUL character",
                        "nothing was sent or changed; remove it");
        if (config::hasControlOrBidi(text, free_text))
            throw Error(code::kInvalidArgument, "\"" + field + "\" contains control or bidi-override characters",
                        "nothing was sent or changed");
        return;
    }
    if (value.is_array() || value.is_object())
        for (auto it = value.begin(); it != value.end(); ++it)
            checkStrings(*it, value.is_object() ? it.key() : field, free_text);
}

void checkRequestStrings(const json& request) {
    for (auto it = request.begin(); it != request.end(); ++it) {
        const bool free_text = it.key() == "message" || it.key() == "text" || it.key() == "password";
        checkStrings(*it, it.key(), free_text);
    }
}

Request typedRequest(Skill::State& state, const json& request) {
    if (!request.is_object())
        throw Error(code::kInvalidArgument, "a request is a JSON object",
                    R"(send {"text":"call Bob"} or {"action":"account.list"})");
    for (const char* key : kInternalKeys)
        if (request.contains(key))
            throw Error(code::kInvalidArgument, std::string("\"") + key + "\" is not a request argument",
                        "name the contact with \"contact\" (a name from TOOLS.md, a Jami ID or a sip: URI)");
    checkRequestStrings(request);
    Request r;
    r.dry_run = boolMember(request, "dry_run").value_or(false) || state.options.dry_run;  // validated even when the skill is dry
    r.confirmed = boolMember(request, "confirmed").value_or(false);
    if (auto text = request.find("text"); text != request.end() && !request.contains("action")) {
        if (!text->is_string()) throw Error(code::kInvalidArgument, "\"text\" must be a string");
        r.source = "text";
        r.text = text->get<std::string>();
        Understood understood = parseText(state, text->get<std::string>());
        r.recognition = std::move(understood.recognition);
        r.target = std::move(understood.target);
        r.action = r.recognition["intent"].get<std::string>();
        r.args = r.recognition["slots"];
        return r;
    }
    auto a = request.find("action");
    if (a == request.end())
        throw Error(code::kInvalidArgument, "a request needs \"text\" or \"action\"",
                    R"(send {"text":"call Bob"} or {"action":"account.list"})");
    if (!a->is_string()) throw Error(code::kInvalidArgument, "\"action\" must be a string");
    r.source = "action";
    r.action = a->get<std::string>();
    r.args = request;
    return r;
}

const ActionInfo& findAction(Skill::State& state, const Request& r) {
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
void checkReach(Skill::State& state, Request& r, const ActionInfo& info) {
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
json plan(Skill::State& state, const Request& r, const ActionInfo& info) {
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

json run(Skill::State& state, Request& r) {
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

void auditRequest(Skill::State& state, const Request& r, const std::string& result_code) {
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
    if (state_) {
        state_->guard.stop();  // it would reconnect to hang up
        std::lock_guard lock(state_->jamid_mutex);
        state_->client.reset();
    }
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
            state_->jamid();  // events flow once connected
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
