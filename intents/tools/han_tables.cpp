// Build-time generator: two tables of Chinese characters from ICU, as C++
// for intents/src/han.cpp, so the library itself needs no ICU and no 30 ms
// transliterator at run time:
//  - han_fold.inc: the characters ICU's "Hant-Hans" transform writes as
//    another single character (Traditional -> Simplified), sorted, so that
//    给妈妈打电话 typed as 給媽媽打電話 reads the same;
//  - han_syllables.inc: the toneless reading of each character U+4E00-U+9FFF
//    ("Han-Latin; Latin-ASCII"), for IME homophone typos (打点话 -> 打电话).
//   han_tables OUTPUT_DIR
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

std::unique_ptr<icu::Transliterator> transform(const char* id) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
    if (U_FAILURE(status)) {
        std::fprintf(stderr, "han_tables: ICU has no %s transform: %s\n", id, u_errorName(status));
        return nullptr;
    }
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    auto fold = transform("Hant-Hans"), reading = transform("Han-Latin; Latin-ASCII; Lower");
    if (!fold || !reading) return 1;

    std::FILE* out = std::fopen((dir + "/han_fold.inc").c_str(), "w");
    if (!out) return 1;
    std::fprintf(out,
                 "// Generated at build time by intents/tools/han_tables.cpp from ICU's\n"
                 "// Hant-Hans transform; do not edit. {Traditional, Simplified}, sorted.\n");
    const UChar32 ranges[][2] = {{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}};
    int pairs = 0;
    for (const auto& range : ranges) {
        for (UChar32 cp = range[0]; cp <= range[1]; ++cp) {
            icu::UnicodeString text(cp);
            fold->transliterate(text);
            if (text.countChar32() != 1 || text.char32At(0) == cp) continue;
            std::fprintf(out, "{0x%04X, 0x%04X},\n", static_cast<unsigned>(cp),
                         static_cast<unsigned>(text.char32At(0)));
            ++pairs;
        }
    }
    std::fclose(out);

    std::map<std::string, int> ids{{"", 0}};
    std::vector<std::string> names{""};
    std::vector<int> syllable;
    for (UChar32 cp = 0x4E00; cp <= 0x9FFF; ++cp) {
        icu::UnicodeString text(cp);
        reading->transliterate(text);
        std::string s;
        text.toUTF8String(s);
        bool letters = !s.empty();
        for (char c : s) letters = letters && c >= 'a' && c <= 'z';
        if (!letters) s.clear();  // no single reading: never a homophone
        auto [it, added] = ids.emplace(s, static_cast<int>(names.size()));
        if (added) names.push_back(s);
        syllable.push_back(it->second);
    }
    out = std::fopen((dir + "/han_syllables.inc").c_str(), "w");
    if (!out) return 1;
    std::fprintf(out,
                 "// Generated at build time by intents/tools/han_tables.cpp from ICU's\n"
                 "// Han-Latin transform; do not edit. The reading of U+4E00 + i.\n"
                 "constexpr std::uint16_t kSyllableOf[] = {\n");
    for (std::size_t i = 0; i < syllable.size(); ++i) std::fprintf(out, "%d,%s", syllable[i], i % 32 == 31 ? "\n" : "");
    std::fprintf(out, "};\n");
    std::fclose(out);
    return pairs > 1000 && names.size() > 300 ? 0 : 1;  // ICU without its Han data makes useless tables
}
