// Utterance normalization with a map back to the original bytes, so slot
// values (a message, a name) keep the user's own spelling and case.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jskill::intents {

// The writing system a language's keywords use (`script:`): a sentence is
// matched against a language only when it has a letter of its script.
// Any: always (a language that declares none).
enum class Script { Any, Latin, Han };
// Whether `text` has a letter of `script`.
bool usesScript(std::string_view text, Script script);

struct NormalizedText {
    std::string text;
    // For every byte of `text`: the byte range [begin, end) of the original
    // that produced it.
    std::vector<std::uint32_t> begin, end;
    // End (in the original) of pictographs that follow the last character
    // kept, else 0: given back to a message that ends the sentence.
    std::uint32_t symbols_end = 0;

    void append(std::string_view bytes, std::uint32_t from, std::uint32_t to);
    // Original text behind text[b, e).
    std::string_view original(std::string_view source, std::size_t b, std::size_t e) const;
};

// Lower-cases ASCII, folds full-width forms and typographic quotes, collapses
// whitespace (or drops it when `compact`, for Chinese), separates '%' from a
// number, reads pictographs (emoji) as spaces, and trims outer whitespace,
// sentence-final punctuation and quotes or brackets around the whole text.
NormalizedText normalizeUtterance(std::string_view source, bool compact);

// The same folding for a single name (contact names in the prefilter).
std::string normalizeName(std::string_view name, bool compact);

// Decodes one UTF-8 code point at s[i]; returns its length (1 for bytes that
// are not valid UTF-8 starts, which are passed through).
int decodeUtf8(std::string_view s, std::size_t i, char32_t* cp);
void appendUtf8(std::string& out, char32_t cp);
bool isAsciiWordByte(unsigned char c);

}  // namespace jskill::intents
