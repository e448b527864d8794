#include "config/name_keys.hpp"

#include <unordered_map>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

namespace jskill::config {
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

icu::UnicodeString normalized(const icu::Normalizer2* normalizer, const icu::UnicodeString& text) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString out = normalizer->normalize(text, status);
    return U_SUCCESS(status) ? out : text;
}

std::string toUtf8(const icu::UnicodeString& text) {
    std::string out;
    text.toUTF8String(out);
    return out;
}

// Keeps letters and digits (after removing combining marks): the loose key.
std::string lettersAndDigits(const icu::UnicodeString& text) {
    icu::UnicodeString kept;
    for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        UChar32 c = text.char32At(i);
        if (u_isalnum(c)) kept.append(c);
    }
    return toUtf8(kept);
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
    icu::UnicodeString folded = normalized(nfkcCasefold(), icu::UnicodeString::fromUTF8(name));
    icu::UnicodeString out;
    bool space = false;
    for (int32_t i = 0; i < folded.length(); i = folded.moveIndex32(i, 1)) {
        UChar32 c = folded.char32At(i);
        if (u_isUWhiteSpace(c)) {
            space = !out.isEmpty();
            continue;
        }
        if (space) out.append(UChar32(' '));
        space = false;
        out.append(c);
    }
    return toUtf8(out);
}

std::string looseKey(std::string_view name) {
    if (isAscii(name)) return asciiKey(name, true);
    // Case-fold first; then NFKD splits "é" into "e" + U+0301, and keeping
    // only letters and digits drops the accent.
    icu::UnicodeString folded = normalized(nfkcCasefold(), icu::UnicodeString::fromUTF8(name));
    return lettersAndDigits(normalized(nfkd(), folded));
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
    std::string key = looseKey(toUtf8(text));
    impl_->cache.emplace(std::string(name), key);
    return key;
}

}  // namespace jskill::config
