// The Unicode part of the contact book: what needs ICU (normalising a
// non-ASCII name, telling Han characters, reading Chinese as pinyin), built
// as a shared object of its own that name_keys.cpp loads on first need.
//
// Why a part apart: ICU is three libraries bound at load time (~1.1 ms of
// every process that links them, measured by bench/jamid_bench.sh), and
// most requests never meet a non-ASCII name (`account list`, `call list`,
// a book of ASCII names). Only this header is shared between the two
// sides; both are built from one tree with one compiler, so the table may
// speak C++ (std::string) across the boundary.
//
// Ownership: the table is static data of the part, valid until the process
// ends (the part is never unloaded). A transliterator is owned by its
// caller: made by pinyin_new, released by pinyin_free. Threads: every entry
// is thread-safe except pinyin_of, which needs one caller at a time per
// transliterator (PinyinKeys holds its lock around it).
#pragma once

#include <string>
#include <string_view>

namespace jskill::contacts::unicode {

// Raised whenever an entry is added, removed or changes meaning: a part of
// another version is refused rather than called wrongly.
inline constexpr int kPartVersion = 2;

// Where the part is, from the directory of the object that loads it: beside
// it (the installed library in <libdir>, the part in <libdir>/jami-skill/),
// or in lib/jami-skill/ of the build tree for its test programs.
inline constexpr const char* kPartFile = "libjami-skill-unicode.so";
inline constexpr const char* kPartDirs[] = {"jami-skill", "../lib/jami-skill"};
// The part's only exported symbol: extern "C" const Part* jskill_unicode_part(),
// called by parts::loadTable.
inline constexpr const char* kEntry = "jskill_unicode_part";

struct Transliterator;  // ICU's Han-Latin/Names; Latin-ASCII

struct Part {
    int version;
    // name_keys.hpp's exactKey and looseKey, for text that is not all ASCII
    // (valid UTF-8).
    std::string (*exact_key)(std::string_view text);
    std::string (*loose_key)(std::string_view text);
    bool (*has_han)(std::string_view text);
    // Null when ICU cannot build it.
    Transliterator* (*pinyin_new)();
    void (*pinyin_free)(Transliterator*);
    // The Latin (ASCII) reading of `text`, e.g. "张三" -> "Zhang San".
    std::string (*pinyin_of)(Transliterator*, std::string_view text);
    // Any ICU transform by its id (e.g. tone-numbered pinyin for speech);
    // null when ICU has no such transform. Released by pinyin_free, read by
    // pinyin_of.
    Transliterator* (*transliterator_new)(const char* id);
};

}  // namespace jskill::contacts::unicode
