// Chinese characters: two tables made from ICU at build time
// (intents/tools/han_tables.cpp), so nothing here needs ICU at run time.
#pragma once

#include <cstdint>

namespace jskill::intents {

// The Simplified form of a Traditional character (給 -> 给), else cp itself.
// Binary search over ~2,800 pairs.
char32_t foldHan(char32_t cp);

// An id of the character's toneless reading (点 and 电 are both "dian"); 0
// when it has none or is not a CJK unified ideograph. One array lookup.
std::uint16_t hanSyllable(char32_t cp);

}  // namespace jskill::intents
