// What each language's `_language.yaml` says (intents/language_facts.hpp):
// pronouns, list and video words, hint examples.
#include "intents/language_facts.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "intents/src/language.hpp"
#include "intents/src/normalize.hpp"

namespace jskill::intents {

LanguageFacts::LanguageFacts(const std::vector<TemplateSource>& sources, TemplateFileReader read_file)
    : read_file_(read_file) {
    for (const auto& source : sources)
        if (source.file.ends_with("_language.yaml")) settings_.push_back(source);
}

LanguageFacts::LanguageFacts(Builtin) {
    std::call_once(read_once_, [this] { add(builtinLanguages()); });
}

namespace {

std::string asciiLower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

void LanguageFacts::add(const std::vector<LanguageData>& languages) const {
    for (const auto& data : languages) {
        std::vector<std::string> words;
        for (const auto& p : data.pronouns) words.push_back(normalizeName(p, data.compact));
        std::sort(words.begin(), words.end());
        pronouns_.emplace_back(data.compact, std::move(words));
        hint_examples_.insert(hint_examples_.end(), data.hint_examples.begin(), data.hint_examples.end());
        for (const auto& w : data.list_words) {
            const bool letters = std::any_of(w.begin(), w.end(), [](unsigned char c) { return std::isalpha(c); });
            list_words_.push_back({asciiLower(w), data.compact || !letters});
        }
        for (const auto& w : data.video_words) video_words_.push_back({asciiLower(w), data.compact});
    }
    // Longest first: "as well as" before "as", "以及" before "及".
    std::sort(list_words_.begin(), list_words_.end(),
              [](const ListWord& a, const ListWord& b) { return a.word.size() > b.word.size(); });
}

std::size_t LanguageFacts::listWordAt(std::string_view lower, std::size_t at) const {
    auto space = [](char c) { return c == ' ' || c == '\t'; };
    for (const auto& w : list_words_) {
        if (lower.compare(at, w.word.size(), w.word) != 0) continue;
        const std::size_t end = at + w.word.size();
        if (w.anywhere || ((at == 0 || space(lower[at - 1])) && (end == lower.size() || space(lower[end]))))
            return w.word.size();
    }
    return 0;
}

namespace {

std::string_view trimmed(std::string_view s) {
    const char* blank = " \t\r\n";
    const auto b = s.find_first_not_of(blank);
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(blank) - b + 1);
}

}  // namespace

std::vector<std::string> LanguageFacts::listedNames(std::string_view text) const {
    read();
    const std::string lower = asciiLower(text);
    std::vector<std::string> names;
    std::size_t start = 0;
    for (std::size_t i = 0; i < lower.size();) {
        if (const std::size_t n = listWordAt(lower, i)) {
            if (auto name = trimmed(text.substr(start, i - start)); !name.empty()) names.emplace_back(name);
            i += n;
            start = i;
        } else {
            ++i;
        }
    }
    if (auto name = trimmed(text.substr(start)); !name.empty()) names.emplace_back(name);
    if (names.size() < 2) names.clear();
    return names;
}

std::optional<std::string> LanguageFacts::afterListWord(std::string_view text) const {
    read();
    const std::string_view t = trimmed(text);
    const std::size_t n = listWordAt(asciiLower(t), 0);
    if (n == 0) return std::nullopt;
    return std::string(trimmed(t.substr(n)));
}

bool LanguageFacts::asksForVideo(std::string_view text) const {
    read();
    const std::string lower = asciiLower(text);
    auto letter = [&](std::size_t at) { return std::isalnum(static_cast<unsigned char>(lower[at])) != 0; };
    for (const auto& w : video_words_) {
        for (auto at = lower.find(w.word); at != std::string::npos; at = lower.find(w.word, at + 1)) {
            const std::size_t end = at + w.word.size();
            if (w.anywhere || ((at == 0 || !letter(at - 1)) && (end == lower.size() || !letter(end)))) return true;
        }
    }
    return false;
}

void LanguageFacts::read() const {
    std::call_once(read_once_, [this] {
        std::map<std::string, LanguageData> languages;
        for (const auto& source : settings_) read_file_(source, languages);
        std::vector<LanguageData> all;
        for (auto& [name, data] : languages) all.push_back(std::move(data));
        add(all);
    });
}

bool LanguageFacts::isPronoun(std::string_view text) const {
    read();
    for (const auto& [compact, words] : pronouns_)
        if (std::binary_search(words.begin(), words.end(), normalizeName(text, compact))) return true;
    return false;
}

const std::vector<std::string>& LanguageFacts::hintExamples() const {
    read();
    return hint_examples_;
}

}  // namespace jskill::intents
