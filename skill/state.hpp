// What the parts of the skill share: options, the services (call tracker,
// event queues, audit log, outbound ledger, policy), the contact book
// snapshot and the lazily connected jamid client, and the request as typed
// once. Internal to skill/: the actions include this, never skill.hpp.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <condition_variable>

#include <nlohmann/json.hpp>

#include "config/contact_book.hpp"
#include "config/tools_md.hpp"
#include "intents/src/engine.hpp"
#include "skill/audit.hpp"
#include "skill/error.hpp"
#include "skill/event_queue.hpp"
#include "skill/calls.hpp"
#include "skill/outbound.hpp"
#include "skill/policy.hpp"
#include "skill/jamid/jamid.hpp"
#include "skill/recent_events.hpp"
#include "skill/options.hpp"

namespace jskill {

struct State;  // below: what every part of the skill shares

// An immutable view of TOOLS.md at one moment; replaced as a whole on reload.
struct ContactsSnapshot {
    std::optional<std::filesystem::path> path;
    std::optional<std::filesystem::path> create_in;  // where a first contact add creates the section
    std::string source;  // how the file was found
    config::JamiConfig config;
    config::ContactBook book;
    // The sentence prefilter over the book's spellings, built by the first
    // sentence that needs it (~20 ms at 10,000 contacts; a structured
    // request never does).
    const intents::ContactIndex& index() const;
    std::filesystem::file_time_type mtime{};
    std::uintmax_t size = 0;
    std::string load_error;  // last reload failure (the previous good data is kept)
    // The policy lines last read from a file that had its section: a file
    // emptied, cut or without the section keeps them (policy_kept).
    config::PolicySettings tools_policy;
    bool policy_kept = false;
    Policy policy;  // effective: pinned and tools_policy merged (skill/policy.hpp)

private:
    mutable std::once_flag index_built_;
    mutable std::unique_ptr<intents::ContactIndex> index_;
};

// contacts.cpp: TOOLS.md (found as config::findToolsFile says), read and
// checked but not parsed: jami_skill_open reads it, so that a file that
// cannot be a contact book fails the open (~0.5 ms at 10,000 contacts);
// parsing and indexing it (~8 ms there) wait for the first request that
// needs contacts. Throws Error{config_error} for a file that cannot be read
// or is not UTF-8.
struct ContactsFile {
    config::ToolsFileLookup lookup;
    std::filesystem::file_time_type mtime{};
    std::uintmax_t size = 0;
    std::string text;
};
ContactsFile readContacts(const std::optional<std::string>& explicit_path);
std::shared_ptr<ContactsSnapshot> parseContacts(ContactsFile file, const std::shared_ptr<config::PinyinKeys>& pinyin);
// Both at once (reloads, edits).
std::shared_ptr<ContactsSnapshot> loadContacts(const std::optional<std::string>& explicit_path,
                                               const std::shared_ptr<config::PinyinKeys>& pinyin);

// What a request reaches: a TOOLS.md contact (its id is what is dialled),
// or an address that is no contact (in_book false).
struct Target {
    config::Contact contact;
    std::string said;   // as the request wrote it
    std::string match;  // id, name, alias, normalized, pinyin; "address" for a non-contact
    bool in_book = false;
    nlohmann::json toJson() const;
};

// One request, typed once by the dispatcher; actions read only this.
struct Request {
    std::string action;
    nlohmann::json args = nlohmann::json::object();
    std::optional<Target> target;  // resolved before the action, for actions that reach a person
    bool dry_run = false;          // per request, or the whole skill opened dry
    bool confirmed = false;        // "confirmed": true (jamictl --yes): the user said yes
    std::string source;            // "text" or "action"
    std::string text;              // the sentence, for text
    nlohmann::json recognition;    // for text: intent, slots, language
    std::string reservation;       // the outbound ledger's, for call.start and message.send
};

// request.cpp: the host's JSON as a Request. Throws Error (invalid_argument,
// no_intent, unknown_contact, ...).
Request typedRequest(State& state, const nlohmann::json& request);

// A sentence understood: its recognition and, for a {contact} slot, the
// resolved target. Throws no_intent, unknown_contact, ambiguous_contact.
struct Understood {
    nlohmann::json recognition;
    std::optional<Target> target;
};
Understood parseText(State& state, const std::string& text);

// What an action does to the world: the dispatcher decides dry-run,
// policy and auditing from this alone.
enum Effect : unsigned {
    kNoEffect = 0,
    kEditsToolsMd = 1,   // writes the contact book
    kReachesPerson = 2,  // calls or messages someone: policy and limits first
    kChangesJamid = 4,   // changes a call, an account or the daemon
};

using Action = std::function<nlohmann::json(State&, const Request&)>;
struct ActionInfo {
    ActionInfo() = default;
    ActionInfo(Action run_, const char* summary_, unsigned effects_ = kNoEffect,
               std::function<std::string(const Request&)> needs_confirmation_ = {}, const char* limit_kind_ = nullptr)
        : run(std::move(run_)), summary(summary_), effects(effects_),
          needs_confirmation(std::move(needs_confirmation_)), limit_kind(limit_kind_) {}
    Action run;
    const char* summary = "";
    unsigned effects = kNoEffect;
    // What the user must confirm first ("" when nothing): for adding,
    // renaming and removing contacts, removing accounts, raw account keys.
    std::function<std::string(const Request&)> needs_confirmation;
    // The ledger kind for kReachesPerson actions with rate limits ("call", "message").
    const char* limit_kind = nullptr;
};
using ActionTable = std::map<std::string, ActionInfo>;

// Ends calls the skill placed once they reach the maximum duration, in this
// process (a long-running host; jamictl leaves a detached watchdog, the
// call.guard action). One thread, started by the first call watched; the
// hang-up runs with no lock held.
class DurationGuard {
public:
    using End = std::function<void(const std::string& call_id, const std::string& account)>;
    explicit DurationGuard(End end) : end_(std::move(end)) {}
    ~DurationGuard() { stop(); }
    // Ends the thread (idempotent); nothing is hung up after it returns.
    void stop();
    void watch(const std::string& call_id, const std::string& account, std::int64_t deadline_ms);

private:
    void run();
    End end_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::string, std::pair<std::string, std::int64_t>> due_;  // call -> (account, deadline)
    bool stop_ = false;
    std::thread thread_;
};

// Each account's own Jami ID once learned (it never changes): it tells our
// own swarm messages from the peer's. Thread-safe; never held across the
// D-Bus call that learns one (ownUriOf).
class OwnUris {
public:
    std::optional<std::string> find(const std::string& account) {
        std::lock_guard lock(mutex_);
        auto it = uris_.find(account);
        return it == uris_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    void remember(const std::string& account, const std::string& uri) {
        std::lock_guard lock(mutex_);
        uris_[account] = uri;
    }

private:
    std::mutex mutex_;
    std::map<std::string, std::string> uris_;  // account -> its Jami ID
};

struct State {
    SkillOptions options;
    std::filesystem::path state_dir;  // call log, audit log, outbound ledger
    CallTracker calls;     // fed by every jamid event
    RecentEvents recent;   // for actions waiting on an outcome
    intents::LanguageFacts languages;  // read at open; the templates are compiled by engine(), each language at its first sentence
    EventQueue events;     // for the host (jami_skill_next_event)
    AuditLog audit;
    OutboundLedger ledger;
    PinnedPolicyFile pinned_file;
    config::PolicySettings pinned;  // the open option and the pinned file, merged
    ActionTable actions;            // built once

