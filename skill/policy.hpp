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

// The answering machine (docs/voice.md): whom it answers, when, and what it keeps.
struct AnsweringRules {
    bool on = false;                              // off by default: it answers calls meant for a person
    bool contacts = false;                        // the caller must be a contact
    std::optional<std::vector<std::string>> ids;  // ... and one of these canonical ids, when listed
    int after_seconds = 20;
    int max_seconds = 120;    // the longest message
    int kept = 50;            // messages kept in the state dir, the oldest removed first
    std::string greeting;     // "" = the default words; a .wav name = the host's audio folder
    std::string greeting_zh;  // for a contact whose name is Chinese; "" = the default Chinese words

    // Whether a caller is answered: the machine is on, and the caller passes
    // its rule and the book's "Contacts only" (a stranger is never answered then).
    bool answers(const std::string& peer, bool is_contact, bool contacts_only) const;
    nlohmann::json toJson() const;
};

struct Policy {
    bool contacts_only = true;           // reach TOOLS.md contacts only
    int max_concurrent_calls = 1;        // calls placed by the skill at once
    int max_call_seconds = 30 * 60;      // the skill hangs up after this
    int calls_per_hour = 10;             // calls placed, overall ...
    int calls_per_hour_per_contact = 4;  // ... and to one person
    int messages_per_minute = 10;        // messages sent, overall ...
    int messages_per_minute_per_contact = 5;
    std::vector<std::string> auto_answer;  // canonical ids answered without asking; none by default
    bool voice = false;        // speak in calls: takes over the daemon's microphone and speaker (skill/voice/)
    AnsweringRules answering;  // the answering machine; needs voice on too
    std::string owner;         // the contact the assistant works for ("- Owner: NAME"); "" = none

    nlohmann::json toJson() const;
};

// The strictest of the two: see the header comment.
Policy effectivePolicy(const contacts::PolicySettings& pinned, const contacts::PolicySettings& tools_md);

// Two strict readings merged (both pinned sources): each value the stricter.
contacts::PolicySettings stricter(const contacts::PolicySettings& a, const contacts::PolicySettings& b);

// The open option "policy": {"contacts_only": bool, "max_calls_at_once",
// "max_call_duration_s", "calls_per_hour", "calls_per_hour_per_contact",
// "messages_per_minute", "messages_per_minute_per_contact": integers,
// "auto_answer": [ids], "voice": bool, "answering_machine": "off" | "contacts"
// | [ids], "answer_after_s", "voicemail_max_s", "voicemails_kept": integers,
// "greeting", "greeting_zh", "owner": strings}. Throws Error{invalid_argument} naming the field.
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
