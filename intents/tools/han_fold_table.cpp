// Build-time generator: the characters that ICU's "Hant-Hans" transform
// writes as another single character (Traditional -> Simplified Chinese),
// as a sorted C++ table for intents/src/normalize.cpp. So a sentence typed
// in Traditional characters (給媽媽打電話) reads as the templates do, and
// the library itself needs no ICU and no 30 ms transliterator at run time.
//   han_fold_table OUTPUT.inc
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <memory>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTPUT.inc\n", argv[0]);
        return 2;
    }
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> transform(
            icu::Transliterator::createInstance("Hant-Hans", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) {
        std::fprintf(stderr, "han_fold_table: ICU has no Hant-Hans transform: %s\n", u_errorName(status));
        return 1;
    }
    std::FILE* out = std::fopen(argv[1], "w");
    if (!out) return 1;
    std::fprintf(out, "// Generated at build time by intents/tools/han_fold_table.cpp from ICU's\n"
                      "// Hant-Hans transform; do not edit. {Traditional, Simplified}, sorted.\n");
    const UChar32 ranges[][2] = {{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}};
    int pairs = 0;
    for (const auto& range : ranges) {
        for (UChar32 cp = range[0]; cp <= range[1]; ++cp) {
            icu::UnicodeString text(cp);
            transform->transliterate(text);
            if (text.countChar32() != 1 || text.char32At(0) == cp) continue;
            std::fprintf(out, "{0x%04X, 0x%04X},\n", static_cast<unsigned>(cp), static_cast<unsigned>(text.char32At(0)));
            ++pairs;
        }
    }
    std::fclose(out);
    return pairs > 1000 ? 0 : 1;  // ICU without its Han data would make a useless table
}
