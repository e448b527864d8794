// Templates from YAML: the engine and the language facts from template
// files (tests, benchmarks, the fuzzer, languages given at run time). Its
// own library (jami_skill_intents_yaml), the only part that links yaml-cpp:
// the plugin's built-in languages come as data made at build time.
#pragma once

#include <vector>

#include "intents/engine.hpp"

namespace jskill::intents {

// The templates built into the library, as their YAML text (embedded at
// build time).
const std::vector<TemplateSource>& builtinTemplates();

// Throw LoadError naming file:line for malformed templates (the engine:
// with Compile::Now; else at the first sentence).
Engine engineFromYaml(const std::vector<TemplateSource>& sources, Engine::Compile when = Engine::Compile::Now);
LanguageFacts languageFactsFromYaml(const std::vector<TemplateSource>& sources);

}  // namespace jskill::intents
