// Host (cli/host.hpp): one request through the ABI, and showing its result.
#include "cli/host.hpp"

#include "cli/output.hpp"
#include "cli/print.hpp"

namespace jamictl {

using nlohmann::json;

json Host::ask(const json& request) const {
    char* raw = plugin.handle(skill, dump(request).c_str());
    json result = json::parse(raw);
    plugin.free_string(raw);
    return result;
}

int Host::report(const std::string& action, const json& result) const {
    if (json_output)
        to_stdout << dump(result) << "\n";
    else if (result.value("ok", false))
        printResult(action, result);
    else
        printError(result);
    return result.value("ok", false) ? 0 : 1;
}

}  // namespace jamictl
