// Name -> contact resolution over the TOOLS.md contacts. Never guesses
// silently: several equally good candidates give Ambiguous, none gives
// Unknown with the closest suggestions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/tools_md.hpp"

namespace jskill::config {

struct Resolution {
    enum class Kind { Found, Ambiguous, Unknown };
    Kind kind = Kind::Unknown;
    std::size_t index = 0;                // Found: the contact
    std::string match;                    // how: "id", "name", "alias", "normalized", "word", "similar"
    std::vector<std::size_t> candidates;  // Ambiguous: the tied contacts; Unknown: suggestions
};

class ContactBook {
public:
    ContactBook() = default;
    explicit ContactBook(std::vector<Contact> contacts);

    const std::vector<Contact>& contacts() const { return contacts_; }
    Resolution resolve(std::string_view query) const;
    // Each contact's spellings (name first, then aliases), for the prefilter.
    std::vector<std::vector<std::string>> spellings() const;

private:
    std::vector<Contact> contacts_;
};

// Lower-case (ASCII) with whitespace runs folded to one space; the key used
// for exact name comparison.
std::string foldName(std::string_view name);
// foldName without spaces and punctuation: "Bob-Smith" == "bob smith".
std::string squeezeName(std::string_view name);
// Canonical form of a contact id: lower-case hex without a jami:/ring: prefix.
std::string canonicalId(std::string_view id);

}  // namespace jskill::config
