// Small ASCII text helpers several parts share (the contact book's parser,
// the intents engine's list words, account names, jamid's keys). ASCII only
// on purpose: the host's locale never changes what a key or a name reads as.
#pragma once

#include <string>
#include <string_view>

namespace jskill {

// `s` without leading and trailing spaces, tabs and line-break bytes.
inline std::string_view trim(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

// `s` with A-Z lower-cased; every other byte (UTF-8 included) as it is.
inline std::string asciiLower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace jskill
