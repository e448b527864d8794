// Reading an action's arguments: a wrong type is refused, never coerced
// ({"volume":"loud"} is invalid_argument, not 0). Every action reads its
// arguments through these, so a dry run and the real request refuse alike.
#pragma once

#include <optional>
#include <string>

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

}  // namespace jskill
