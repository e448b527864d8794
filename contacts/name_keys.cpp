#include "contacts/name_keys.hpp"

#include <unordered_map>
#include <vector>

#include "base/part.hpp"
#include "contacts/unicode/unicode_part.hpp"

namespace jskill::contacts {
namespace {

using LoadedPart = parts::LoadedTable<unicode::Part>;

LoadedPart loadPart() {
    return parts::loadTable<unicode::Part>("jami-skill's Unicode part", unicode::kPartFile, unicode::kPartDirs,
                                           unicode::kEntry, reinterpret_cast<const void*>(&loadPart),
                                           unicode::kPartVersion);
}

// Loaded once per process, on the first name that is not all ASCII, and
// never unloaded: immutable afterwards, like ICU's own data it wraps.
const LoadedPart& unicodePart() {
    static const LoadedPart loaded = loadPart();
    return loaded;
}

bool isAscii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

// ASCII is its own NFKC form and folds by tolower: most names skip ICU.
// Without the Unicode part other bytes are kept as they are (see
// unicodeProblem: a book then refuses such names).
std::string asciiKey(std::string_view name, bool loose) {
    std::string out;
    out.reserve(name.size());
    bool space = false;
    for (unsigned char c : name) {
        if (c == ' ' || (c >= '\t' && c <= '\r')) {
            space = !out.empty();
            continue;
        }
        const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
        if (loose && !alnum) continue;
        if (space && !loose) out += ' ';
        space = false;
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    return out;
}

}  // namespace

std::string unicodeProblem() {
    const auto& loaded = unicodePart();
    return loaded.table ? std::string() : loaded.problem;
}

std::string exactKey(std::string_view name) {
    if (isAscii(name)) return asciiKey(name, false);
    const auto* part = unicodePart().table;
    return part ? part->exact_key(name) : asciiKey(name, false);
}

std::string looseKey(std::string_view name) {
    if (isAscii(name)) return asciiKey(name, true);
    const auto* part = unicodePart().table;
    return part ? part->loose_key(name) : asciiKey(name, true);
}

bool hasHan(std::string_view text) {
    if (isAscii(text)) return false;
    const auto* part = unicodePart().table;
    return part && part->has_han(text);
}

struct Transliteration::Impl {
    std::string id;
    const unicode::Part* part = nullptr;
    unicode::Transliterator* transliterator = nullptr;
    bool tried = false;
    ~Impl() {
        if (transliterator) part->pinyin_free(transliterator);
    }
    bool ready() {
        if (!tried) {
            tried = true;
            part = unicodePart().table;
            if (part) transliterator = part->transliterator_new(id.c_str());
        }
        return transliterator != nullptr;
    }
};

Transliteration::Transliteration(std::string id) : impl_(std::make_unique<Impl>()) { impl_->id = std::move(id); }
Transliteration::~Transliteration() = default;

bool Transliteration::available() {
    std::lock_guard lock(mutex_);
    return impl_->ready();
}

std::string Transliteration::of(std::string_view text) {
    std::lock_guard lock(mutex_);
    if (!impl_->ready()) return {};
    return impl_->part->pinyin_of(impl_->transliterator, text);
}

struct PinyinKeys::Impl {
    const unicode::Part* part = nullptr;
    unicode::Transliterator* transliterator = nullptr;
    bool unavailable = false;
    std::unordered_map<std::string, std::string> cache;
    ~Impl() {
        if (transliterator) part->pinyin_free(transliterator);
    }
};

PinyinKeys::PinyinKeys() : impl_(std::make_unique<Impl>()) {}
PinyinKeys::~PinyinKeys() = default;

std::size_t PinyinKeys::size() {
    std::lock_guard lock(mutex_);
    return impl_->cache.size();
}

std::string PinyinKeys::of(std::string_view name) {
    if (!hasHan(name)) return {};  // hasHan true: the part is loaded
    std::lock_guard lock(mutex_);
    if (auto it = impl_->cache.find(std::string(name)); it != impl_->cache.end()) return it->second;
    if (!impl_->transliterator && !impl_->unavailable) {
        impl_->part = unicodePart().table;
        impl_->transliterator = impl_->part->pinyin_new();
        impl_->unavailable = !impl_->transliterator;
    }
    if (impl_->unavailable) return {};
    std::string key = looseKey(impl_->part->pinyin_of(impl_->transliterator, name));
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
