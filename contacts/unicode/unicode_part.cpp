// The Unicode part (unicode_part.hpp): the only code that links ICU.
#include "contacts/unicode/unicode_part.hpp"

#include <memory>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

namespace jskill::contacts::unicode {

struct Transliterator {
    std::unique_ptr<icu::Transliterator> icu;
};

namespace {

// ICU owns these singletons; they are immutable and safe to share.
const icu::Normalizer2* nfkcCasefold() {
    UErrorCode status = U_ZERO_ERROR;
    return icu::Normalizer2::getNFKCCasefoldInstance(status);
}
const icu::Normalizer2* nfkd() {
    UErrorCode status = U_ZERO_ERROR;
    return icu::Normalizer2::getNFKDInstance(status);
}

// Normalizes UTF-8 to UTF-8 without a round trip through UTF-16 where ICU
// can (NFKC_Casefold); the input is valid UTF-8 (checked when the file loads).
std::string normalizedUtf8(const icu::Normalizer2* normalizer, std::string_view text) {
    std::string out;
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(text.size()));
    UErrorCode status = U_ZERO_ERROR;
    normalizer->normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink, nullptr,
                              status);
    return U_SUCCESS(status) ? out : std::string(text);
}

// Calls f(code point, its bytes) for each code point of UTF-8 text.
template <class F>
void forEachCodePoint(std::string_view text, F&& f) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    for (int32_t i = 0, n = static_cast<int32_t>(text.size()); i < n;) {
        const int32_t start = i;
        UChar32 c;
        U8_NEXT(bytes, i, n, c);
        f(c, text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    }
}

std::string exactKey(std::string_view name) {
    std::string out;
    bool space = false;
    forEachCodePoint(normalizedUtf8(nfkcCasefold(), name), [&](UChar32 c, std::string_view bytes) {
        if (c < 0 || u_isUWhiteSpace(c)) {
            space = !out.empty();
            return;
        }
        if (space) out += ' ';
        space = false;
        out.append(bytes);
    });
    return out;
}

std::string looseKey(std::string_view name) {
    // Case-fold first; then NFKD splits "é" into "e" + U+0301, and keeping
    // only letters and digits drops the accent.
    std::string out;
    forEachCodePoint(normalizedUtf8(nfkd(), normalizedUtf8(nfkcCasefold(), name)),
                     [&](UChar32 c, std::string_view bytes) {
                         if (c >= 0 && u_isalnum(c)) out.append(bytes);
                     });
    return out;
}

bool hasHan(std::string_view text) {
    bool found = false;
    forEachCodePoint(text, [&](UChar32 c, std::string_view) {
        UErrorCode status = U_ZERO_ERROR;
        found = found || (c >= 0 && uscript_getScript(c, &status) == USCRIPT_HAN);
    });
    return found;
}

Transliterator* transliteratorNew(const char* id) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> icu(icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !icu) return nullptr;
    return new Transliterator{std::move(icu)};
}

Transliterator* pinyinNew() { return transliteratorNew("Han-Latin/Names; Latin-ASCII"); }

void pinyinFree(Transliterator* transliterator) { delete transliterator; }

std::string pinyinOf(Transliterator* transliterator, std::string_view text) {
    icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    transliterator->icu->transliterate(unicode);
    std::string latin;
    unicode.toUTF8String(latin);
    return latin;
}

constexpr Part kPart{
    .version = kPartVersion,
    .exact_key = exactKey,
    .loose_key = looseKey,
    .has_han = hasHan,
    .pinyin_new = pinyinNew,
    .pinyin_free = pinyinFree,
    .pinyin_of = pinyinOf,
    .transliterator_new = transliteratorNew,
};

}  // namespace
}  // namespace jskill::contacts::unicode

extern "C" __attribute__((visibility("default"))) const jskill::contacts::unicode::Part* jskill_unicode_part() {
    return &jskill::contacts::unicode::kPart;
}
