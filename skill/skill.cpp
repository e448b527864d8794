#include "skill/skill.hpp"

#include <thread>


#include "skill/error.hpp"
#include "skill/state.hpp"
#include "skill/utf8.hpp"

namespace jskill {

using nlohmann::json;

namespace {

std::shared_ptr<ContactsSnapshot> loadContacts(const std::optional<std::string>& explicit_path,
                                               const std::shared_ptr<config::PinyinKeys>& pinyin) {
    auto snapshot = std::make_shared<ContactsSnapshot>();
    auto lookup = config::findToolsFile(explicit_path);
    snapshot->path = lookup.path;
    snapshot->source = lookup.source;
    if (!lookup.path) {
        snapshot->index = std::make_unique<intents::ContactIndex>(std::vector<std::vector<std::string>>{});
        return snapshot;
    }
    std::error_code ec;
    snapshot->mtime = std::filesystem::last_write_time(*lookup.path, ec);
    snapshot->size = std::filesystem::file_size(*lookup.path, ec);
    auto contents = config::readWholeFile(*lookup.path);
    if (!contents) {
        throw Error(code::kConfigError, "cannot read the contact book " + lookup.path->string(),
                    "pass an existing TOOLS.md with --tools / \"tools_md\", or set JAMI_SKILL_TOOLS");
    }
    const std::string& text = *contents;
    if (!isValidUtf8(text)) {
        throw Error(code::kConfigError, lookup.path->string() + " is not valid UTF-8",
                    "save the file as UTF-8; nothing was changed");
    }
    snapshot->config = config::parseJamiConfig(text);
    // The book owns the contacts from here on; config keeps the rest.
    snapshot->book = config::ContactBook(std::move(snapshot->config.contacts), pinyin);
    snapshot->index = std::make_unique<intents::ContactIndex>(snapshot->book.spellings());
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
    return {{"intent", r.intent}, {"slots", r.slots}, {"language", r.language}};
}

const char* kWhatICanDo =
    "try for example: \"call Bob\", \"hang up\", \"send Bob running late\", \"list contacts\", "
    "\"list accounts\", \"给妈妈打电话\", \"挂断\"; {\"text\":\"help\"} lists every intent";

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
    if (!it->is_number() || it->get<double>() < min || it->get<double>() > max) {
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
    out.dry_run = boolMember(options, "dry_run").value_or(false);
    if (auto it = options.find("timeout_ms"); it != options.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<long long>() <= 0 || it->get<long long>() > 600000)
            throw Error(code::kInvalidArgument, "\"timeout_ms\" must be an integer from 1 to 600000");
        out.timeout = std::chrono::milliseconds(it->get<long long>());
    }
    return out;
}

Skill::State::State(SkillOptions opts)
    : options(std::move(opts)),
      calls(options.dry_run ? std::nullopt
                            : std::optional<CallLog>(CallLog(options.call_log.empty() ? defaultCallLogPath()
                                                                                     : std::filesystem::path(options.call_log)))),
      engine([] {
          try {
              return intents::Engine(intents::builtinTemplates());
          } catch (const intents::LoadError& e) {
              throw Error(code::kInternal, std::string("sentence templates: ") + e.what());
          }
      }()) {
    contacts = loadContacts(options.tools_md, pinyin);
}

std::shared_ptr<const ContactsSnapshot> Skill::State::contactBook() {
    std::lock_guard lock(contacts_mutex);
    if (contacts->path) {
        std::error_code ec;
        auto mtime = std::filesystem::last_write_time(*contacts->path, ec);
        auto size = ec ? 0 : std::filesystem::file_size(*contacts->path, ec);
        if (!ec && (mtime != contacts->mtime || size != contacts->size)) {
            try {
                auto fresh = loadSettled(*contacts->path, contacts->book.contacts().size(), pinyin);
                fresh->source = contacts->source;
                contacts = fresh;
            } catch (const Error& e) {
                // Keep the last good contact list and say why the new one was refused.
                auto kept = std::make_shared<ContactsSnapshot>();
                kept->path = contacts->path;
                kept->source = contacts->source;
                kept->config = contacts->config;
                kept->book = contacts->book;
                kept->index = std::make_unique<intents::ContactIndex>(kept->book.spellings());
                kept->mtime = mtime;
                kept->size = size;
                kept->load_error = e.what();
                contacts = kept;
            }
        }
    }
    return contacts;
}

std::string Skill::State::editContacts(const std::function<std::string(const std::string&)>& edit) {
    std::optional<std::filesystem::path> path;
    {
        std::lock_guard lock(contacts_mutex);
        path = contacts->path;
    }
    if (!path) {
        throw Error(code::kConfigError, "no TOOLS.md to edit",
                    "pass --tools PATH (or \"tools_md\") or set JAMI_SKILL_TOOLS to your TOOLS.md");
    }
    try {
        config::editFileAtomically(*path, edit);
    } catch (const std::invalid_argument& e) {
        throw Error(code::kInvalidArgument, e.what(), "nothing was changed in " + path->string());
    } catch (const std::runtime_error& e) {
        throw Error(code::kConfigError, e.what(), "nothing was changed in " + path->string());
    }
    auto fresh = loadContacts(path->string(), pinyin);
    std::lock_guard lock(contacts_mutex);
    fresh->source = contacts->source;
    contacts = fresh;
    return path->string();
}

std::shared_ptr<JamidClient> Skill::State::jamid() {
    if (options.dry_run) {
        throw Error(code::kDryRun, "this skill was opened with dry_run: it never talks to jamid",
                    "open it without \"dry_run\" (jamictl: drop --dry-run) to act on jamid");
    }
    std::lock_guard lock(jamid_mutex);
    if (client && !client->healthy()) client.reset();
    if (!client) {
        JamidClientOptions o{options.bus, options.timeout};
        // On the D-Bus loop thread: bookkeeping first, so that a host that
        // sees the event and asks about it finds it already applied.
        client = std::make_shared<JamidClient>(o, [this](json event) {
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
        });
    }
    return client;
}

void Skill::State::forget(const std::shared_ptr<JamidClient>& broken) {
    std::lock_guard lock(jamid_mutex);
    if (client == broken) client.reset();
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

namespace {
[[noreturn]] void throwUnresolved(const ContactsSnapshot& contacts, const std::string& said,
                                  const config::Resolution& res, json extra);
}

config::Contact targetContact(Skill::State& state, const json& args, const char* slot) {
    if (auto ref = args.find("contact_ref"); ref != args.end() && ref->is_object()) {
        config::Contact c;
        c.name = ref->value("name", "");
        c.id = ref->value("id", "");
        return c;
    }
    const std::string said = stringArg(args, slot);
    auto contacts = state.contactBook();
    if (config::isAddress(said)) {
        // An address: its contact if TOOLS.md has it, else the address as is.
        config::Contact raw;
        raw.id = said;
        raw.name = contactNameOf(state, normalizePeer(said));
        return raw;
    }
    auto res = contacts->book.resolve(said);
    if (res.kind == config::Resolution::Kind::Found) return contacts->book.contacts()[res.index];
    throwUnresolved(*contacts, said, res, json::object());
}

void checkAllowed(Skill::State& state, const config::Contact& target, const char* what) {
    if (!target.name.empty()) return;  // a TOOLS.md contact
    auto contacts = state.contactBook();
    if (!contacts->config.contacts_only) return;
    throw Error(code::kNotAllowed, std::string("TOOLS.md allows to ") + what + " contacts only, and " + target.id + " is not one",
                "add it first (jamictl contact add NAME " + target.id + "), or set \"- Contacts only: no\" in " +
                    (contacts->path ? contacts->path->string() : std::string("TOOLS.md")));
}

std::string ownUriOf(Skill::State& state, const std::string& account) {
    std::lock_guard lock(state.own_uris_mutex);
    auto it = state.own_uris.find(account);
    if (it != state.own_uris.end()) return it->second;
    std::string uri = field(state.jamid()->accountDetails(account), "Account.username");
    if (!uri.empty()) state.own_uris[account] = uri;  // a Jami ID never changes
    return uri;
}

std::string contactNameOf(Skill::State& state, const std::string& peer) {
    if (peer.empty()) return {};
    auto contacts = state.contactBook();
    auto index = contacts->book.findById(peer);
    return index ? contacts->book.contacts()[*index].name : std::string();
}

namespace {

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
                    "say which one, using the full name from the candidates", extra);
    }
    json suggestions = json::array();
    for (auto i : res.candidates) suggestions.push_back(contactJson(book.contacts()[i]));
    extra["suggestions"] = suggestions;
    const std::string where = contacts.path ? contacts.path->string() : std::string("TOOLS.md (none found)");
    throw Error(code::kUnknownContact, "no contact named \"" + said + "\" in " + where,
                suggestions.empty() ? "add it with: jamictl contact add \"" + said + "\" <Jami ID>"
                                    : "did you mean one of the suggestions? Or add it with: jamictl "
                                      "contact add \"" + said + "\" <Jami ID>",
                extra);
}

