// How a skill is opened: from the options JSON of jami_skill_open(), or
// given directly by C++ hosts and tests (skill/skill.hpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "skill/jamid/jamid.hpp"

namespace jskill {

struct SkillOptions {
    std::optional<std::string> tools_md;  // explicit TOOLS.md / AGENTS.md path
    std::string bus;                      // D-Bus address; empty = session bus
    bool dry_run = false;
    std::chrono::milliseconds timeout{10000};
    std::string call_log;   // JSONL call history; empty = <state_dir>/calls.jsonl
    std::string state_dir;  // audit log, outbound ledger; empty = the call log's folder, else ~/.local/state/jami-skill
    std::string host;       // who is asking, for the audit log ("jamictl", "openclaw", ...)
    std::string pulse_server;  // the sound server jamid uses (PULSE_SERVER form); empty = the default one
    std::string audio_dir;     // where a host's own speech files are (call.start say_audio); empty = none accepted
    // A voicemail's transcriber: a program and its arguments, run with the
    // WAV file's path added last; its standard output is the transcript.
    // Empty = none (the event says so).
    std::vector<std::string> transcriber;
    nlohmann::json policy;  // the pinned policy (skill/policy.hpp); null = none
    std::optional<std::string>
        policy_file;  // the pinned policy file; default $JAMI_SKILL_POLICY, ~/.config/jami-skill/policy.md
    // How to reach jamid; empty = JamidClient on D-Bus. C++ only (tests give
    // an in-memory jamid here); not an option of the C ABI.
    JamidFactory jamid_factory;

    // From the options JSON of jami_skill_open(); throws Error on bad input.
    static SkillOptions fromJson(const nlohmann::json& options);
};

}  // namespace jskill
