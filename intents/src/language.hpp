// One language as its YAML files declare it (intents/<lang>/*.yaml), before
// anything is compiled: slots, rules, skip words, pronouns and the template
// sentences with the file and line each came from. Step 1 of the pipeline
// (load -> compile -> match); docs/intents.md.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "intents/src/engine.hpp"

namespace jskill::intents {

enum class SlotKind { Contact, Text, Number, Digits, Id };

// Everything the templates of one language share, merged from its files.
struct LanguageData {
    std::string name;
    bool compact = false;  // no spaces between words (Chinese)
    std::map<std::string, std::string> rules;
    std::map<std::string, SlotKind> slots;
    std::vector<std::string> skip_prefixes, skip_suffixes;
    std::vector<std::string> pronouns;  // words that never name a contact
    struct Pending {
        std::string intent, text, file;
        int line;
    };
    std::vector<Pending> templates;
};

// Reads one YAML file into languages[<its language:>], merging with the
// language's other files. Throws LoadError naming file:line.
void loadFile(const TemplateSource& source, std::map<std::string, LanguageData>& languages);

}  // namespace jskill::intents
