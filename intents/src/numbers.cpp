#include "intents/src/numbers.hpp"

#include <algorithm>

#include "intents/src/normalize.hpp"

namespace jskill::intents {
namespace {

bool isSeparator(char c) { return c == ' ' || c == '-' || c == ','; }

}  // namespace

NumberWords::NumberWords(const LanguageData& language) : compact_(language.compact) {
    auto add = [&](const std::string& word, Kind kind, int value) {
        if (auto key = normalizeName(word, compact_); !key.empty()) words_.push_back({key, kind, value});
    };
    for (const auto& [word, value] : language.number_words) add(word, Kind::Value, value);
    for (const auto& [word, value] : language.number_multipliers) add(word, Kind::Multiplier, value);
    for (const auto& word : language.number_articles) add(word, Kind::Article, 1);
    for (const auto& word : language.number_joiners) add(word, Kind::Joiner, 0);
    std::stable_sort(words_.begin(), words_.end(),
                     [](const Word& a, const Word& b) { return a.text.size() > b.text.size(); });
    for (const auto& [word, dtmf] : language.digit_words)
        if (auto key = normalizeName(word, compact_); !key.empty()) digits_.emplace_back(key, dtmf);
    std::stable_sort(digits_.begin(), digits_.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

namespace {

// The first entry of `entries` (longest first) spelled at text[at], ending
// on a word boundary in spaced languages; `spelling` reads an entry's text.
template <class Entry, class Spelling>
const Entry* longestAt(const std::vector<Entry>& entries, Spelling spelling, std::string_view text, std::size_t at,
                       bool compact) {
    for (const auto& entry : entries) {
        const std::string& word = spelling(entry);
        if (text.compare(at, word.size(), word) != 0) continue;
        const std::size_t end = at + word.size();
        if (!compact && end < text.size() && isAsciiWordByte(static_cast<unsigned char>(text[end]))) continue;
        return &entry;
    }
    return nullptr;
}

}  // namespace

const NumberWords::Word* NumberWords::wordAt(std::string_view text, std::size_t at) const {
    return longestAt(
        words_, [](const Word& w) -> const std::string& { return w.text; }, text, at, compact_);
}

const std::pair<std::string, std::string>* NumberWords::digitWordAt(std::string_view text, std::size_t at) const {
    return longestAt(
        digits_, [](const auto& d) -> const std::string& { return d.first; }, text, at, compact_);
}

std::optional<int> NumberWords::parseNumber(std::string_view text) const {
    // Digits alone: "50".
    if (!text.empty() && text.size() <= 3 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        int value = 0;
        for (char c : text) value = value * 10 + (c - '0');
        return value;
    }
    // Words: values add up ("fifty five"), a multiplier multiplies what
    // precedes it ("two hundred", "五十"; alone it counts once: "十五"), two
    // single digits in a row read digit by digit ("五五"), an article counts
    // only before a multiplier ("a hundred").
    int total = 0, current = -1;
    bool any = false, last_single = false, pending_article = false;
    for (std::size_t at = 0; at < text.size();) {
        if (isSeparator(text[at])) {
            ++at;
            continue;
        }
        const Word* w = wordAt(text, at);
        if (!w) return std::nullopt;
        at += w->text.size();
        switch (w->kind) {
        case Kind::Joiner: continue;
        case Kind::Article:
            if (pending_article || current >= 0) return std::nullopt;
            pending_article = true;
            continue;
        case Kind::Multiplier:
            total += (current < 0 ? 1 : current) * w->value;
            current = -1;
            pending_article = false;
            last_single = false;
            any = true;
            continue;
        case Kind::Value:
            if (pending_article) return std::nullopt;
            if (current < 0)
                current = w->value;
            else if (last_single && w->value < 10)
                current = current * 10 + w->value;
            else if (current >= 20 && current % 10 == 0 && w->value < 10)
                current += w->value;
            else
                return std::nullopt;  // "fifty fifty"
            last_single = w->value < 10;
            any = true;
            continue;
        }
    }
    if (!any || pending_article) return std::nullopt;
    return total + std::max(current, 0);
}

std::optional<std::string> NumberWords::parseDigits(std::string_view text) const {
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
        const char c = text[at];
        if (isSeparator(c)) {
            ++at;
        } else if ((c >= '0' && c <= '9') || c == '*' || c == '#') {
            out += c;
            ++at;
        } else if (const auto* d = digitWordAt(text, at)) {
            out += d->second;
            at += d->first.size();
        } else {
            return std::nullopt;
        }
    }
    if (out.empty()) return std::nullopt;
    return out;
}

}  // namespace jskill::intents
