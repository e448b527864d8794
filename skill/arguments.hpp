// Reading an action's arguments: a wrong type is refused, never coerced
// ({"volume":"loud"} is invalid_argument, not 0). Every action reads its
// arguments through these, so a dry run and the real request refuse alike.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace jskill {

// A string argument; absent or null is missing_slot when `required`, else "".
std::string stringArg(const nlohmann::json& args, const char* name, bool required = true);
// An optional number in [min, max]; `fallback` when absent. Throws
// invalid_argument for anything else.
double numberArg(const nlohmann::json& args, const char* name, double fallback, double min, double max);
// An optional true/false; anything else is refused, not coerced.
std::optional<bool> boolMember(const nlohmann::json& object, const char* name);
// An argument as a description shows it: the string, or "?" for anything
// else (descriptions are written before the arguments are checked).
inline std::string shownArg(const nlohmann::json& args, const char* name) {
    auto it = args.find(name);
    return it != args.end() && it->is_string() ? it->get<std::string>() : std::string("?");
}

// One argument an action reads, as its registry row declares it
// (skill/actions/registry.hpp): the dispatcher checks them all before the
// action runs, in a dry run too. Arguments no row names are ignored.
struct ArgSpec {
    enum class Kind { kText, kNumber, kBool, kTextList, kObject };
    const char* name = "";
    Kind kind = Kind::kText;
    bool required = false;
    double min = 0, max = 0;            // kNumber: the range
    std::vector<std::string> one_of{};  // kText: the only values allowed, when given
};
namespace arg {
constexpr bool kRequired = true;
inline ArgSpec text(const char* name, bool required = false) {
    return {.name = name, .kind = ArgSpec::Kind::kText, .required = required};
}
inline ArgSpec oneOf(const char* name, std::vector<std::string> values) {
    return {.name = name, .kind = ArgSpec::Kind::kText, .one_of = std::move(values)};
}
inline ArgSpec number(const char* name, double min, double max, bool required = false) {
    return {.name = name, .kind = ArgSpec::Kind::kNumber, .required = required, .min = min, .max = max};
}
inline ArgSpec flag(const char* name) { return {.name = name, .kind = ArgSpec::Kind::kBool}; }
inline ArgSpec texts(const char* name) { return {.name = name, .kind = ArgSpec::Kind::kTextList}; }
inline ArgSpec object(const char* name) { return {.name = name, .kind = ArgSpec::Kind::kObject}; }
}  // namespace arg

// Throws missing_slot for a required argument absent or null, and
// invalid_argument for a wrong type, a number out of range or a value not
// in `one_of`; the same words as the readers above.
void checkArguments(const std::vector<ArgSpec>& specs, const nlohmann::json& args);

}  // namespace jskill