// Resolves the {contact} slot of a recognition against the contact book.
// Adds "contact" to `out`, or throws ambiguous_contact / unknown_contact.
void resolveContactSlot(const ContactsSnapshot& contacts, const intents::Recognition& r, json& out) {
    auto slot = r.slots.find("contact");
    if (slot == r.slots.end() || !contacts.path) return;
    const auto& book = contacts.book;
    config::Resolution res;
    if (r.contact_matches.size() == 1) {
        res.kind = config::Resolution::Kind::Found;
        res.index = r.contact_matches.front();
        res.match = "name";
    } else if (r.contact_matches.size() > 1) {
        res.kind = config::Resolution::Kind::Ambiguous;
        res.candidates = r.contact_matches;
    } else {
        res = book.resolve(slot->get<std::string>());
    }
    if (res.kind != config::Resolution::Kind::Found) {
        // A bare Jami ID or sip: address is a fine target without a contact.
        const std::string said = slot->get<std::string>();
        if (res.kind == config::Resolution::Kind::Unknown && config::isAddress(said)) return;
        throwUnresolved(contacts, said, res, recognitionJson(r));
    }
    json c = contactJson(book.contacts()[res.index]);
    c["match"] = res.match;
    out["contact"] = std::move(c);
}

// The contact an edit is about: the resolved contact of a sentence, else
// the "contact" (or "name") argument as written.
std::string contactNameArg(const json& args) {
    if (auto ref = args.find("contact_ref"); ref != args.end()) return (*ref)["name"].get<std::string>();
    std::string name = stringArg(args, "contact", false);
    return name.empty() ? stringArg(args, "name") : name;
}

