// Where the contact book is (contacts/locate.hpp).
#include "contacts/locate.hpp"

#include <cstdlib>
#include <fstream>
#include <utility>
#include <vector>

#include "contacts/tools_md.hpp"

namespace jskill::contacts {

namespace {
// Only the first 64 KiB are looked at: a section heading is near the top of
// any real TOOLS.md, and a search must not read a huge file.
bool hasJamiSection(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::string head(64 * 1024, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return parseJamiConfig(head).section_found;
}
}  // namespace

ToolsFileLookup findToolsFile(const std::optional<std::string>& explicit_path) {
    namespace fs = std::filesystem;
    if (explicit_path && !explicit_path->empty()) return {fs::path(*explicit_path), "option", std::nullopt};
    if (const char* env = std::getenv("JAMI_SKILL_TOOLS"); env && *env)
        return {fs::path(env), "JAMI_SKILL_TOOLS", std::nullopt};

    std::vector<std::pair<fs::path, std::string>> dirs;
    std::error_code ec;
    for (const char* var : {"OPENCLAW_WORKSPACE", "CLAWDBOT_WORKSPACE"}) {
        if (const char* env = std::getenv(var); env && *env) dirs.emplace_back(env, var);
    }
    if (const char* home = std::getenv("HOME"); home && *home) {
        for (auto dir : {fs::path(home) / ".openclaw" / "workspace", fs::path(home) / "clawd"})
            if (fs::is_directory(dir, ec)) dirs.emplace_back(dir, "workspace");
    }
    if (dirs.empty()) dirs.emplace_back(fs::current_path(ec), "current directory");
    ToolsFileLookup found;
    for (const auto& [dir, source] : dirs) {
        for (const char* name : {"TOOLS.md", "AGENTS.md"}) {
            auto candidate = dir / name;
            if (!fs::is_regular_file(candidate, ec)) continue;
            if (hasJamiSection(candidate)) return {candidate, source, std::nullopt};
            if (!found.create_in) found.create_in = candidate;
        }
    }
    return found;
}

}  // namespace jskill::contacts
