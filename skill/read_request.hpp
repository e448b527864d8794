// Reading a request: the host's JSON checked (strings without NUL,
// controls or bidi overrides; internal keys refused) and typed once, a
// sentence understood by the engine (intents/) and its {contact} resolved.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "skill/request.hpp"

namespace jskill {

struct State;

// The host's JSON as a Request. Throws Error (invalid_argument, no_intent,
// unknown_contact, ...).
Request typedRequest(State& state, const nlohmann::json& request);

// A sentence understood: its recognition and, for a {contact} slot, the
// resolved target. Throws no_intent, unknown_contact, ambiguous_contact.
struct Understood {
    nlohmann::json recognition;
    std::optional<Target> target;
};
Understood parseText(State& state, const std::string& text);

}  // namespace jskill