json parseText(Skill::State& state, const std::string& text) {
    if (text.empty()) throw Error(code::kInvalidArgument, "\"text\" is empty", kWhatICanDo);
    if (text.size() > 4096) throw Error(code::kInvalidArgument, "\"text\" is longer than 4096 bytes");
    auto contacts = state.contactBook();
    auto recognition = state.engine.recognize(text, contacts->index.get());
    if (!recognition) {
        throw Error(code::kNoIntent, "I did not understand \"" + text + "\"", kWhatICanDo);
    }
    json out = recognitionJson(*recognition);
    resolveContactSlot(*contacts, *recognition, out);
    return out;
}

}  // namespace

void addLocalActions(ActionTable& table) {
    table["intent.parse"] = {[](Skill::State& state, const json& args) {
                                 json out = parseText(state, stringArg(args, "text"));
                                 out["ok"] = true;
                                 return out;
                             },
                             "recognize a sentence without acting (text)"};
    table["help"] = {[](Skill::State& state, const json&) {
                         json out{{"ok", true}};
                         out["intents"] = state.engine.intentNames();
                         out["examples"] = {{"en", state.engine.examples("en")}, {"zh", state.engine.examples("zh")}};
                         return out;
                     },
                     "what the skill understands"};
    table["contact.add"] = {[](Skill::State& state, const json& args) {
                                config::Contact contact;
                                contact.name = stringArg(args, "name");
                                contact.id = stringArg(args, "id");
                                if (auto a = args.find("aliases"); a != args.end() && a->is_array())
                                    for (const auto& alias : *a)
                                        if (alias.is_string()) contact.aliases.push_back(alias.get<std::string>());
                                auto path = state.editContacts([&](const std::string& text) {
                                    return config::withContactAdded(text, contact);
                                });
                                json out{{"ok", true}, {"added", contactJson(contact)}, {"tools_md", path}};
                                if (!state.options.dry_run) out["jami"] = inviteOnJami(state, contact);
                                return out;
                            },
                            "add a contact to TOOLS.md (name, id, aliases)"};
    table["contact.remove"] = {[](Skill::State& state, const json& args) {
                                   const std::string name = contactNameArg(args);
                                   auto path = state.editContacts([&](const std::string& text) {
                                       return config::withContactRemoved(text, name);
                                   });
                                   return json{{"ok", true}, {"removed", name}, {"tools_md", path}};
                               },
                               "remove a contact from TOOLS.md (contact)"};
    table["contact.rename"] = {[](Skill::State& state, const json& args) {
                                   const std::string old_name = contactNameArg(args);
                                   const std::string new_name = stringArg(args, "new_name");
                                   auto path = state.editContacts([&](const std::string& text) {
                                       return config::withContactRenamed(text, old_name, new_name);
                                   });
                                   return json{{"ok", true}, {"renamed", {{"from", old_name}, {"to", new_name}}},
                                               {"tools_md", path}};
                               },
                               "rename a contact in TOOLS.md (contact, new_name)"};
    table["contact.list"] = {[](Skill::State& state, const json&) {
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
                                 if (!contacts->path) {
                                     out["hint"] = "no TOOLS.md found: pass --tools PATH or set JAMI_SKILL_TOOLS; "
                                                   "see the TOOLS.md template for the format";
                                 }
                                 return out;
                             },
                             "contacts from TOOLS.md"};
}


