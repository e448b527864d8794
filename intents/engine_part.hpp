// The built-in sentence engine, loaded on the first sentence: the door into
// intents/ for the plugin. It answers as intents::Engine::builtin(WhenUsed)
// would (engine.hpp), but the engine and RE2 live in the engine's part
// (intents/part/part.hpp says why), which the first call here loads; a
// process that never reads a sentence maps neither.
//
// Cost: constructing one loads nothing. The first call loads the part
// (a dlopen, ~0.5 ms with RE2) and makes the engine (no template compiled:
// that is recognize's, per language and sentence). Threads: every method is
// thread-safe; the part is loaded once however many ask at once.
#pragma once

#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "intents/types.hpp"

namespace jskill::intents {

class Engine;
namespace part {
struct Part;
}

// The part cannot be loaded (not installed, or from another build): the
// message says which file and why.
class PartMissing : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class EnginePart {
public:
    EnginePart();
    ~EnginePart();
    EnginePart(const EnginePart&) = delete;
    EnginePart& operator=(const EnginePart&) = delete;

    // Engine's methods of the same names. Each throws PartMissing when the
    // part cannot be loaded; recognize also throws LoadError (engine.hpp).
    std::optional<Recognition> recognize(std::string_view text, const ContactIndex* contacts = nullptr) const;
    std::vector<std::string> intentNames() const;
    std::vector<std::string> languages() const;
    std::vector<std::string> examples(const std::string& language) const;

private:
    // The part and the engine it made, loaded and made once.
    const Engine& engine() const;
    mutable std::once_flag loaded_;
    mutable const part::Part* part_ = nullptr;
    mutable Engine* engine_ = nullptr;
    mutable std::string problem_;  // why part_ is null
};

}  // namespace jskill::intents
