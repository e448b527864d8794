// One language as its YAML files declare it (intents/<lang>/*.yaml), before
// anything is compiled: slots, rules, skip words, pronouns and the template
// sentences with the file and line each came from. Step 1 of the pipeline
// (load -> compile -> match); docs/intents.md.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "intents/src/engine.hpp"

namespace jskill::intents {

enum class SlotKind { Contact, Text, Number, Digits, Id };

// The writing system a language's keywords use (`script:`): a sentence is
// matched against a language only when it has a letter of its script.
// Any: always (a language that declares none).
enum class Script { Any, Latin, Han };
bool usesScript(std::string_view text, Script script);

// Everything the templates of one language share, merged from its files.
struct LanguageData {
    std::string name;
    bool compact = false;  // no spaces between words (Chinese)
    Script script = Script::Any;
    std::map<std::string, std::string> rules;
    std::map<std::string, SlotKind> slots;
    std::vector<std::string> skip_prefixes, skip_suffixes;
    std::vector<std::string> pronouns;  // words that never name a contact
    struct Pending {
        std::string intent, text, file;
        int line;
    };
    std::vector<Pending> templates;
    std::vector<Pending> not_commands;  // `not_commands:` (intent empty)

    // `numbers:` (the number slot): each word's value, the words that
    // multiply what precedes them ("hundred", "十"), and the words that count
    // only before a multiplier ("a hundred"), and the words that join parts
    // ("one hundred and five").
    std::map<std::string, int> number_words, number_multipliers;
    std::vector<std::string> number_articles, number_joiners;
    std::map<std::string, std::string> digit_words;  // `digit_words:` DTMF in words: "star" -> "*"
    std::map<std::string, std::string> samples;      // `samples:` a value per slot for example sentences
    std::vector<std::string> hint_examples;          // `hint_examples:` shown when nothing is understood
};

// Reads one YAML file into languages[<its language:>], merging with the
// language's other files. Throws LoadError naming file:line.
void loadFile(const TemplateSource& source, std::map<std::string, LanguageData>& languages);

}  // namespace jskill::intents
