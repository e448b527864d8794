#include "intents/src/normalize.hpp"

#include "intents/src/han.hpp"

namespace jskill::intents {

int decodeUtf8(std::string_view s, std::size_t i, char32_t* cp) {
    auto c = static_cast<unsigned char>(s[i]);
    int length = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    if (i + length > s.size()) length = 1;
    if (length == 1) {
        *cp = c;
        return 1;
    }
    char32_t value = c & (0x7F >> length);
    for (int k = 1; k < length; ++k) value = (value << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    *cp = value;
    return length;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool isAsciiWordByte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

void NormalizedText::append(std::string_view bytes, std::uint32_t from, std::uint32_t to) {
    text.append(bytes);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        begin.push_back(from);
        end.push_back(to);
    }
}

std::string_view NormalizedText::original(std::string_view source, std::size_t b, std::size_t e) const {
    if (b >= e || e > text.size()) return {};
    return source.substr(begin[b], end[e - 1] - begin[b]);
}

namespace {

bool isSpace(char32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x3000 ||
           cp == 0xA0;
}

// Punctuation that ends a sentence and carries no meaning for intents.
bool isFinalPunctuation(char32_t cp) {
    switch (cp) {
    case '.':
    case '!':
    case '?':
    case 0x3002:
    case 0xFF01:
    case 0xFF1F:
    case 0x2026:
    case '~':
    case 0xFF5E: return true;
    default: return false;
    }
}

// Traditional Chinese characters read as Simplified ones (給媽媽打電話 is
// 给妈妈打电话), in sentences, templates and contact names alike.
char32_t fold(char32_t cp) {
    if (cp >= 0x3400 && cp <= 0xFAFF) return foldHan(cp);
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= 0xFF21 && cp <= 0xFF3A) return cp - 0xFF21 + 'a';  // full-width A-Z
    if (cp >= 0xFF41 && cp <= 0xFF5A) return cp - 0xFF41 + 'a';  // full-width a-z
    if (cp >= 0xFF10 && cp <= 0xFF19) return cp - 0xFF10 + '0';  // full-width digits
    if (cp == 0x2018 || cp == 0x2019 || cp == 0x2032) return '\'';
    if (cp == 0x201C || cp == 0x201D) return '"';
    if (cp == 0xFF05) return '%';
    // Full-width separators read as their ASCII twins, so a template's "," or
    // ":" also stands for the Chinese ones ("告诉张三，说…", "内容：…").
    if (cp == 0xFF0C) return ',';
    if (cp == 0xFF1A) return ':';
    if (cp == 0xFF1B) return ';';
    if (cp == 0xFF08) return '(';
    if (cp == 0xFF09) return ')';
    return cp;
}

// Pictographs and their modifiers carry no command ("📞 call mom", "call mom
// 🙏"): read as a space, never as part of a name or keyword.
bool isPictograph(char32_t cp) {
    return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0xFE0F || cp == 0xFE0E ||
           cp == 0x200D || (cp >= 0x2B00 && cp <= 0x2BFF) || cp == 0x20E3;
}

// Quotes or brackets around the whole command: "\"call mom\"", 「给妈妈打电话」.
constexpr std::pair<std::string_view, std::string_view> kEnclosing[] = {
    {"\"", "\""},         {"'", "'"},           {"(", ")"},           {"[", "]"},
    {"\u300C", "\u300D"}, {"\u300E", "\u300F"}, {"\u3010", "\u3011"}, {"\u300A", "\u300B"}};

void dropEnclosing(NormalizedText& out) {
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& [open, close] : kEnclosing) {
            const std::string& t = out.text;
            if (t.size() < open.size() + close.size() + 1 || !t.starts_with(open) || !t.ends_with(close)) continue;
            // Only when the opening one is not closed earlier ("(a) or (b)").
            if (t.find(close, open.size()) != t.size() - close.size()) continue;
            std::size_t from = open.size(), to = t.size() - close.size();
            while (from < to && t[from] == ' ') ++from;
            while (to > from && t[to - 1] == ' ') --to;
            out.text = t.substr(from, to - from);
            out.begin = std::vector<std::uint32_t>(out.begin.begin() + static_cast<long>(from),
                                                   out.begin.begin() + static_cast<long>(to));
            out.end = std::vector<std::uint32_t>(out.end.begin() + static_cast<long>(from),
                                                 out.end.begin() + static_cast<long>(to));
            changed = true;
        }
    }
}

}  // namespace

