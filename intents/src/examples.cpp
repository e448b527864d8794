#include "intents/src/examples.hpp"

#include <algorithm>

namespace jskill::intents {
namespace {

// The index of the bracket closing the one at `open` (nesting of () and []).
std::size_t closingBracket(std::string_view text, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
        if (text[i] == '(' || text[i] == '[') ++depth;
        if ((text[i] == ')' || text[i] == ']') && --depth == 0) return i;
    }
    return text.size();
}

std::string_view firstAlternative(std::string_view inner) {
    int depth = 0;
    for (std::size_t i = 0; i < inner.size(); ++i) {
        if (inner[i] == '(' || inner[i] == '[') ++depth;
        if (inner[i] == ')' || inner[i] == ']') --depth;
        if (inner[i] == '|' && depth == 0) return inner.substr(0, i);
    }
    return inner;
}

// The language's `samples:` value for a slot, else the slot's name.
std::string sampleFor(const std::string& slot, const LanguageData& data) {
    auto it = data.samples.find(slot);
    return it != data.samples.end() ? it->second : "<" + slot + ">";
}

// First alternatives, no optional parts, a sample value per slot.
}  // namespace

std::string renderExample(std::string_view text, const LanguageData& data, int depth) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '(' || c == '[') {
            const std::size_t end = closingBracket(text, i);
            if (c == '(') out += renderExample(firstAlternative(text.substr(i + 1, end - i - 1)), data, depth + 1);
            i = end + 1;
        } else if (c == '{' || c == '<') {
            const std::size_t end = std::min(text.find(c == '{' ? '}' : '>', i), text.size());
            const std::string name(text.substr(i + 1, end - i - 1));
            if (c == '{')
                out += sampleFor(name, data);
            else if (auto rule = data.rules.find(name); rule != data.rules.end() && depth < 8)
                out += renderExample(rule->second, data, depth + 1);
            i = end + 1;
        } else {
            out += c;
            ++i;
        }
    }
    if (depth > 0) return out;
    std::string tidy;  // one space between words, none in compact languages
    for (char ch : out) {
        if (ch == ' ' && (data.compact || tidy.empty() || tidy.back() == ' ')) continue;
        tidy += ch;
    }
    while (!tidy.empty() && tidy.back() == ' ') tidy.pop_back();
    return tidy;
}

}  // namespace jskill::intents
