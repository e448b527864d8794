// Natural language -> intent + slots.
//
// Sentence templates (intents/<lang>/*.yaml, hassil-like syntax) are compiled
// once into anchored RE2 matchers; recognition never backtracks over contact
// lists: contact names are first located in the utterance by a trie scan
// (ContactIndex) and replaced by marker characters that a {contact} slot
// prefers. See docs/intents.md for the syntax and the ranking rules.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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

// The templates built into the library, as their YAML text (embedded at build
// time). This, and the constructors from TemplateSource below, live in
// jami_skill_intents_yaml (src/from_yaml.cpp), the only part that links
// yaml-cpp: the plugin uses Engine::builtin() and never loads it.
const std::vector<TemplateSource>& builtinTemplates();

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
        std::size_t begin, end;          // byte range in the normalized text
        std::vector<std::size_t> contacts;  // contacts with exactly this spelling
    };
    // Leftmost-longest, non-overlapping names that start and end on word
    // boundaries. `compact` selects the whitespace-free (Chinese) spelling.
    std::vector<Span> find(std::string_view normalized, bool compact) const;

private:
    struct Trie;
    std::unique_ptr<Trie> spaced_, compact_;
};

// What each language's `_language.yaml` says, read from those files alone
// and only at the first question: no template is compiled for it, and
// constructing it parses nothing. Throws LoadError (from the first
// question). Thread-safe.
class LanguageFacts {
public:
    explicit LanguageFacts(const std::vector<TemplateSource>& sources);
    // The built-in languages, from the data made at build time (no YAML).
    struct Builtin {};
    explicit LanguageFacts(Builtin);
    // A pronoun or self-reference of any language ("me", "him", "我",
    // "他们"): words that must never be taken for a contact's name.
    bool isPronoun(std::string_view text) const;
    // Every language's `hint_examples:`, for "I did not understand".
    const std::vector<std::string>& hintExamples() const;

private:
    LanguageFacts(const std::vector<TemplateSource>& sources, TemplateFileReader read_file);
    void read() const;
    void add(const std::vector<LanguageData>& languages) const;
    std::vector<TemplateSource> settings_;
    TemplateFileReader read_file_ = nullptr;
    mutable std::once_flag read_once_;
    mutable std::vector<std::pair<bool, std::vector<std::string>>> pronouns_;  // (compact, sorted normalized words)
    mutable std::vector<std::string> hint_examples_;
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

class Engine {
public:
    // When a language's templates are compiled: all at construction, or
    // at the first sentence in its script (`script:` of its _language.yaml)
    // and then only those the sentence could match (prefilter.hpp: "call
    // mom" compiles the templates that say "call"), the whole language once
    // it has served a few sentences. BucketsOnly never compiles a language
    // whole: the tests compare it with Now, the benchmark measures it.
    enum class Compile { Now, WhenUsed, BucketsOnly };
    // Throws LoadError naming file:line for malformed templates: from here
    // with Compile::Now (what the tests use), else from recognize().
    explicit Engine(const std::vector<TemplateSource>& sources, Compile when = Compile::Now);
    // The built-in languages from the data made at build time: the same
    // templates as builtinTemplates(), without parsing their YAML.
    static Engine builtin(Compile when = Compile::WhenUsed);
    ~Engine();
    Engine(Engine&&) noexcept;
    Engine& operator=(Engine&&) noexcept;

    // Best parse of `text`, or nullopt. Thread-safe (the engine is immutable).
    std::optional<Recognition> recognize(std::string_view text,
                                         const ContactIndex* contacts = nullptr) const;

    // The languages, in their files' order (en, zh, ...).
    std::vector<std::string> languages() const;
    // Every intent name with at least one template, sorted.
    std::vector<std::string> intentNames() const;
    // One example sentence per intent and language (the first template, for hints).
    std::vector<std::string> examples(const std::string& language) const;
    std::size_t templateCount() const;
    // How many templates have been compiled so far (the benchmark and the
    // tests show what a sentence costs).
    std::size_t compiledTemplateCount() const;

private:
    Engine();
    Engine(const std::vector<TemplateSource>& sources, Compile when, TemplateFileReader read_file);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jskill::intents
