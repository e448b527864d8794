// One request as the dispatcher typed it (skill/read_request.hpp) and as
// the actions, the audit log and the dry-run plan read it: data only.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "skill/targets.hpp"

namespace jskill {

struct Request {
    std::string action;
    nlohmann::json args = nlohmann::json::object();
    std::optional<Target> target;  // resolved before the action (a sentence's {contact}, or Whom::kContact)
    std::string contact_name;      // Whom::kNameAsWritten: the contact an edit is about, as written
    bool dry_run = false;          // per request, or the whole skill opened dry
    bool confirmed = false;        // "confirmed": true (jamictl --yes): the user said yes
    std::string source;            // "text", "action", or "policy" (what the skill did by itself)
    std::string text;              // the sentence, for text
    nlohmann::json recognition;    // for text: intent, slots, language
    std::string reservation;       // the outbound ledger's, for call.start and message.send
};

}  // namespace jskill
