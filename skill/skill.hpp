// The skill: one object per jami_skill handle. Turns requests (natural text
// or structured actions) into results, applying contact resolution and
// talking to jamid through the Jamid interface (skill/jamid/jamid.hpp).
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "skill/options.hpp"

namespace jskill {

// What the parts of the skill share (skill/state.hpp); the actions see that,
// never this facade.
struct State;
class AnsweringMachine;

class Skill {
public:
    // Reads the pinned policy and checks the contact book (compiles nothing,
    // connects to nothing: both wait for the first request that needs them).
    // Throws Error.
    explicit Skill(SkillOptions options);
    ~Skill();
    Skill(const Skill&) = delete;
    Skill& operator=(const Skill&) = delete;

    // Thread-safe. Throws Error for failures the caller maps to results.
    nlohmann::json handle(const nlohmann::json& request);
    // The next event for the host; a ringing call it takes may be taken by
    // the answering machine (skill/answering_machine.hpp).
    std::optional<nlohmann::json> nextEvent(std::chrono::milliseconds timeout);

private:
    std::unique_ptr<State> state_;
    // Answers callers while a host takes events; its thread uses the state,
    // so it is stopped first.
    std::unique_ptr<AnsweringMachine> answering_;
};

}  // namespace jskill
