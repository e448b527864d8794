#include "intents/src/numbers.hpp"

#include <array>
#include <string>
#include <utility>

#include "intents/src/normalize.hpp"

namespace jskill::intents {
namespace {

std::optional<int> parseDigits(std::string_view s) {
    if (s.empty() || s.size() > 3) return std::nullopt;
    int value = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

constexpr std::array<std::pair<std::string_view, int>, 36> kWords{{
        {"zero", 0}, {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6},
        {"seven", 7}, {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12},
        {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17},
        {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20}, {"thirty", 30}, {"forty", 40},
        {"fourty", 40}, {"fifty", 50}, {"sixty", 60}, {"seventy", 70}, {"eighty", 80}, {"ninety", 90},
        {"hundred", 100}, {"max", 100}, {"maximum", 100}, {"full", 100}, {"half", 50}, {"none", 0},
        {"a", -1}}};

std::optional<int> englishWord(std::string_view w) {
    for (const auto& [word, value] : kWords)
        if (w == word) return value;
    return std::nullopt;
}

std::optional<int> parseEnglish(std::string_view text) {
    int total = 0;
    bool any = false, pending_a = false;
    while (!text.empty()) {
        auto cut = text.find_first_of(" -");
        auto word = text.substr(0, cut);
        text = cut == std::string_view::npos ? std::string_view{} : text.substr(cut + 1);
        if (word.empty() || word == "and") continue;
        auto value = englishWord(word);
        if (!value) return std::nullopt;
        if (*value == -1) {  // "a hundred"
            pending_a = true;
            continue;
        }
        if (*value == 100 && word == "hundred") {
            total = (total == 0 ? 1 : total) * 100;
        } else {
            total += *value;
        }
        any = true;
    }
    if (pending_a && total != 100) return std::nullopt;
    return any ? std::optional<int>(total) : std::nullopt;
}

std::optional<int> parseChinese(std::string_view text) {
    int total = 0, current = -1;
    bool any = false;
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp;
        i += decodeUtf8(text, i, &cp);
        int digit = -1;
        switch (cp) {
        case U'零': case U'〇': digit = 0; break;
        case U'一': digit = 1; break;
        case U'二': case U'两': digit = 2; break;
        case U'三': digit = 3; break;
        case U'四': digit = 4; break;
        case U'五': digit = 5; break;
        case U'六': digit = 6; break;
        case U'七': digit = 7; break;
        case U'八': digit = 8; break;
        case U'九': digit = 9; break;
        case U'十':
            total += (current < 0 ? 1 : current) * 10;
            current = -1;
            any = true;
            continue;
        case U'百':
            total += (current < 0 ? 1 : current) * 100;
            current = -1;
            any = true;
            continue;
        default:
            return std::nullopt;
        }
        if (current > 0) current = current * 10 + digit;  // "五五" read digit by digit
        else current = digit;
        any = true;
    }
    if (current > 0) total += current;
    return any ? std::optional<int>(total) : std::nullopt;
}

}  // namespace

const std::string& englishNumberPattern() {
    static const std::string pattern = [] {
        std::string word = "(?:and|";
        for (std::size_t i = 0; i < kWords.size(); ++i) word += std::string(i ? "|" : "") + std::string(kWords[i].first);
        word += ")";
        return word + "(?:[ -]" + word + "){0,3}";
    }();
    return pattern;
}

std::optional<int> parseNumber(std::string_view text) {
    if (auto v = parseDigits(text)) return v;
    if (!text.empty() && static_cast<unsigned char>(text[0]) >= 0x80) return parseChinese(text);
    return parseEnglish(text);
}

}  // namespace jskill::intents
