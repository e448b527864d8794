// The engine's part: the built-in sentence engine (intents/engine.hpp) and
// RE2 behind one shared object of their own, which intents/src/
// engine_part.cpp loads on the first sentence (intents/engine_part.hpp).
//
// Why a part apart: RE2 is a library bound at load time that costs every
// process linking it its mapping and relocation (~3% of a one-shot
// `jamictl account list`, bench/jamid_bench.sh), and only a sentence needs
// it: structured actions, the host's events and the contact book never do.
// Only this header is shared between the two sides; both are built from one
// tree with one compiler, so the table may speak C++ (std::string,
// Recognition, ContactIndex, LoadError) across the boundary. The part has
// its own copy of the intents code: a ContactIndex built by the loader is
// read by the part's copy of the same class.
//
// Ownership: the table is static data of the part, valid until the process
// ends (the part is never unloaded). An engine is owned by its caller: made
// by engine_new, released by engine_free. Threads: every entry is as
// thread-safe as the Engine method it calls (all are).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intents/types.hpp"

namespace jskill::intents {
class Engine;
}

namespace jskill::intents::part {

// Raised whenever an entry is added, removed or changes meaning: a part of
// another version is refused rather than called wrongly.
inline constexpr int kPartVersion = 1;

// Where the part is, from the directory of the object that loads it: beside
// it (the installed library in <libdir>, the part in <libdir>/jami-skill/),
// or in lib/jami-skill/ of the build tree for its test programs.
inline constexpr const char* kPartFile = "libjami-skill-intents.so";
inline constexpr const char* kPartDirs[] = {"jami-skill", "../lib/jami-skill"};
// The part's only exported symbol: extern "C" const Part* jskill_intents_part(),
// called by parts::loadTable.
inline constexpr const char* kEntry = "jskill_intents_part";

struct Part {
    int version;
    // Engine::builtin(Compile::WhenUsed): the built-in languages, each
    // compiled as its sentences need.
    Engine* (*engine_new)();
    void (*engine_free)(Engine*);
    // The Engine methods of the same names. recognize throws LoadError.
    std::optional<Recognition> (*recognize)(const Engine&, std::string_view text, const ContactIndex* contacts);
    std::vector<std::string> (*intent_names)(const Engine&);
    std::vector<std::string> (*languages)(const Engine&);
    std::vector<std::string> (*examples)(const Engine&, const std::string& language);
};

}  // namespace jskill::intents::part
