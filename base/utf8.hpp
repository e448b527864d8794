#pragma once

#include <string_view>

namespace jskill {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values
// above U+10FFFF). Requests are checked before anything else reads them.
bool isValidUtf8(std::string_view text) noexcept;

}  // namespace jskill
