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

namespace jskill::config {

struct Contact {
    std::string name;                  // as written by the user
    std::vector<std::string> aliases;  // "Mom (mother, 妈妈): ..." -> mother, 妈妈
    std::string id;                    // 40-hex Jami ID, Jami username or sip: URI
    int line = 0;                      // 1-based line in the file
};

struct Problem {
    int line = 0;
    std::string message;
};

struct JamiConfig {
    bool section_found = false;
    int section_line = 0;       // the heading, 1-based; 0 when absent
    int contacts_line = 0;      // "- Contacts:"; 0 when absent
    int last_contact_line = 0;  // last line of the contact list (valid or not)
    int contacts_indent = 0;
    std::optional<std::string> account;  // "- Account ID: ..."
    bool contacts_only = false;          // "- Contacts only: yes": call and message no one else
    std::vector<Contact> contacts;       // valid entries only
    std::vector<Problem> problems;       // mistakes in our section, with lines
};

// Parses the section; tolerates BOM, CRLF, tabs, code fences and any other
// content outside it. Entries with mistakes are reported and skipped; the
// valid ones are still loaded.
JamiConfig parseJamiConfig(std::string_view text);

// True for a 40-hex Jami ID, a Jami username (3-32 of [A-Za-z0-9_-]) or a
// sip: URI.
bool isValidContactId(std::string_view id);
bool isJamiId(std::string_view id);
// A 40-hex Jami ID or a sip: URI: an address that needs no contact name.
bool isAddress(std::string_view id);

// Where the contact book is: explicit path, then $JAMI_SKILL_TOOLS, then the
// Clawdbot/OpenClaw workspace conventions. Returns nullopt when none exists.
struct ToolsFileLookup {
    std::optional<std::filesystem::path> path;
    std::string source;  // "option", "JAMI_SKILL_TOOLS", "workspace", ...
};
ToolsFileLookup findToolsFile(const std::optional<std::string>& explicit_path);

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

// The file's bytes, or nullopt when it cannot be opened.
std::optional<std::string> readWholeFile(const std::filesystem::path& path);

// Runs `body` holding an exclusive lock on "<path>.lock" (created if
// missing): the lock every writer of `path` takes. Throws std::runtime_error.
void withFileLock(const std::filesystem::path& path, const std::function<void()>& body);

// Replaces the file through a temporary file and rename(), keeping its
// permissions, under an exclusive lock on "<path>.lock" held across
// read-modify-write by `edit`. Throws std::runtime_error on I/O failure.
void editFileAtomically(const std::filesystem::path& path,
                        const std::function<std::string(const std::string&)>& edit);

}  // namespace jskill::config
