// The engine and the language facts from YAML template files: tests,
// benchmarks and languages loaded at run time. Its own library
// (jami_skill_intents_yaml) so that only what reads YAML links yaml-cpp; the
// plugin's built-in languages come as data made at build time.
#include "intents/src/engine.hpp"
#include "intents/src/language.hpp"

namespace jskill::intents {

Engine::Engine(const std::vector<TemplateSource>& sources, Compile when) : Engine(sources, when, &loadFile) {}

LanguageFacts::LanguageFacts(const std::vector<TemplateSource>& sources) : LanguageFacts(sources, &loadFile) {}

}  // namespace jskill::intents