    std::shared_ptr<config::PinyinKeys> pinyin = std::make_shared<config::PinyinKeys>();  // cache kept across reloads
    OwnUris own_uris;

    explicit State(SkillOptions opts);

    // The sentence engine, compiled by the first request that needs it
    // (~10 ms): structured requests and one-shot commands never pay for it.
    // Throws Error{internal_error} if the built-in templates do not load.
    const intents::Engine& engine();

    // The current contact book, reloaded first if the file changed on disk.
    std::shared_ptr<const ContactsSnapshot> contactBook();
    // Runs `edit` on TOOLS.md atomically under its lock, then reloads it;
    // with `dry_run` only checks that the edit applies. Returns the path.
    // Throws Error (invalid_argument, config_error).
    std::string editContacts(const std::function<std::string(const std::string&)>& edit, bool dry_run);
    // Connected client; throws Error{dry_run} in dry-run mode and
    // Error{daemon_unavailable} when the bus cannot be reached.
    std::shared_ptr<Jamid> jamid();
    // Hangs up a call the skill placed because it reached its maximum
    // duration (end reason max_duration): the duration guard and call.guard.
    void endAtMaxDuration(const std::string& call_id, const std::string& account);
    // Stops the duration guard and drops the jamid client (its loop thread
    // is joined): nothing reaches the queues after it. For ~Skill.
    void shutDown();

private:
    // The contact book in force; replaced whole (contactBook, editContacts).
    // Null until the first contactBook(), which parses opened_file_.
    std::mutex contacts_mutex_;
    std::shared_ptr<const ContactsSnapshot> contacts_;
    std::optional<ContactsFile> opened_file_;

