// What the actions share: options, templates, the contact book snapshot and
// the lazily connected jamid client. Internal to skill/.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "config/contact_book.hpp"
#include "config/tools_md.hpp"
#include "intents/src/engine.hpp"
#include "skill/event_queue.hpp"
#include "skill/calls.hpp"
#include "skill/jamid/jamid_client.hpp"
#include "skill/recent_events.hpp"
#include "skill/skill.hpp"

namespace jskill {

// An immutable view of TOOLS.md at one moment; replaced as a whole on reload.
struct ContactsSnapshot {
    std::optional<std::filesystem::path> path;
    std::string source;  // how the file was found
    config::JamiConfig config;
    config::ContactBook book;
    std::unique_ptr<intents::ContactIndex> index;
    std::filesystem::file_time_type mtime{};
    std::uintmax_t size = 0;
    std::string load_error;  // last reload failure (the previous good data is kept)
};

struct Skill::State {
    SkillOptions options;
    CallTracker calls;     // fed by every jamid event
    RecentEvents recent;   // for actions waiting on an outcome
    intents::Engine engine;
    EventQueue events;     // for the host (jami_skill_next_event)

    std::shared_ptr<config::PinyinKeys> pinyin = std::make_shared<config::PinyinKeys>();  // cache kept across reloads
    std::mutex contacts_mutex;
    std::shared_ptr<const ContactsSnapshot> contacts;

    std::mutex jamid_mutex;
    std::shared_ptr<JamidClient> client;

    std::mutex own_uris_mutex;
    std::map<std::string, std::string> own_uris;  // account -> its Jami ID

    explicit State(SkillOptions opts);

    // The current contact book, reloaded first if the file changed on disk.
    std::shared_ptr<const ContactsSnapshot> contactBook();
    // Runs `edit` on TOOLS.md atomically under its lock, then reloads it.
    // Returns the path. Throws Error (invalid_argument, config_error).
    std::string editContacts(const std::function<std::string(const std::string&)>& edit);
    // Connected client; throws Error{dry_run} in dry-run mode and
    // Error{daemon_unavailable} when the bus cannot be reached.
    std::shared_ptr<JamidClient> jamid();
    // Drops a client whose bus connection broke, so the next call reconnects.
    void forget(const std::shared_ptr<JamidClient>& client);
};

using Action = std::function<nlohmann::json(Skill::State&, const nlohmann::json& args)>;
struct ActionInfo {
    Action run;
    const char* summary;
};
using ActionTable = std::map<std::string, ActionInfo>;

// Each group of actions adds itself to the table (skill/actions/*.cpp).
void addAccountActions(ActionTable& table);
void addLocalActions(ActionTable& table);
void addCallActions(ActionTable& table);
void addMessageActions(ActionTable& table);

// An account named by id, alias, username / Jami ID or registered name; or,
// when `ref` is empty, the TOOLS.md account, else the only account. Throws
// no_account / unknown_account / ambiguous_account.
std::string resolveAccount(Skill::State& state, JamidClient& jamid, const std::string& ref);
nlohmann::json accountSummary(JamidClient& jamid, const std::string& account_id);

// The contact an action is about: the resolved contact of a sentence
// ("contact_ref"), else the "contact" argument resolved against TOOLS.md; a
// bare Jami ID or sip: URI not in TOOLS.md is taken as it is. Throws
// unknown_contact / ambiguous_contact.
config::Contact targetContact(Skill::State& state, const nlohmann::json& args, const char* slot = "contact");
// Adds a TOOLS.md contact on jamid too (addContact + sendTrustRequest) when
// jamid runs a Jami account; never throws: the result says what happened.
nlohmann::json inviteOnJami(Skill::State& state, const config::Contact& contact);
// The safety policy for reaching people (call.start, message.send): with
// "- Contacts only: yes" in TOOLS.md, an address that is not a TOOLS.md
// contact is refused (not_allowed). Prompt-injected text cannot make the
// agent call or message a stranger then.
void checkAllowed(Skill::State& state, const config::Contact& target, const char* what);
// The account's own Jami ID (Account.username), cached: it tells our own
// swarm messages from the peer's. Throws like any jamid call.
std::string ownUriOf(Skill::State& state, const std::string& account);
// The TOOLS.md name of a peer id, or "" when it is not a contact.
std::string contactNameOf(Skill::State& state, const std::string& peer);

// Helpers shared by actions.
std::string stringArg(const nlohmann::json& args, const char* name, bool required = true);
// An optional number in [min, max]; `fallback` when absent. Throws
// invalid_argument for anything else.
double numberArg(const nlohmann::json& args, const char* name, double fallback, double min, double max);
// An optional true/false; anything else is refused, not coerced.
std::optional<bool> boolMember(const nlohmann::json& object, const char* name);
nlohmann::json contactJson(const config::Contact& contact);

}  // namespace jskill
