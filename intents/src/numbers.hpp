#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jskill::intents {

// "50", "fifty", "fifty-five", "a hundred", "max", "五十", "一百", "十五" -> value.
// Returns nullopt for anything else (the template then does not match).
std::optional<int> parseNumber(std::string_view text);

// A regular expression for English number phrases made only of number words
// ("fifty five", "a hundred"), so that "twenty percent" leaves "percent" to
// the template.
const std::string& englishNumberPattern();

}  // namespace jskill::intents