Skill::Skill(SkillOptions options) : state_(std::make_unique<State>(std::move(options))) {}

Skill::~Skill() {
    // The client's loop thread pushes into state_->events; it is joined when
    // the client goes, before the queue.
    if (state_) {
        std::lock_guard lock(state_->jamid_mutex);
        state_->client.reset();
    }
}

json Skill::handle(const json& request) {
    if (!request.is_object())
        throw Error(code::kInvalidArgument, "a request is a JSON object",
                    R"(send {"text":"call Bob"} or {"action":"account.list"})");
    ActionTable table;
    addLocalActions(table);
    addAccountActions(table);
    addCallActions(table);
    addMessageActions(table);

    const bool request_dry_run = boolMember(request, "dry_run").value_or(false);  // validated even when the skill is dry
    const bool dry_run = state_->options.dry_run || request_dry_run;
    std::string action;
    json args = request;
    json recognized;
    if (auto text = request.find("text"); text != request.end() && !request.contains("action")) {
        if (!text->is_string()) throw Error(code::kInvalidArgument, "\"text\" must be a string");
        recognized = parseText(*state_, text->get<std::string>());
        if (dry_run) {
            recognized["ok"] = true;
            recognized["dry_run"] = true;
            return recognized;
        }
        action = recognized["intent"].get<std::string>();
        args = recognized["slots"];
        if (recognized.contains("contact")) args["contact_ref"] = recognized["contact"];
    } else if (auto a = request.find("action"); a != request.end()) {
        if (!a->is_string()) throw Error(code::kInvalidArgument, "\"action\" must be a string");
        action = a->get<std::string>();
    } else {
        throw Error(code::kInvalidArgument, "a request needs \"text\" or \"action\"",
                    R"(send {"text":"call Bob"} or {"action":"account.list"})");
    }

    auto it = table.find(action);
    if (it == table.end()) {
        auto known = state_->engine.intentNames();
        if (std::find(known.begin(), known.end(), action) != known.end()) {
            json extra = recognized.is_object() ? recognized : json::object();
            throw Error(code::kNotImplemented, "\"" + action + "\" is understood but not available in this version yet",
                        "use dry_run to see how it was understood", extra);
        }
        std::string names;
        for (const auto& [name, info] : table) names += (names.empty() ? "" : ", ") + name;
        throw Error(code::kUnknownAction, "unknown action \"" + action + "\"", "available actions: " + names);
    }
    json result = it->second.run(*state_, args);
    if (recognized.is_object()) {
        result["intent"] = recognized["intent"];
        result["language"] = recognized["language"];
    }
    return result;
}

namespace {

// Adds what the host needs to act on an event: the TOOLS.md name of the peer
// ("contact"), our call state, whether a message is ours.
void enrich(Skill::State& state, json& e) {
    const std::string type = e.value("type", "");
    auto name = [&](const std::string& peer) {
        const std::string id = normalizePeer(peer);
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
}

}  // namespace

std::optional<json> Skill::nextEvent(std::chrono::milliseconds timeout) {
    if (!state_->options.dry_run) {
        try {
            state_->jamid();  // events flow once connected
        } catch (const Error&) {
            // No bus: nothing can arrive; still honour the timeout below.
        }
    }
    auto event = state_->events.pop(timeout);
    if (event) enrich(*state_, *event);
    return event;
}

}  // namespace jskill