    // The jamid client, connected by the first request that needs it.
    std::mutex jamid_mutex_;
    std::shared_ptr<Jamid> client_;
    std::optional<Error> connect_failure_;  // the last failed connect, retried after retry_connect_at_
    std::chrono::steady_clock::time_point retry_connect_at_;

    std::shared_ptr<Jamid> makeClient(const JamidOptions& options);  // wired to the tracker and queues
    // Installs a new contact book (contacts_mutex_ held, or in the
    // constructor): keeps how the file was found, carries the last policy
    // over when the file has no section, computes the policy in force.
    void adopt(std::shared_ptr<ContactsSnapshot> fresh);
    std::once_flag engine_built_;
    std::unique_ptr<intents::Engine> engine_;

public:
    DurationGuard guard;  // last, so destroyed first: its thread calls back into the state
};

// --- where each shared function lives: the file names the part.

// actions/*.cpp: each group of actions adds itself to the table.
void addAccountActions(ActionTable& table);
void addLocalActions(ActionTable& table);
void addCallActions(ActionTable& table);
void addMessageActions(ActionTable& table);

// actions/accounts.cpp: an account named by id, alias, username / Jami ID or
// registered name; or, when `ref` is empty, the TOOLS.md account, else the
// only account. Throws no_account / unknown_account / ambiguous_account.
std::string resolveAccount(State& state, Jamid& jamid, const std::string& ref);
nlohmann::json accountSummary(Jamid& jamid, const std::string& account_id);

// actions/messages.cpp: adds a TOOLS.md contact on jamid too (addContact +
// sendTrustRequest) when jamid runs a Jami account; never throws: the result
// says what happened.
nlohmann::json inviteOnJami(State& state, const config::Contact& contact);

// targets.cpp: the contact an action is about: the request's target (a
// sentence's resolved contact), else its "contact" argument resolved
// against TOOLS.md (resolveTarget). Throws unknown_contact / ambiguous_contact.
config::Contact targetContact(State& state, const Request& request, const char* slot = "contact");
// A name or address as the user said it, to a Target; never guesses
// (config::ContactBook): a similar name, a shared word or a pronoun answers
// unknown_contact with suggestions. `prefilter`: contacts whose spelling the
// sentence engine found exactly there. `extra` goes beside an error.
Target resolveTarget(State& state, const ContactsSnapshot& contacts, const std::string& said,
                     const std::vector<std::size_t>& prefilter = {}, nlohmann::json extra = nlohmann::json::object());
// not_allowed for a target that is no contact while "Contacts only" is on;
// `what`: "called", "messaged", "reached".
[[noreturn]] void refuseStranger(const ContactsSnapshot& contacts, const std::string& who, const char* what);
// "Contacts only" for a party that is not a target of the request itself
// (a ringing caller): throws not_allowed unless it is a contact or the
// user confirmed.
void checkCaller(State& state, const std::string& peer, bool confirmed, const char* what);
// A contact as results show it: name, id, aliases.
nlohmann::json contactJson(const config::Contact& contact);

// events.cpp: an event as the host gets it. enrichEvent adds the peer's
// TOOLS.md name ("contact"), whether a message is ours ("direction") and
// marks what a peer wrote "untrusted"; autoAnswerEvent answers an incoming
// call only from an exact id the policy lists, audited.
void enrichEvent(State& state, nlohmann::json& e);
void autoAnswerEvent(State& state, nlohmann::json& e);
// The account's own Jami ID (Account.username), cached: it tells our own
// swarm messages from the peer's. Throws like any jamid call.
std::string ownUriOf(State& state, const std::string& account);
// The TOOLS.md name of a peer id, or "" when it is not a contact.
std::string contactNameOf(State& state, const std::string& peer);

// skill.cpp: the audit log's entry for a request: every effectful one and
// every refusal (docs/policy.md).
void auditRequest(State& state, const Request& r, const std::string& result_code);

// arguments.cpp: an action's arguments, a wrong type refused, never coerced.
std::string stringArg(const nlohmann::json& args, const char* name, bool required = true);
// An optional number in [min, max]; `fallback` when absent. Throws
// invalid_argument for anything else.
double numberArg(const nlohmann::json& args, const char* name, double fallback, double min, double max);
// An optional true/false; anything else is refused, not coerced.
std::optional<bool> boolMember(const nlohmann::json& object, const char* name);
// An argument as a description shows it: the string, or "?" for anything
// else (descriptions are written before the arguments are checked).
inline std::string shownArg(const nlohmann::json& args, const char* name) {
    auto it = args.find(name);
    return it != args.end() && it->is_string() ? it->get<std::string>() : std::string("?");
}

}  // namespace jskill
