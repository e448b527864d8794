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
#include "skill/jamid/jamid_client.hpp"
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
    intents::Engine engine;
    EventQueue events;

    std::shared_ptr<config::PinyinKeys> pinyin = std::make_shared<config::PinyinKeys>();  // cache kept across reloads
    std::mutex contacts_mutex;
    std::shared_ptr<const ContactsSnapshot> contacts;

    std::mutex jamid_mutex;
    std::shared_ptr<JamidClient> client;

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

// Helpers shared by actions.
std::string stringArg(const nlohmann::json& args, const char* name, bool required = true);
nlohmann::json contactJson(const config::Contact& contact);

}  // namespace jskill