NormalizedText normalizeUtterance(std::string_view source, bool compact) {
    NormalizedText out;
    out.text.reserve(source.size() + 8);
    out.begin.reserve(source.size() + 8);
    out.end.reserve(source.size() + 8);
    bool pending_space = false;
    char32_t previous = 0;
    for (std::size_t i = 0; i < source.size();) {
        char32_t cp;
        int length = decodeUtf8(source, i, &cp);
        auto from = static_cast<std::uint32_t>(i), to = static_cast<std::uint32_t>(i + length);
        i += length;
        if (isSpace(cp) || isPictograph(cp)) {
            pending_space = !out.text.empty();
            if (!isSpace(cp)) out.symbols_end = to;
            continue;
        }
        cp = fold(cp);
        // The engine marks contact names with private-use characters
        // (U+E000-U+E0FF); one typed by the user must never pass for a mark.
        if (cp >= 0xE000 && cp <= 0xE0FF) cp = 0xFFFD;
        // "50%" reads as "50 %" so templates can say "{volume} [%|percent]".
        if (cp == '%' && previous >= '0' && previous <= '9') pending_space = true;
        // "Mom: see you" reads as "Mom : see you"; "sip:bob@host" stays whole.
        if ((cp == ':' || cp == 0xFF1A) && previous != 0 && i < source.size() &&
            (source[i] == ' ' || source[i] == '\t'))
            pending_space = true;
        if (pending_space && !compact) out.append(" ", from, from);
        pending_space = false;
        char bytes[4];
        std::size_t n = 0;
        if (cp < 0x80)
            bytes[n++] = static_cast<char>(cp);
        else {
            std::string encoded;  // rare: non-ASCII (SSO, no allocation)
            appendUtf8(encoded, cp);
            for (char b : encoded) bytes[n++] = b;
        }
        out.append(std::string_view(bytes, n), from, to);
        previous = cp;
    }
    // Trim sentence-final punctuation (possibly several: "really?!") and
    // what encloses the whole text, until neither is left ("「挂断！」").
    for (std::size_t before = out.text.size() + 1; out.text.size() < before;) {
        before = out.text.size();
        while (!out.text.empty()) {
            std::size_t last = out.text.size() - 1;
            while (last > 0 && (static_cast<unsigned char>(out.text[last]) & 0xC0) == 0x80) --last;
            char32_t cp;
            decodeUtf8(out.text, last, &cp);
            if (!isFinalPunctuation(cp) && cp != ' ') break;
            out.text.resize(last);
            out.begin.resize(last);
            out.end.resize(last);
        }
        dropEnclosing(out);
    }
    // Pictographs after the last character kept belong to a message that
    // ends the sentence ("tell bob love you ❤️"), never to the command.
    if (out.text.empty() || out.symbols_end <= out.end.back()) out.symbols_end = 0;
    return out;
}

std::string normalizeName(std::string_view name, bool compact) { return normalizeUtterance(name, compact).text; }

bool usesScript(std::string_view text, Script script) {
    if (script == Script::Any) return true;
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp;
        i += decodeUtf8(text, i, &cp);
        const bool latin = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0xFF21 && cp <= 0xFF5A);
        const bool han =
            (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
        if (script == Script::Latin ? latin : han) return true;
    }
    return false;
}

}  // namespace jskill::intents
