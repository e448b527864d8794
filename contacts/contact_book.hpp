// Name -> contact resolution over the TOOLS.md contacts. Never guesses:
// only the first five steps can find a contact; several equally good
// candidates give Ambiguous; the last two steps only suggest (Unknown with
// candidates), because a shared word or a near spelling may be someone else
// ("Bill" is not "Will", "张三丰" is not "张三").
//
// Order of the steps (the first that finds anything decides):
//   id          the exact contact id (Jami IDs: jami:/ring: prefix and case
//               ignored; SIP URIs: scheme and host case ignored, the user part exact)
//   name        the name, NFKC case-folded ("ＢＯＢ" == "bob")
//   alias       an alias, the same way
//   normalized  accents, spaces and punctuation ignored ("jose-maria" == "José María")
//   pinyin      toneless pinyin of a Chinese name or alias ("zhang san" == "张三")
//   -- suggestions only --
//   word        one word of a longer name ("bob" -> "Bob Smith"?)
//   similar     the smallest edit distances, a bound growing with length
//
// Cost: the exact steps are binary searches in sorted 64-bit key hashes
// built with the book. The pinyin keys and the bigram index behind
// "similar" serve rare queries, so they are built by the first query that
// needs them (once per book) and the pinyin results are cached across books.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contacts/name_keys.hpp"
#include "contacts/tools_md.hpp"

namespace jskill::contacts {

class FuzzyIndex;  // contact_book.cpp

struct Resolution {
    enum class Kind { Found, Ambiguous, Unknown };
    Kind kind = Kind::Unknown;
    std::size_t index = 0;                // Found: the contact
    std::string match;                    // which step found it, or suggested the candidates
    std::vector<std::size_t> candidates;  // Ambiguous: the tied contacts; Unknown: suggestions (closest first)
};

class ContactBook {
public:
    ContactBook();
    // `pinyin` may be shared between books (its cache survives reloads).
    explicit ContactBook(std::vector<Contact> contacts, std::shared_ptr<PinyinKeys> pinyin = nullptr);

    const std::vector<Contact>& contacts() const { return contacts_; }
    // Thread-safe.
    Resolution resolve(std::string_view query) const;
    // The one contact with this id (the id step alone), if any.
    std::optional<std::size_t> findById(std::string_view id) const;
    // Each contact's spellings (name first, then aliases), for the prefilter.
    std::vector<std::vector<std::string>> spellings() const;

private:
    // One key of one contact, as a hash; sorted by hash for binary search.
    // Two different keys sharing a 64-bit hash among a few thousand contacts
    // is ~1e-10 likely, and would at worst show an extra candidate.
    struct KeyHash {
        std::uint64_t hash;
        std::uint32_t contact;
        bool operator<(const KeyHash& o) const { return hash < o.hash || (hash == o.hash && contact < o.contact); }
    };
    static void sortByHash(std::vector<KeyHash>& index);
    using KeyIndex = std::vector<KeyHash>;
    struct LazyIndexes;  // the fuzzy (bigram) index and the pinyin keys

    std::vector<std::size_t> lookup(const KeyIndex& index, std::string_view key) const;
    std::vector<std::size_t> lookupHash(const KeyIndex& index, std::uint64_t hash) const;
    const FuzzyIndex& fuzzy() const;
    const LazyIndexes& pinyin() const;

    std::vector<Contact> contacts_;
    KeyIndex by_id_, by_name_, by_alias_, by_loose_, by_word_;
    bool any_han_ = false;
    std::shared_ptr<PinyinKeys> pinyin_;
    std::shared_ptr<LazyIndexes> lazy_;
};

}  // namespace jskill::contacts
