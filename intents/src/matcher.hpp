// Steps 3 and 4 of the pipeline: one sentence against compiled languages.
// Normalize, trim skip words, mark the contact names the prefilter finds,
// match every template at once (RE2::Set), read the slots of the hits and
// rank them (docs/intents.md, "How a sentence is matched").
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "intents/src/compiler.hpp"

namespace jskill::intents {

std::optional<Recognition> recognizeIn(const std::vector<const CompiledLanguage*>& languages, std::string_view source,
                                       const ContactIndex* contacts);

}  // namespace jskill::intents
