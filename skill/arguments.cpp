// Reading a request's arguments: a wrong type is refused, never coerced
// (skill/arguments.hpp).
#include "skill/arguments.hpp"

#include <cmath>

#include "skill/error.hpp"

namespace jskill {

using nlohmann::json;

std::string stringArg(const json& args, const char* name, bool required) {
    auto it = args.find(name);
    if (it == args.end() || it->is_null()) {
        if (required) throw Error(code::kMissingSlot, std::string("missing \"") + name + "\"");
        return {};
    }
    if (!it->is_string()) throw Error(code::kInvalidArgument, std::string("\"") + name + "\" must be a string");
    return it->get<std::string>();
}

std::optional<bool> boolMember(const json& object, const char* name) {
    auto it = object.find(name);
    if (it == object.end() || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) throw Error(code::kInvalidArgument, std::string("\"") + name + "\" must be true or false");
    return it->get<bool>();
}

double numberArg(const json& args, const char* name, double fallback, double min, double max) {
    auto it = args.find(name);
    if (it == args.end() || it->is_null()) return fallback;
    // NaN passes every comparison: finite first.
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < min || it->get<double>() > max) {
        auto text = [](double v) { return nlohmann::json(v).dump(); };
        throw Error(code::kInvalidArgument,
                    std::string("\"") + name + "\" must be a number from " + text(min) + " to " + text(max));
    }
    return it->get<double>();
}

}  // namespace jskill
