#include "intents/src/han.hpp"

#include <algorithm>
#include <iterator>

namespace jskill::intents {
namespace {

struct HanFold {
    char32_t from, to;
};
constexpr HanFold kHanFold[] = {
#include "han_fold.inc"
};

#include "han_syllables.inc"

constexpr char32_t kFirstUnified = 0x4E00;

}  // namespace

char32_t foldHan(char32_t cp) {
    auto it = std::lower_bound(std::begin(kHanFold), std::end(kHanFold), cp,
                               [](const HanFold& f, char32_t c) { return f.from < c; });
    return it != std::end(kHanFold) && it->from == cp ? it->to : cp;
}

std::uint16_t hanSyllable(char32_t cp) {
    if (cp < kFirstUnified || cp - kFirstUnified >= std::size(kSyllableOf)) return 0;
    return kSyllableOf[cp - kFirstUnified];
}

}  // namespace jskill::intents
