// What each language's `_language.yaml` says, for the skill's own reading
// of a request (a pronoun is never a contact, "Ann and Joe" names two, "video"
// asks for video): data made at build time, read without the engine, so it
// costs no regular expression library (intents/engine_part.hpp says why).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

}  // namespace jskill::intents
