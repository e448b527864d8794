// One request, typed once by the dispatcher: its strings checked, a
// sentence understood by the engine (intents/) and its {contact} resolved,
// or a structured action read. Actions read only the Request.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "skill/targets.hpp"

namespace jskill {

struct State;

struct Request {
    std::string action;
    nlohmann::json args = nlohmann::json::object();
    std::optional<Target> target;  // resolved before the action, for actions that reach a person
    bool dry_run = false;          // per request, or the whole skill opened dry
    bool confirmed = false;        // "confirmed": true (jamictl --yes): the user said yes
    std::string source;            // "text", "action", or "policy" (what the skill did by itself)
    std::string text;              // the sentence, for text
    nlohmann::json recognition;    // for text: intent, slots, language
    std::string reservation;       // the outbound ledger's, for call.start and message.send
};

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
