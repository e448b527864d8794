// Name -> contact resolution over the TOOLS.md contacts. Never guesses
// silently: several equally good candidates give Ambiguous, none gives
// Unknown with the closest suggestions.
//
// Order of the steps (the first that finds anything decides):
//   id          the exact contact id (jami:/ring: prefixes and case ignored)
//   name        the name, NFKC case-folded ("ＢＯＢ" == "bob")
//   alias       an alias, the same way
//   normalized  accents, spaces and punctuation ignored ("jose-maria" == "José María")
//   pinyin      toneless pinyin of a Chinese name or alias ("zhang san" == "张三")
//   word        one word of a longer name ("bob" == "Bob Smith")
//   similar     the smallest edit distance within a bound growing with length
// Lookups are hash-table hits built once per contact list, so they do not
// grow with the number of contacts; only "similar" scans, with a cheap
// character-set filter in front of the edit distance.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/name_keys.hpp"
#include "config/tools_md.hpp"

namespace jskill::config {

struct Resolution {
    enum class Kind { Found, Ambiguous, Unknown };
    Kind kind = Kind::Unknown;
    std::size_t index = 0;                // Found: the contact
    std::string match;                    // which step found it (see above)
    std::vector<std::size_t> candidates;  // Ambiguous: the tied contacts; Unknown: suggestions
};

class ContactBook {
public:
    ContactBook();
    // `pinyin` may be shared between books (its cache survives reloads).
    explicit ContactBook(std::vector<Contact> contacts, std::shared_ptr<PinyinKeys> pinyin = nullptr);

    const std::vector<Contact>& contacts() const { return contacts_; }
    Resolution resolve(std::string_view query) const;
    // Each contact's spellings (name first, then aliases), for the prefilter.
    std::vector<std::vector<std::string>> spellings() const;

private:
    using Index = std::unordered_map<std::string, std::vector<std::size_t>>;
    struct Spelling {
        std::string loose;
        std::uint64_t characters;  // which characters occur, hashed to 64 bits
        std::size_t contact;
    };
    struct PinyinIndex;  // built on the first query that reaches the pinyin step

    const Index& pinyinIndex() const;

    std::vector<Contact> contacts_;
    Index by_id_, by_name_, by_alias_, by_loose_, by_word_;
    std::vector<Spelling> spellings_;
    bool any_han_ = false;
    std::shared_ptr<PinyinKeys> pinyin_;
    std::shared_ptr<PinyinIndex> pinyin_index_;
};

// Canonical form of a contact id: lower-case, without a jami:/ring: prefix.
std::string canonicalId(std::string_view id);

}  // namespace jskill::config
