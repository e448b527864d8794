// Build-time generator: the built-in languages (intents/<lang>/*.yaml) read
// by the library's own loader (src/language.cpp) and written out as C++
// data, so the library never parses its own YAML at run time (yaml-cpp
// takes ~4 ms for these files; a one-shot `jamictl "call mom"` would pay it),
// with the patterns the library's template compiler makes of them
// (src/compiler.cpp patternsOf(): ~1 ms more per language otherwise).
//   language_tables LANGUAGES.cpp PATTERNS.cpp ROOT FILE...   (FILE relative to ROOT, e.g. en/calls.yaml)
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "intents/src/compiler.hpp"
#include "intents/src/language.hpp"

namespace {

using namespace jskill::intents;

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\')
            out += '\\', out += static_cast<char>(c);
        else if (c < 0x20) {
            char octal[8];
            std::snprintf(octal, sizeof octal, "\\%03o", c);
            out += octal;
        } else
            out += static_cast<char>(c);
    }
    return out + "\"";
}

template <class Map, class F>
std::string mapOf(const Map& m, F value) {
    std::string out = "{";
    for (const auto& [k, v] : m) out += "{" + quoted(k) + ", " + value(v) + "}, ";
    return out + "}";
}

std::string listOf(const std::vector<std::string>& v) {
    std::string out = "{";
    for (const auto& s : v) out += quoted(s) + ", ";
    return out + "}";
}

std::string pendingOf(const std::vector<LanguageData::Pending>& v) {
    std::string out = "{\n";
    for (const auto& p : v)
        out += "            {" + quoted(p.intent) + ", " + quoted(p.text) + ", " + quoted(p.file) + ", " +
               std::to_string(p.line) + "},\n";
    return out + "        }";
}

std::string patternListOf(const std::vector<TemplatePattern>& v) {
    std::string out = "{\n";
    for (const auto& p : v)
        out += "            {" + quoted(p.pattern) + ", " + listOf(p.anchor) + ", " + mapOf(p.groups, quoted) + "},\n";
    return out + "        }";
}

const char* slotKind(SlotKind k) {
    switch (k) {
    case SlotKind::Contact: return "SlotKind::Contact";
    case SlotKind::Text: return "SlotKind::Text";
    case SlotKind::Number: return "SlotKind::Number";
    case SlotKind::Digits: return "SlotKind::Digits";
    case SlotKind::Id: return "SlotKind::Id";
    }
    return "SlotKind::Text";
}

const char* scriptName(Script s) {
    return s == Script::Latin ? "Script::Latin" : s == Script::Han ? "Script::Han" : "Script::Any";
}

bool write(const char* file, const std::string& text) {
    std::FILE* f = std::fopen(file, "w");
    if (!f) return false;
    std::fputs(text.c_str(), f);
    return std::fclose(f) == 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s LANGUAGES.cpp PATTERNS.cpp ROOT FILE...\n", argv[0]);
        return 2;
    }
    std::map<std::string, LanguageData> languages;
    try {
        for (int i = 4; i < argc; ++i) {
            std::ifstream in(std::string(argv[3]) + "/" + argv[i], std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            loadFile({argv[i], text.str()}, languages);
        }
    } catch (const LoadError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    // Two files: the languages' data (which the plugin reads without the
    // engine: intents/language_facts.hpp) apart from their patterns (the
    // engine's, with RE2's headers).
    const std::string generated =
        "// Generated at build time by intents/tools/language_tables.cpp from\n"
        "// intents/*/*.yaml; do not edit.\n";
    std::string out = generated +
                      "#include \"intents/src/language.hpp\"\n\n"
                      "namespace jskill::intents {\n\n"
                      "std::vector<LanguageData> builtinLanguages() {\n"
                      "    std::vector<LanguageData> languages;\n";
    for (const auto& [name, d] : languages) {
        out += "    {\n        LanguageData& d = languages.emplace_back();\n";
        out += "        d.name = " + quoted(d.name) + ";\n";
        out += std::string("        d.compact = ") + (d.compact ? "true" : "false") + ";\n";
        out += std::string("        d.script = ") + scriptName(d.script) + ";\n";
        out += "        d.rules = " + mapOf(d.rules, quoted) + ";\n";
        out += "        d.slots = " + mapOf(d.slots, [](SlotKind k) { return std::string(slotKind(k)); }) + ";\n";
        out += "        d.skip_prefixes = " + listOf(d.skip_prefixes) + ";\n";
        out += "        d.skip_suffixes = " + listOf(d.skip_suffixes) + ";\n";
        out += "        d.pronouns = " + listOf(d.pronouns) + ";\n";
        out += "        d.list_words = " + listOf(d.list_words) + ";\n";
        out += "        d.video_words = " + listOf(d.video_words) + ";\n";
        out += "        d.templates = " + pendingOf(d.templates) + ";\n";
        out += "        d.not_commands = " + pendingOf(d.not_commands) + ";\n";
        auto number = [](int v) { return std::to_string(v); };
        out += "        d.number_words = " + mapOf(d.number_words, number) + ";\n";
        out += "        d.number_multipliers = " + mapOf(d.number_multipliers, number) + ";\n";
        out += "        d.number_articles = " + listOf(d.number_articles) + ";\n";
        out += "        d.number_joiners = " + listOf(d.number_joiners) + ";\n";
        out += "        d.digit_words = " + mapOf(d.digit_words, quoted) + ";\n";
        out += "        d.samples = " + mapOf(d.samples, quoted) + ";\n";
        out += "        d.hint_examples = " + listOf(d.hint_examples) + ";\n";
        out += "    }\n";
    }
    out += "    return languages;\n}\n\n}  // namespace jskill::intents\n";
    std::string patterns = generated +
                           "#include \"intents/src/compiler.hpp\"\n\n"
                           "namespace jskill::intents {\n\n"
                           "std::optional<LanguagePatterns> builtinPatterns(std::string_view language) {\n";
    try {
        for (const auto& [name, d] : languages) {
            const LanguagePatterns p = patternsOf(d);
            patterns += "    if (language == " + quoted(name) + ") {\n        LanguagePatterns p;\n";
            patterns += "        p.templates = " + patternListOf(p.templates) + ";\n";
            patterns += "        p.not_commands = " + patternListOf(p.not_commands) + ";\n";
            patterns += "        p.keywords = " + listOf({p.keywords.begin(), p.keywords.end()}) + ";\n";
            patterns += "        return p;\n    }\n";
        }
    } catch (const LoadError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    patterns += "    return std::nullopt;\n}\n\n}  // namespace jskill::intents\n";
    return write(argv[1], out) && write(argv[2], patterns) ? 0 : 1;
}
