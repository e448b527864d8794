// The engine and the language facts from YAML template files: tests,
// benchmarks and languages loaded at run time. Its own library
// (jami_skill_intents_yaml) so that only what reads YAML links yaml-cpp; the
// plugin's built-in languages come as data made at build time.
#include "intents/yaml.hpp"

#include "intents/src/language.hpp"

namespace jskill::intents {

Engine engineFromYaml(const std::vector<TemplateSource>& sources, Engine::Compile when) {
    return Engine(sources, when, &loadFile);
}

LanguageFacts languageFactsFromYaml(const std::vector<TemplateSource>& sources) {
    return LanguageFacts(sources, &loadFile);
}

}  // namespace jskill::intents
