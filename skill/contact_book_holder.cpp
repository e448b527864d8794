// The contact book as the skill holds it: TOOLS.md read into an immutable
// snapshot, reloaded when the file changes (waiting out an editor's
// half-written file), and edited atomically (skill/contact_book_holder.hpp).
#include "skill/contact_book_holder.hpp"

#include <thread>

#include "base/error.hpp"
#include "base/utf8.hpp"
#include "contacts/name_keys.hpp"

namespace jskill {

using nlohmann::json;

ContactsFile readContacts(const std::optional<std::string>& explicit_path) {
    ContactsFile file;
    file.lookup = contacts::findToolsFile(explicit_path);
    if (!file.lookup.path) return file;
    std::error_code ec;
    file.mtime = std::filesystem::last_write_time(*file.lookup.path, ec);
    file.size = std::filesystem::file_size(*file.lookup.path, ec);
    std::string why;
    auto contents = files::readWholeFile(*file.lookup.path, &why);
    if (!contents) {
        throw Error(code::kConfigError, "cannot read the contact book: " + why,
                    "pass an existing TOOLS.md (a regular file of at most 8 MiB) with --tools / \"tools_md\", or set "
                    "JAMI_SKILL_TOOLS");
    }
    if (!isValidUtf8(*contents)) {
        throw Error(code::kConfigError, file.lookup.path->string() + " is not valid UTF-8",
                    "save the file as UTF-8; nothing was changed");
    }
    file.text = std::move(*contents);
    return file;
}

std::shared_ptr<ContactsSnapshot> parseContacts(ContactsFile file,
                                                const std::shared_ptr<contacts::PinyinKeys>& pinyin) {
    auto snapshot = std::make_shared<ContactsSnapshot>();
    snapshot->path = file.lookup.path;
    snapshot->create_in = file.lookup.create_in;
    snapshot->source = file.lookup.source;
    if (!file.lookup.path) return snapshot;
    snapshot->mtime = file.mtime;
    snapshot->size = file.size;
    snapshot->config = contacts::parseJamiConfig(file.text);
    snapshot->tools_policy = snapshot->config.policy;
    // The book owns the contacts from here on; config keeps the rest.
    snapshot->book = contacts::ContactBook(std::move(snapshot->config.contacts), pinyin);
    return snapshot;
}

namespace {

std::shared_ptr<ContactsSnapshot> loadContacts(const std::optional<std::string>& explicit_path,
                                               const std::shared_ptr<contacts::PinyinKeys>& pinyin) {
    return parseContacts(readContacts(explicit_path), pinyin);
}

// An editor that rewrites the file in place (truncate, then write) can be
// read in between. When a reload would lose contacts, the file is read again
// until it holds still for 25 ms (at most 20 times), so a half-written file is
// not taken for what the user meant; a file that holds still is. 5 ms was
// too short under ThreadSanitizer on a slow machine: the writer between its
// truncate and its write was held back longer (CI, c7ae3e4). The wait is
// paid only when a reload would lose contacts.
std::shared_ptr<ContactsSnapshot> loadSettled(const std::filesystem::path& path, std::size_t had,
                                              const std::shared_ptr<contacts::PinyinKeys>& pinyin) {
    auto fresh = loadContacts(path.string(), pinyin);
    for (int tries = 0; tries < 20 && fresh->book.contacts().size() < had; ++tries) {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
        std::error_code ec;
        auto mtime = std::filesystem::last_write_time(path, ec);
        auto size = ec ? 0 : std::filesystem::file_size(path, ec);
        if (ec || (mtime == fresh->mtime && size == fresh->size)) break;
        fresh = loadContacts(path.string(), pinyin);
    }
    return fresh;
}

}  // namespace

ContactBookHolder::ContactBookHolder(const std::optional<std::string>& explicit_path, contacts::PolicySettings pinned)
    : pinned_(std::move(pinned)), opened_file_(readContacts(explicit_path)) {}

void ContactBookHolder::adopt(std::shared_ptr<ContactsSnapshot> fresh) {
    if (contacts_) {
        fresh->source = contacts_->source;
        if (!fresh->config.section_found) {
            // Emptied, cut or rewritten without the section: it says nothing
            // about the policy, so the last word stands.
            fresh->tools_policy = contacts_->tools_policy;
            fresh->policy_kept = true;
        }
    }
    fresh->policy = effectivePolicy(pinned_, fresh->tools_policy);
    contacts_ = std::move(fresh);
}

const intents::ContactIndex& ContactsSnapshot::index() const {
    std::call_once(index_built_, [this] { index_ = std::make_unique<intents::ContactIndex>(book.spellings()); });
    return *index_;
}

std::shared_ptr<const ContactsSnapshot> ContactBookHolder::current() {
    std::lock_guard lock(mutex_);
    if (!contacts_) {
        // The file read at open, parsed by the first request that needs it.
        adopt(parseContacts(std::move(*opened_file_), pinyin_));
        opened_file_.reset();
    }
    if (contacts_->path) {
        std::error_code ec;
        auto mtime = std::filesystem::last_write_time(*contacts_->path, ec);
        auto size = ec ? 0 : std::filesystem::file_size(*contacts_->path, ec);
        if (!ec && (mtime != contacts_->mtime || size != contacts_->size)) {
            try {
                adopt(loadSettled(*contacts_->path, contacts_->book.contacts().size(), pinyin_));
            } catch (const Error& e) {
                // Keep the last good contact list and say why the new one was refused.
                auto kept = std::make_shared<ContactsSnapshot>();
                kept->path = contacts_->path;
                kept->config = contacts_->config;
                kept->book = contacts_->book;
                kept->mtime = mtime;
                kept->size = size;
                kept->load_error = e.what();
                kept->tools_policy = contacts_->tools_policy;
                kept->policy_kept = true;
                adopt(std::move(kept));
            }
        }
    }
    return contacts_;
}

std::string ContactBookHolder::edit(const std::function<std::string(const std::string&)>& change, bool dry_run) {
    const std::shared_ptr<const ContactsSnapshot> before = current();
    const auto path = before->path ? before->path : before->create_in;
    if (!path) {
        throw Error(code::kConfigError, "no TOOLS.md to edit",
                    "pass --tools PATH (or \"tools_md\") or set JAMI_SKILL_TOOLS to your TOOLS.md");
    }
    try {
        if (dry_run) {
            change(files::readWholeFile(*path).value_or(std::string()));  // throws like the real edit
            return path->string();
        }
        files::editFileAtomically(*path, change);
    } catch (const std::invalid_argument& e) {
        throw Error(code::kInvalidArgument, e.what(), "nothing was changed in " + path->string());
    } catch (const std::runtime_error& e) {
        throw Error(code::kConfigError, e.what(), "nothing was changed in " + path->string());
    }
    auto fresh = loadContacts(path->string(), pinyin_);
    std::lock_guard lock(mutex_);
    adopt(std::move(fresh));
    return path->string();
}

}  // namespace jskill
