#include "contacts/name_keys.hpp"

#include <unordered_map>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

namespace jskill::contacts {
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

bool isAscii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

// ASCII is its own NFKC form and folds by tolower: most names skip ICU.
std::string asciiKey(std::string_view name, bool loose) {
    std::string out;
    out.reserve(name.size());
    bool space = false;
    for (unsigned char c : name) {
        if (c == ' ' || (c >= '\t' && c <= '\r')) {
            space = !out.empty();
            continue;
        }
        const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (loose && !alnum) continue;
        if (space && !loose) out += ' ';
        space = false;
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    return out;
}

}  // namespace

std::string exactKey(std::string_view name) {
    if (isAscii(name)) return asciiKey(name, false);
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
    if (isAscii(name)) return asciiKey(name, true);
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
    if (isAscii(text)) return false;
    for (int32_t i = 0, n = static_cast<int32_t>(text.size()); i < n;) {
        UChar32 c;
        U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, n, c);
        if (c < 0) continue;
        UErrorCode status = U_ZERO_ERROR;
        if (uscript_getScript(c, &status) == USCRIPT_HAN) return true;
    }
    return false;
}

struct PinyinKeys::Impl {
    std::unique_ptr<icu::Transliterator> transliterator;
    bool unavailable = false;
    std::unordered_map<std::string, std::string> cache;
};

PinyinKeys::PinyinKeys() : impl_(std::make_unique<Impl>()) {}
PinyinKeys::~PinyinKeys() = default;

std::size_t PinyinKeys::size() {
    std::lock_guard lock(mutex_);
    return impl_->cache.size();
}

std::string PinyinKeys::of(std::string_view name) {
    if (!hasHan(name)) return {};
    std::lock_guard lock(mutex_);
    if (auto it = impl_->cache.find(std::string(name)); it != impl_->cache.end()) return it->second;
    if (!impl_->transliterator && !impl_->unavailable) {
        UErrorCode status = U_ZERO_ERROR;
        impl_->transliterator.reset(
            icu::Transliterator::createInstance("Han-Latin/Names; Latin-ASCII", UTRANS_FORWARD, status));
        if (U_FAILURE(status)) impl_->transliterator.reset();
        impl_->unavailable = !impl_->transliterator;
    }
    if (impl_->unavailable) return {};
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(name);
    impl_->transliterator->transliterate(text);
    std::string latin;
    text.toUTF8String(latin);
    std::string key = looseKey(latin);
    // Bounded: distinct queries would grow it forever. Past the bound it
    // starts over (a 10,000-contact book is re-read into it in ~0.4 s).
    if (impl_->cache.size() >= kMaxCached) impl_->cache.clear();
    impl_->cache.emplace(std::string(name), key);
    return key;
}

bool hasControlOrBidi(std::string_view text, bool allow_line_breaks) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f) {
            if (allow_line_breaks && (c == '\t' || c == '\n' || c == '\r')) continue;
            return true;
        }
        if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0) return true;
        if (c == 0xE2 && i + 2 < text.size()) {
            const auto b = static_cast<unsigned char>(text[i + 1]), d = static_cast<unsigned char>(text[i + 2]);
            // U+2028/U+2029, the line and paragraph separators: a reader of
            // TOOLS.md (a person, a model) sees a new list item there.
            if (b == 0x80 && (d == 0xA8 || d == 0xA9)) {
                if (allow_line_breaks) continue;
                return true;
            }
            if ((b == 0x80 && (d == 0x8E || d == 0x8F || (d >= 0xAA && d <= 0xAE))) ||
                (b == 0x81 && d >= 0xA6 && d <= 0xA9))
                return true;
        }
    }
    return false;
}

}  // namespace jskill::contacts
