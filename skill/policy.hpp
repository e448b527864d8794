// Who the skill may reach, and how much: the one owner of these rules.
//
// Two sources, merged so that the agent's workspace can only tighten:
//   pinned   what the user set outside the agent's workspace: the open
//            option "policy" (the OpenClaw plugin's config) and the policy
//            file ("policy_file", $JAMI_SKILL_POLICY, else
//            $XDG_CONFIG_HOME/jami-skill/policy.md), in TOOLS.md's syntax
//   TOOLS.md the Jami Configuration section of the contact book
// A value pinned wins over a looser one in TOOLS.md; what neither says takes
// the safe default below. A contact book that is empty, unreadable, missing
// or without its section says nothing, so it can never loosen anything.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contacts/tools_md.hpp"

namespace jskill {

struct Policy {
    bool contacts_only = true;           // reach TOOLS.md contacts only
    int max_concurrent_calls = 1;        // calls placed by the skill at once
    int max_call_seconds = 30 * 60;      // the skill hangs up after this
    int calls_per_hour = 10;             // calls placed, overall ...
    int calls_per_hour_per_contact = 4;  // ... and to one person
    int messages_per_minute = 10;        // messages sent, overall ...
    int messages_per_minute_per_contact = 5;
    std::vector<std::string> auto_answer;  // canonical ids answered without asking; none by default
    bool voice = false;  // speak in calls: takes over the daemon's microphone and speaker (skill/voice/)

    nlohmann::json toJson() const;
};

// The strictest of the two: see the header comment.
Policy effectivePolicy(const contacts::PolicySettings& pinned, const contacts::PolicySettings& tools_md);

// Two strict readings merged (both pinned sources): each value the stricter.
contacts::PolicySettings stricter(const contacts::PolicySettings& a, const contacts::PolicySettings& b);

// The open option "policy": {"contacts_only": bool, "max_calls_at_once",
// "max_call_duration_s", "calls_per_hour", "calls_per_hour_per_contact",
// "messages_per_minute", "messages_per_minute_per_contact": integers,
// "auto_answer": [ids], "voice": bool}. Throws Error{invalid_argument} naming the field.
contacts::PolicySettings policyFromJson(const nlohmann::json& policy);

// The pinned policy file, if any: where it is and what it says.
struct PinnedPolicyFile {
    std::string path;      // "" when none is configured or exists
    bool readable = true;  // false: it exists but cannot be read (reaching anyone is then refused)
    contacts::PolicySettings settings;
    std::vector<contacts::Problem> problems;
};
PinnedPolicyFile readPinnedPolicy(const std::optional<std::string>& explicit_path);

// Two contact ids name the same party (contacts::canonicalId on both).
bool sameParty(const std::string& a, const std::string& b);

}  // namespace jskill
