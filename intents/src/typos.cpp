#include "intents/src/typos.hpp"

#include <algorithm>

#include "intents/src/han.hpp"
#include "intents/src/normalize.hpp"

namespace jskill::intents {
namespace {

// At most one insertion, deletion, substitution or swap of neighbours.
bool oneEditApart(std::string_view a, std::string_view b) {
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > 1 || a == b) return false;
    std::size_t i = 0;
    while (i < a.size() && a[i] == b[i]) ++i;
    if (a.size() == b.size()) {
        if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
        return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
    }
    return a.substr(i) == b.substr(i + 1);  // b has one more letter
}

bool isLetterWord(std::string_view w) {
    for (char c : w)
        if (!((c >= 'a' && c <= 'z') || c == '\'')) return false;
    return !w.empty();
}

}  // namespace

std::vector<TypoReading> typoReadings(const CompiledLanguage& language, std::string_view source,
                                      const ContactIndex* contacts) {
    std::vector<TypoReading> readings;
    const NormalizedText norm = normalizeUtterance(source, language.compact);
    std::vector<bool> in_name(norm.text.size(), false);
    if (contacts)
        for (const auto& span : contacts->find(norm.text, language.compact))
            for (std::size_t i = span.begin; i < span.end; ++i) in_name[i] = true;
    auto replace = [&](std::size_t b, std::size_t e, const std::string& keyword) {
        const std::uint32_t from = norm.begin[b], to = norm.end[e - 1];
        readings.push_back({std::string(source.substr(0, from)) + keyword + std::string(source.substr(to)),
                            std::string(source.substr(from, to - from)), keyword});
    };

    if (!language.compact) {
        for (std::size_t b = 0; b < norm.text.size();) {
            std::size_t e = b;
            while (e < norm.text.size() && norm.text[e] != ' ' && norm.text[e] != ',') ++e;
            const std::string_view word(norm.text.data() + b, e - b);
            if (word.size() >= 3 && isLetterWord(word) && !in_name[b] && !language.known_words.count(std::string(word)))
                for (const auto& keyword : language.keywords)
                    if (keyword.size() >= 3 && isLetterWord(keyword) && oneEditApart(word, keyword))
                        replace(b, e, keyword);
            b = e + 1;
        }
        return readings;
    }
    // A character no keyword uses, read as each keyword character of the
    // same reading (CompiledLanguage::keyword_chars_by_reading: distinct).
    const auto& by_reading = language.keyword_chars_by_reading;
    for (std::size_t b = 0; b < norm.text.size();) {
        char32_t cp;
        const int n = decodeUtf8(norm.text, b, &cp);
        const std::uint16_t syllable = hanSyllable(cp);
        if (syllable && !in_name[b] &&
            !std::binary_search(language.keyword_chars.begin(), language.keyword_chars.end(), cp)) {
            auto at = std::lower_bound(by_reading.begin(), by_reading.end(),
                                       std::pair<std::uint16_t, std::string>(syllable, ""));
            for (; at != by_reading.end() && at->first == syllable; ++at) replace(b, b + n, at->second);
        }
        b += n;
    }
    return readings;
}

}  // namespace jskill::intents
