// Where the contact book is: the one file the skill reads and edits, found
// without reading more than the head of any candidate.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace jskill::contacts {

// Where the contact book is. A path the user named (the option, then
// $JAMI_SKILL_TOOLS) is taken as it is. Otherwise the OpenClaw/Clawdbot
// workspace ($OPENCLAW_WORKSPACE, $CLAWDBOT_WORKSPACE, ~/.openclaw/workspace,
// ~/clawd) is searched for TOOLS.md then AGENTS.md, and the current
// directory only when no workspace is configured or exists: a file in a
// cloned repository must not replace the user's contacts. A file found by
// searching counts only if it holds a Jami Configuration section.
struct ToolsFileLookup {
    std::optional<std::filesystem::path> path;
    std::string source;  // "option", "JAMI_SKILL_TOOLS", "OPENCLAW_WORKSPACE", "workspace", "current directory"
    // Without a section anywhere: the file a first `contact add` would create
    // the section in (the first TOOLS.md/AGENTS.md searched that exists).
    std::optional<std::filesystem::path> create_in;
};
ToolsFileLookup findToolsFile(const std::optional<std::string>& explicit_path);

}  // namespace jskill::contacts
