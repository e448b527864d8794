// The engine's part (part.hpp): the only code of the plugin that links RE2.
#include "intents/part/part.hpp"

#include "intents/engine.hpp"

namespace jskill::intents::part {
namespace {

Engine* engineNew() { return new Engine(Engine::builtin(Engine::Compile::WhenUsed)); }
void engineFree(Engine* engine) { delete engine; }
std::optional<Recognition> recognize(const Engine& engine, std::string_view text, const ContactIndex* contacts) {
    return engine.recognize(text, contacts);
}
std::vector<std::string> intentNames(const Engine& engine) { return engine.intentNames(); }
std::vector<std::string> languages(const Engine& engine) { return engine.languages(); }
std::vector<std::string> examples(const Engine& engine, const std::string& language) {
    return engine.examples(language);
}

constexpr Part kPart{kPartVersion, engineNew, engineFree, recognize, intentNames, languages, examples};

}  // namespace
}  // namespace jskill::intents::part

extern "C" __attribute__((visibility("default"))) const jskill::intents::part::Part* jskill_intents_part() {
    return &jskill::intents::part::kPart;
}
