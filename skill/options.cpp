// SkillOptions from the options JSON of jami_skill_open(): every key
// type-checked, nothing coerced (skill/options.hpp).
#include "skill/options.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "skill/arguments.hpp"
#include "skill/policy.hpp"

namespace jskill {

using nlohmann::json;

SkillOptions SkillOptions::fromJson(const json& options) {
    SkillOptions out;
    if (options.is_null()) return out;
    if (!options.is_object()) throw Error(code::kInvalidArgument, "options must be a JSON object");
    if (auto it = options.find("tools_md"); it != options.end() && !it->is_null()) {
        if (!it->is_string()) throw Error(code::kInvalidArgument, "\"tools_md\" must be a string path");
        out.tools_md = it->get<std::string>();
    }
    if (auto it = options.find("bus"); it != options.end() && !it->is_null()) {
        if (!it->is_string()) throw Error(code::kInvalidArgument, "\"bus\" must be a D-Bus address string");
        out.bus = it->get<std::string>();
    }
    if (auto it = options.find("call_log"); it != options.end() && !it->is_null()) {
        if (!it->is_string() || it->get<std::string>().empty())
            throw Error(code::kInvalidArgument, "\"call_log\" must be a file path");
        out.call_log = it->get<std::string>();
    }
    for (auto [name, target] : {std::pair{"state_dir", &out.state_dir}, std::pair{"host", &out.host},
                                std::pair{"pulse_server", &out.pulse_server}, std::pair{"audio_dir", &out.audio_dir}}) {
        if (auto it = options.find(name); it != options.end() && !it->is_null()) {
            if (!it->is_string()) throw Error(code::kInvalidArgument, std::string("\"") + name + "\" must be a string");
            *target = it->get<std::string>();
        }
    }
    if (auto it = options.find("transcriber"); it != options.end() && !it->is_null()) {
        const bool argv = it->is_array() && !it->empty() && it->size() <= 64 &&
                          std::all_of(it->begin(), it->end(), [](const json& a) {
                              return a.is_string() && !a.get_ref<const std::string&>().empty();
                          });
        if (!argv)
            throw Error(code::kInvalidArgument, "\"transcriber\" must be a program and its arguments: [strings]",
                        "e.g. [\"whisper-cli\", \"-m\", \"model.bin\", \"-f\"]: the WAV file's path is added last");
        out.transcriber = it->get<std::vector<std::string>>();
    }
    if (auto it = options.find("policy_file"); it != options.end() && !it->is_null()) {
        if (!it->is_string()) throw Error(code::kInvalidArgument, "\"policy_file\" must be a string path");
        out.policy_file = it->get<std::string>();
    }
    if (auto it = options.find("policy"); it != options.end()) {
        policyFromJson(*it);  // validated here, at open
        out.policy = *it;
    }
    out.dry_run = boolMember(options, "dry_run").value_or(false);
    if (auto it = options.find("timeout_ms"); it != options.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<long long>() <= 0 || it->get<long long>() > 600000)
            throw Error(code::kInvalidArgument, "\"timeout_ms\" must be an integer from 1 to 600000");
        out.timeout = std::chrono::milliseconds(it->get<long long>());
    }
    return out;
}

}  // namespace jskill
