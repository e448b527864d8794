// Numbers and DTMF digits said in words. The words are data: each language's
// `numbers:` and `digit_words:` (intents/<lang>/_language.yaml); this file
// only knows how words combine.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "intents/src/language.hpp"

namespace jskill::intents {

class NumberWords {
public:
    explicit NumberWords(const LanguageData& language);

    // "50", "fifty five", "a hundred", "五十", "一百二十", "五五" -> value;
    // nullopt for anything else (the template then does not match). Reads
    // the normalized text.
    std::optional<int> parseNumber(std::string_view normalized) const;
    // "one two three pound", "1 2 3 #", "一二三井号" -> "123#".
    std::optional<std::string> parseDigits(std::string_view normalized) const;

private:
    enum class Kind { Value, Multiplier, Article, Joiner };
    struct Word {
        std::string text;  // normalized
        Kind kind;
        int value;
    };
    // The longest word at `at`, ending on a word boundary in spaced languages.
    const Word* wordAt(std::string_view text, std::size_t at) const;
    const std::pair<std::string, std::string>* digitWordAt(std::string_view text, std::size_t at) const;

    bool compact_;
    std::vector<Word> words_;                                  // longest first
    std::vector<std::pair<std::string, std::string>> digits_;  // normalized word -> DTMF, longest first
};

}  // namespace jskill::intents
