// The types the engine's door (intents/engine.hpp) shares with the stages
// behind it: a template file's text, the error a malformed one raises, the
// reader that turns one into a language's data (the YAML library's,
// intents/yaml.hpp), the contact-name index and a recognition.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace jskill::intents {

struct LanguageData;  // one language's templates and settings (src/language.hpp)

struct TemplateSource {
    std::string file;  // shown in load errors, e.g. "en/calls.yaml"
    std::string text;  // YAML
};

// Reads one template file into languages[<its language:>] (src/language.cpp).
using TemplateFileReader = void (*)(const TemplateSource& source, std::map<std::string, LanguageData>& languages);

// A template file that cannot be loaded: message names file and line.
class LoadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Contact names and aliases to look for in utterances. Immutable once built.
class ContactIndex {
public:
    // names[i] are the spellings (name, aliases) of contact i.
    explicit ContactIndex(const std::vector<std::vector<std::string>>& names);
    ~ContactIndex();
    ContactIndex(ContactIndex&&) noexcept;
    ContactIndex& operator=(ContactIndex&&) noexcept;

    struct Span {
        std::size_t begin, end;             // byte range in the normalized text
        std::vector<std::size_t> contacts;  // contacts with exactly this spelling
    };
    // Leftmost-longest, non-overlapping names that start and end on word
    // boundaries. `compact` selects the whitespace-free (Chinese) spelling.
    std::vector<Span> find(std::string_view normalized, bool compact) const;

private:
    struct Trie;
    std::unique_ptr<Trie> spaced_, compact_;
};

struct Recognition {
    std::string intent;
    std::string language;
    nlohmann::json slots = nlohmann::json::object();
    // Contacts whose name or alias is exactly the {contact} slot's text, when
    // the prefilter found it there; empty when the slot is free text.
    std::vector<std::size_t> contact_matches;
    std::string template_text;  // which template won (for diagnostics)
    // A keyword typo read as the keyword ("cal -> call"), else empty.
    std::string corrected;
};

}  // namespace jskill::intents
