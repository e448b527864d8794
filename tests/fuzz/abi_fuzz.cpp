// libFuzzer: any bytes as a request to the C ABI, on a dry-run skill and on
// one whose bus does not exist. Every result must be a JSON object with a
// boolean "ok", and no input may produce internal_error (a bug by
// definition): either aborts.
#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "jami_skill.h"

namespace {

struct Skills {
    jami_skill* dry = nullptr;
    jami_skill* live = nullptr;
    Skills() {
        const auto dir = std::filesystem::temp_directory_path() / ("jskill-abi-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "TOOLS.md")
            << "## Jami Configuration\n- Contacts:\n  - Mom (妈妈): 1111111111111111111111111111111111111111\n"
               "  - Bob Smith: sip:bob@198.18.0.1\n";
        const nlohmann::json common{{"tools_md", (dir / "TOOLS.md").string()},
                                    {"state_dir", (dir / "state").string()},
                                    {"bus", "unix:path=/nonexistent/jami-skill-fuzz"}};
        nlohmann::json dry_options = common;
        dry_options["dry_run"] = true;
        dry = jami_skill_open(dry_options.dump().c_str(), nullptr);
        live = jami_skill_open(common.dump().c_str(), nullptr);
        if (!dry || !live) std::abort();
    }
};

void check(char* raw) {
    if (!raw) std::abort();
    auto result = nlohmann::json::parse(raw, nullptr, false);
    jami_skill_free_string(raw);
    if (result.is_discarded() || !result.is_object() || !result["ok"].is_boolean()) std::abort();
    if (!result["ok"].get<bool>() && result["error"].value("code", "") == "internal_error") std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Skills skills;
    const std::string request(reinterpret_cast<const char*>(data), size);  // NUL-terminated copy
    check(jami_skill_handle(skills.dry, request.c_str()));
    // The live handle would write its audit log and ledger for effectful
    // requests; confirmed edits would change the seed TOOLS.md: both fine.
    check(jami_skill_handle(skills.live, request.c_str()));
    return 0;
}
