// The contact book as the skill holds it: TOOLS.md (or AGENTS.md) read into
// an immutable snapshot, swapped as a whole when the file changes on disk,
// and edited atomically. In order, with their cost at 10,000 contacts:
//   1. readContacts   at open: found, read and checked (UTF-8, size, a
//                     regular file) but not parsed (~0.5 ms), so that a file
//                     that cannot be a contact book fails jami_skill_open;
//   2. parseContacts  by the first request that needs contacts (~8 ms): the
//                     section parsed, the book indexed (contacts::ContactBook);
//   3. index()        by the first sentence: the engine's name prefilter
//                     (~20 ms; a structured request never builds it).
// ContactBookHolder owns the snapshot in force, its lock, reloads and edits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "contacts/contact_book.hpp"
#include "contacts/locate.hpp"
#include "contacts/tools_md.hpp"
#include "intents/types.hpp"
#include "skill/policy.hpp"

namespace jskill {

// An immutable view of TOOLS.md at one moment; replaced as a whole on reload.
struct ContactsSnapshot {
    std::optional<std::filesystem::path> path;
    std::optional<std::filesystem::path> create_in;  // where a first contact add creates the section
    std::string source;                              // how the file was found
    contacts::JamiConfig config;
    contacts::ContactBook book;
    // The sentence prefilter over the book's spellings, built by the first
    // sentence that needs it.
    const intents::ContactIndex& index() const;
    std::filesystem::file_time_type mtime{};
    std::uintmax_t size = 0;
    std::string load_error;  // last reload failure (the previous good data is kept)
    // The policy lines last read from a file that had its section: a file
    // emptied, cut or without the section keeps them (policy_kept).
    contacts::PolicySettings tools_policy;
    bool policy_kept = false;
    Policy policy;  // effective: pinned and tools_policy merged (skill/policy.hpp)

private:
    mutable std::once_flag index_built_;
    mutable std::unique_ptr<intents::ContactIndex> index_;
};

// Step 1: TOOLS.md found as contacts::findToolsFile says, read and checked.
// Throws Error{config_error} for a file that cannot be read or is not UTF-8.
struct ContactsFile {
    contacts::ToolsFileLookup lookup;
    std::filesystem::file_time_type mtime{};
    std::uintmax_t size = 0;
    std::string text;
};
ContactsFile readContacts(const std::optional<std::string>& explicit_path);
// Step 2.
std::shared_ptr<ContactsSnapshot> parseContacts(ContactsFile file, const std::shared_ptr<contacts::PinyinKeys>& pinyin);

// The contact book in force for one skill handle. Thread-safe: a snapshot
// once handed out never changes; the lock is held only to swap it.
class ContactBookHolder {
public:
    // Reads and checks the file now (step 1); throws like readContacts.
    // `pinned`: the policy no TOOLS.md can loosen (skill/policy.hpp).
    ContactBookHolder(const std::optional<std::string>& explicit_path, contacts::PolicySettings pinned);

    // The book in force, parsed at the first call, reloaded first if the
    // file changed on disk (waiting out an editor's half-written file; a
    // file that no longer parses keeps the last good book and says why).
    std::shared_ptr<const ContactsSnapshot> current();
    // Runs `change` on the file atomically under its lock, then reloads it;
    // with `dry_run` only checks that the edit applies. Returns the path.
    // Throws Error (invalid_argument, config_error).
    std::string edit(const std::function<std::string(const std::string&)>& change, bool dry_run);

private:
    // Installs a new book (mutex_ held): keeps how the file was found,
    // carries the last policy over when the file has no section, computes
    // the policy in force.
    void adopt(std::shared_ptr<ContactsSnapshot> fresh);

    const contacts::PolicySettings pinned_;
    const std::shared_ptr<contacts::PinyinKeys> pinyin_ =
        std::make_shared<contacts::PinyinKeys>();  // kept across reloads
    std::mutex mutex_;
    std::shared_ptr<const ContactsSnapshot> contacts_;  // null until the first current()
    std::optional<ContactsFile> opened_file_;           // read at open, parsed by the first current()
};

}  // namespace jskill
