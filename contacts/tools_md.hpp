// TOOLS.md (or AGENTS.md) as the skill's contact book: the "## Jami
// Configuration" section holds the account and the contacts. Everything else
// in the file belongs to the user and is never interpreted.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_io.hpp"
#include "contacts/contact_id.hpp"

namespace jskill::contacts {

struct Contact {
    std::string name;                  // as written by the user
    std::vector<std::string> aliases;  // "Mom (mother, 妈妈): ..." -> mother, 妈妈
    std::string id;                    // 40-hex Jami ID, Jami username or sip: URI
    int line = 0;                      // 1-based line in the file

    // How a person is named in a sentence of ours: the name, else the id.
    const std::string& shown() const { return name.empty() ? id : name; }
};

struct Problem {
    int line = 0;
    std::string message;
};

// "- Answering machine: contacts after 20 s" (or "<id>, <id> after 10 s",
// or "off"): which callers the skill answers by itself (the delay:
// PolicySettings::answer_after_seconds).
struct AnsweringSetting {
    bool on = false;
    bool contacts = false;                        // the caller must be a contact of the book
    std::optional<std::vector<std::string>> ids;  // ... and, when listed, one of these exact ids

    bool operator==(const AnsweringSetting&) const = default;
};

// What a file says about who may be reached and how much. Every field is
// optional: unset means "not said here", and the skill then applies the
// pinned policy or the safe default (skill/policy.hpp), never "allowed".
struct PolicySettings {
    std::optional<bool> contacts_only;                    // "- Contacts only: yes|no"
    std::optional<int> max_concurrent_calls;              // "- Max calls at once: 1"
    std::optional<int> max_call_seconds;                  // "- Max call duration: 30 min"
    std::optional<int> calls_per_hour;                    // "- Calls per hour: 10"
    std::optional<int> calls_per_hour_per_contact;        // "- Calls per hour per contact: 4"
    std::optional<int> messages_per_minute;               // "- Messages per minute: 10"
    std::optional<int> messages_per_minute_per_contact;   // "- Messages per minute per contact: 5"
    std::optional<bool> voice;                            // "- Voice: on|off" (speaking in calls; off by default)
    std::optional<std::vector<std::string>> auto_answer;  // "- Auto-answer: <id>, <id>" (exact ids)
    std::optional<AnsweringSetting> answering_machine;    // "- Answering machine: contacts after 20 s"
    std::optional<int> answer_after_seconds;              // its "after 20 s": rings this long first
    std::optional<std::string> greeting;     // "- Greeting: ..." (words, or a WAV of the host's audio folder)
    std::optional<std::string> greeting_zh;  // "- Greeting zh: ..." for a contact whose name is Chinese
    std::optional<int> voicemail_seconds;    // "- Voicemail length: 2 min" (the longest message kept)
    std::optional<std::string> owner;        // "- Owner: NAME": the contact the assistant works for (call.bridge)
    std::optional<int> voicemails_kept;      // "- Voicemails kept: 50" (the oldest go first)

    bool operator==(const PolicySettings&) const = default;
};

struct JamiConfig {
    bool section_found = false;
    int section_line = 0;       // the heading, 1-based; 0 when absent
    int section_end_line = 0;   // the section's last non-blank line
    int contacts_line = 0;      // "- Contacts:"; 0 when absent
    int last_contact_line = 0;  // last line of the contact list (valid or not)
    int contacts_indent = 0;
    std::optional<std::string> account;  // "- Account ID: ..."
    PolicySettings policy;               // what the section says, nothing more
    std::vector<Contact> contacts;       // valid entries only
    std::vector<Problem> problems;       // mistakes in our section, with lines
};

// The policy lines of a "## Jami Configuration" section: the same syntax in
// TOOLS.md and in the user's pinned policy file. `problems` gets mistakes.
// Returns false when `key` is not a policy key.
bool parsePolicyLine(std::string_view key, std::string_view value, int line, PolicySettings& policy,
                     std::vector<Problem>& problems);

// Parses the section; tolerates BOM, CRLF, tabs, code fences and any other
// content outside it. Entries with mistakes are reported and skipped; the
// valid ones are still loaded.
JamiConfig parseJamiConfig(std::string_view text);

// Why a name or alias cannot be written to TOOLS.md ("" when it can): empty,
// too long (128 bytes), ':' '(' ')' or their full-width forms, a separator of
// the alias list, control or bidi-override characters, HTML comment marks.
std::string nameProblem(std::string_view name);

// Edits of the contact book. Only lines of our section change; every other
// byte of `text` is kept. A missing section is created: under an existing
// "## Tools" heading (AGENTS.md) as "### Jami Configuration", else at the
// end of the file. Throw std::invalid_argument with a user-facing
// message (duplicate name, unknown contact, malformed id).
std::string withContactAdded(std::string_view text, const Contact& contact);
std::string withContactRemoved(std::string_view text, std::string_view name);
// Renames the contact whose name or alias is `old_name`; only the name's
// bytes on its line change (aliases, id and the user's formatting stay).
std::string withContactRenamed(std::string_view text, std::string_view old_name, std::string_view new_name);

// Adds one setting line ("- Account ID: <id>", "- Contacts only: yes",
// "- Owner: Ann") to the section, before its contact list, creating the
// section as a first contact add would. Only that line is new; every other
// byte stays. Throws std::invalid_argument when the section already sets
// `key` (the caller decides whether a different value is a conflict), or
// when `value` is not valid for `key`.
std::string withSettingAdded(std::string_view text, std::string_view key, std::string_view value);

}  // namespace jskill::contacts
