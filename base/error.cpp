#include "base/error.hpp"

namespace jskill {

Error::Error(std::string code, std::string message, std::string hint, nlohmann::json extra)
    : std::runtime_error(message), code_(std::move(code)), hint_(std::move(hint)), extra_(std::move(extra)) {}

nlohmann::json Error::toJson() const {
    nlohmann::json result = errorResult(code_, what(), hint_);
    if (extra_.is_object()) {
        for (auto it = extra_.begin(); it != extra_.end(); ++it) result[it.key()] = it.value();
    }
    return result;
}

nlohmann::json errorResult(const std::string& code, const std::string& message, const std::string& hint) {
    nlohmann::json error{{"code", code}, {"message", message}};
    if (!hint.empty()) error["hint"] = hint;
    return {{"ok", false}, {"error", std::move(error)}};
}

}  // namespace jskill
