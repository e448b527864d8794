// The keys contact names are compared by. Built on ICU so that "ＢＯＢ",
// "Bob" and "bob" are one name (NFKC case folding), "José" answers to "jose"
// (accents folded), and "张三" answers to "zhang san" (toneless pinyin with
// surname readings, ICU's Han-Latin/Names).
//
// ICU is reached only through the Unicode part (unicode/unicode_part.hpp), a
// shared object loaded by the first name that is not all ASCII: a process
// that meets only ASCII names never loads ICU.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace jskill::contacts {

// NFKC case-folded, whitespace runs collapsed to one space, trimmed: two
// spellings with the same exact key are the same name.
std::string exactKey(std::string_view name);
// The exact key with accents removed and only letters and digits kept:
// "Bob-Smith", "bob smith" and "BÖB SMITH" all give "bobsmith".
std::string looseKey(std::string_view name);
// True when the text holds at least one Han (Chinese) character.
bool hasHan(std::string_view text);
// Empty when non-ASCII names can be compared (the Unicode part loads; this
// loads it); else why not, for a person. Without the part a non-ASCII name
// would compare by its bytes, so the book refuses such names (nameProblem).
std::string unicodeProblem();

// What must never be in a name, an alias or an id (and, but for tab and
// line breaks, in a message): NUL and other C0 controls, DEL, C1 controls
// (U+0080-U+009F, NEL among them), the line and paragraph separators
// (U+2028/9: line breaks too, allowed where those are) and the bidi
// overrides and marks (U+200E/F, U+202A-E, U+2066-9) that make text read
// other than it is. `text` is valid UTF-8.
bool hasControlOrBidi(std::string_view text, bool allow_line_breaks = false);

// Toneless pinyin of Chinese names, as a loose key: "张三" -> "zhangsan",
// "单田芳" -> "shantianfang" (surname reading). The ICU transliterator costs
// about 150 ms to build and 40 us per name, so it is built on first use and
// every result is cached (at most kMaxCached). Thread-safe.
// An ICU transform of text, by its id, through the Unicode part: built on
// first use, thread-safe. Empty results when the part or the transform is
// missing (available() says which).
class Transliteration {
public:
    explicit Transliteration(std::string id);
    ~Transliteration();
    Transliteration(const Transliteration&) = delete;
    Transliteration& operator=(const Transliteration&) = delete;

    std::string of(std::string_view text);
    bool available();

private:
    struct Impl;
    std::mutex mutex_;
    std::unique_ptr<Impl> impl_;
};

class PinyinKeys {
public:
    PinyinKeys();
    ~PinyinKeys();
    PinyinKeys(const PinyinKeys&) = delete;
    PinyinKeys& operator=(const PinyinKeys&) = delete;

    // Empty when the name has no Han character or ICU cannot transliterate.
    std::string of(std::string_view name);
    // Entries cached now; never above kMaxCached.
    std::size_t size();
    static constexpr std::size_t kMaxCached = 65536;

private:
    struct Impl;  // keeps ICU's headers out of this one
    std::mutex mutex_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jskill::contacts
