// Reading a request's arguments: a wrong type is refused, never coerced
// (skill/arguments.hpp).
#include "skill/arguments.hpp"

#include <algorithm>
#include <cmath>

#include "base/error.hpp"

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

void checkArguments(const std::vector<ArgSpec>& specs, const json& args) {
    for (const auto& spec : specs) {
        auto it = args.find(spec.name);
        const bool absent = it == args.end() || it->is_null();
        if (absent) {
            if (!spec.required) continue;
            std::string range;
            if (spec.kind == ArgSpec::Kind::kNumber)
                range = " (" + json(spec.min).dump() + " to " + json(spec.max).dump() + ")";
            throw Error(code::kMissingSlot, std::string("missing \"") + spec.name + "\"" + range);
        }
        const std::string quoted = std::string("\"") + spec.name + "\"";
        switch (spec.kind) {
        case ArgSpec::Kind::kText: {
            const std::string value = stringArg(args, spec.name, spec.required);
            if (spec.one_of.empty() || value.empty()) break;
            if (std::find(spec.one_of.begin(), spec.one_of.end(), value) != spec.one_of.end()) break;
            std::string allowed;
            for (const auto& v : spec.one_of) allowed += (allowed.empty() ? "\"" : " or \"") + v + "\"";
            throw Error(code::kInvalidArgument, quoted + " is " + allowed);
        }
        case ArgSpec::Kind::kNumber: numberArg(args, spec.name, 0, spec.min, spec.max); break;
        case ArgSpec::Kind::kBool: boolMember(args, spec.name); break;
        case ArgSpec::Kind::kTextList:
            if (!it->is_array() || !std::all_of(it->begin(), it->end(), [](const json& v) { return v.is_string(); }))
                throw Error(code::kInvalidArgument, quoted + " must be a list of strings");
            break;
        case ArgSpec::Kind::kObject:
            if (!it->is_object()) throw Error(code::kInvalidArgument, quoted + " must be an object");
            break;
        }
    }
}

}  // namespace jskill
