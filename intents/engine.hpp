// Natural language -> intent + slots: the one door into intents/. What is
// behind it (intents/src/: load, compile, prefilter, normalize, match) is
// private to the library; templates from YAML come through intents/yaml.hpp.
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

#include "intents/types.hpp"

namespace jskill::intents {

// What each language's `_language.yaml` says, read from those files alone
// and only at the first question: no template is compiled for it, and
// constructing it parses nothing. Throws LoadError (from the first
// question). Thread-safe.
class LanguageFacts {
public:
    // From template files' `_language.yaml` settings, read by `read_file`.
    LanguageFacts(const std::vector<TemplateSource>& sources, TemplateFileReader read_file);
    // The built-in languages, from the data made at build time (no YAML).
    struct Builtin {};
    explicit LanguageFacts(Builtin);
    // A pronoun or self-reference of any language ("me", "him", "我",
    // "他们"): words that must never be taken for a contact's name.
    bool isPronoun(std::string_view text) const;
    // Every language's `hint_examples:`, for "I did not understand".
    const std::vector<std::string>& hintExamples() const;
    // The names a list joins, as written, by any language's `list_words:`
    // ("Ann and Joe", "Ann, Joe", "张三和李四" -> two); empty when `text`
    // holds fewer than two.
    std::vector<std::string> listedNames(std::string_view text) const;
    // What follows a list word that begins `text` ("and Joe hi" -> "Joe hi",
    // ", Joe" -> "Joe", "和李四" -> "李四"); nullopt when none begins it.
    std::optional<std::string> afterListWord(std::string_view text) const;
    // Whether `text` asks for video, by any language's `video_words:`
    // ("video call mom", "跟张三视频"): the skill places audio calls only.
    bool asksForVideo(std::string_view text) const;

private:
    void read() const;
    void add(const std::vector<LanguageData>& languages) const;
    std::vector<TemplateSource> settings_;
    TemplateFileReader read_file_ = nullptr;
    mutable std::once_flag read_once_;
    mutable std::vector<std::pair<bool, std::vector<std::string>>> pronouns_;  // (compact, sorted normalized words)
    mutable std::vector<std::string> hint_examples_;
    struct ListWord {
        std::string word;  // ASCII lower-cased
        bool anywhere;     // punctuation or a compact language's: no word boundary needed
    };
    mutable std::vector<ListWord> list_words_;
    mutable std::vector<ListWord> video_words_;
    // The list word at byte `at` of `lower` (ASCII lower-cased text), its length, or 0.
    std::size_t listWordAt(std::string_view lower, std::size_t at) const;
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
    // From template files, each read by `read_file` (the YAML library's
    // reader: intents/yaml.hpp). Throws LoadError naming file:line for
    // malformed templates: from here with Compile::Now (what the tests
    // use), else from recognize().
    Engine(const std::vector<TemplateSource>& sources, Compile when, TemplateFileReader read_file);
    // The built-in languages from the data made at build time: the same
    // templates as intents::builtinTemplates() (intents/yaml.hpp), without
    // parsing their YAML.
    static Engine builtin(Compile when = Compile::WhenUsed);
    ~Engine();
    Engine(Engine&&) noexcept;
    Engine& operator=(Engine&&) noexcept;

    // Best parse of `text`, or nullopt. Thread-safe (the engine is immutable).
    std::optional<Recognition> recognize(std::string_view text, const ContactIndex* contacts = nullptr) const;

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
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jskill::intents
