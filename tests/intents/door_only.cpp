// A program that links only the engine (jami_skill_intents: no YAML, no
// skill) and uses it through its one door, intents/engine.hpp: what a host
// embedding the recogniser alone would do. Exits 0 when "call Bob" is a
// call.start with the contact Bob.
#include <cstdio>

#include "intents/engine.hpp"

int main() {
    const auto engine = jskill::intents::Engine::builtin();
    const auto r = engine.recognize("call Bob");
    const bool ok = r && r->intent == "call.start" && r->slots.value("contact", "") == "Bob";
    std::printf("%s\n", ok ? "call Bob -> call.start {contact: Bob}" : "call Bob was not understood");
    return ok ? 0 : 1;
}
