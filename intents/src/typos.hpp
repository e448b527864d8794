// Step 5 of the pipeline, only when a sentence meant nothing: a keyword typo
// ("cal mom", "hnag up", "sned bob hi") or an IME homophone ("打点话",
// "挂段"). Each reading replaces one word (one character in a compact
// language) that the language does not know with a template keyword:
//  - spaced languages: a keyword one edit away (insertion, deletion,
//    substitution or swap of neighbours), for words of 3 letters or more;
//  - compact languages: a keyword character with the same toneless reading
//    (han.hpp), for characters no template uses.
// Contact names the prefilter finds are never touched. The matcher keeps a
// reading only when it is the one reading understood and none of them is a
// not_command (docs/intents.md, "Typos").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "intents/src/compiler.hpp"

namespace jskill::intents {

struct TypoReading {
    std::string source;  // the sentence with one word replaced
    std::string typo, keyword;
};

std::vector<TypoReading> typoReadings(const CompiledLanguage& language, std::string_view source,
                                      const ContactIndex* contacts);

}  // namespace jskill::intents
