// One example sentence per template, for `help` and hints: the first
// alternative of every group, no optional part, a sample value per slot.
#pragma once

#include <string>
#include <string_view>

#include "intents/src/language.hpp"

namespace jskill::intents {

std::string renderExample(std::string_view text, const LanguageData& data, int depth = 0);

}  // namespace jskill::intents
