// Step 2 of the pipeline: a language's template sentences become anchored
// RE2 patterns, in a PrefilteredSet (prefilter.hpp: one scan of the buckets
// whose required word the sentence contains finds every template that
// matches) plus one RE2 per template for its captures. Nothing here compiles
// a regular expression: that happens at a sentence's first need.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "intents/src/language.hpp"
#include "intents/src/numbers.hpp"
#include "intents/src/prefilter.hpp"

namespace jskill::intents {

// Contact names found by the prefilter are replaced by one private-use code
// point each (U+E000 + k); a {contact} slot prefers exactly one of them.
constexpr char32_t kMarkerBase = 0xE000;
constexpr std::size_t kMaxMarkers = 256;
constexpr const char* kMarkerClass = "\\xEE[\\x80-\\x83][\\x80-\\xBF]";  // U+E000-U+E0FF as UTF-8 bytes

// One template. Its own RE2 (for the captures) is compiled at its first
// hit in the language's RE2::Set: most templates of a one-shot command
// never need theirs. Immutable once built; matcher() is thread-safe.
struct CompiledTemplate {
    std::string intent;
    std::string text;
    std::string pattern;
    std::map<std::string, std::string> groups;  // capture group -> slot ("contact__2" -> "contact")

    struct Matcher {
        std::unique_ptr<RE2> regex;
        std::vector<std::string> group_slot;  // capture index (1-based) -> slot name ("" = none)
    };
    const Matcher& matcher() const;

private:
    mutable std::once_flag once_;
    mutable Matcher matcher_;
};

struct CompiledLanguage {
    std::string name;
    bool compact = false;
    std::vector<std::string> skip_prefixes, skip_suffixes;  // normalized
    std::set<std::string> pronouns;                         // normalized
    std::map<std::string, SlotKind> slots;
    std::vector<std::unique_ptr<CompiledTemplate>> templates;
    std::unique_ptr<PrefilteredSet> set;  // index k: templates[k]
    // `not_commands:`: a sentence any of these matches is understood as
    // nothing (an empty set when the language has none).
    std::unique_ptr<PrefilteredSet> not_commands;
    std::unique_ptr<NumberWords> numbers;
    // The templates' literal words (normalized; in a compact language the
    // literal runs), candidates when a sentence's word is a typo; and every
    // word the language knows (those, skip words, pronouns, number words),
    // which is never taken for a typo.
    std::set<std::string> keywords, known_words;
    // A compact language's keyword characters (typos.cpp: a homophone is
    // read as one of these): sorted, and each with its reading
    // (hanSyllable), sorted by reading.
    std::vector<char32_t> keyword_chars;
    std::vector<std::pair<std::uint16_t, std::string>> keyword_chars_by_reading;
};

// What the template compiler makes of a language's sentences, index for
// index: strings only, no regular expression compiled yet. The build makes
// these for the built-in languages (tools/language_tables.cpp,
// builtinPatterns()), so that a one-shot command does not remake 200
// patterns to use ten (a third of its instructions).
struct TemplatePattern {
    std::string pattern;
    Anchor anchor;                              // prefilter.hpp
    std::map<std::string, std::string> groups;  // capture group -> slot
};
struct LanguagePatterns {
    std::vector<TemplatePattern> templates, not_commands;
    std::set<std::string> keywords;  // CompiledLanguage::keywords
};

// Throws LoadError naming file:line for a template that does not parse.
LanguagePatterns patternsOf(const LanguageData& data);
// A built-in language's patterns (generated at build time); nullopt for
// another language.
std::optional<LanguagePatterns> builtinPatterns(std::string_view language);

// A pattern RE2 refuses is found when its bucket compiles
// (PrefilteredSet::compileAll() at load for Engine::Compile::Now).
// whole_after: see PrefilteredSet.
CompiledLanguage compileLanguage(const LanguageData& data, LanguagePatterns patterns,
                                 unsigned whole_after = PrefilteredSet::kWholeAfter);
inline CompiledLanguage compileLanguage(const LanguageData& data, unsigned whole_after = PrefilteredSet::kWholeAfter) {
    return compileLanguage(data, patternsOf(data), whole_after);
}

}  // namespace jskill::intents
