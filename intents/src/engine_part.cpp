#include "intents/engine_part.hpp"

#include "base/part.hpp"
#include "intents/part/part.hpp"

namespace jskill::intents {
namespace {

// Its address names the object this code is linked into (the plugin): the
// part is looked for beside it.
void anchor() {}

}  // namespace

EnginePart::EnginePart() = default;

EnginePart::~EnginePart() {
    if (engine_) part_->engine_free(engine_);
}

const Engine& EnginePart::engine() const {
    std::call_once(loaded_, [this] {
        const auto found =
            parts::loadTable<part::Part>("jami-skill's sentence engine", part::kPartFile, part::kPartDirs, part::kEntry,
                                         reinterpret_cast<const void*>(&anchor), part::kPartVersion);
        part_ = found.table;
        problem_ = found.problem;
        if (part_) engine_ = part_->engine_new();
    });
    if (!engine_) throw PartMissing(problem_);
    return *engine_;
}

std::optional<Recognition> EnginePart::recognize(std::string_view text, const ContactIndex* contacts) const {
    const Engine& e = engine();
    return part_->recognize(e, text, contacts);
}

std::vector<std::string> EnginePart::intentNames() const {
    const Engine& e = engine();
    return part_->intent_names(e);
}

std::vector<std::string> EnginePart::languages() const {
    const Engine& e = engine();
    return part_->languages(e);
}

std::vector<std::string> EnginePart::examples(const std::string& language) const {
    const Engine& e = engine();
    return part_->examples(e, language);
}

}  // namespace jskill::intents
