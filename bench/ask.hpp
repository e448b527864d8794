// One request through the C ABI, for the benches that drive an open skill.
#pragma once

#include <nlohmann/json.hpp>

#include "jami_skill.h"

inline nlohmann::json ask(jami_skill* skill, const nlohmann::json& request) {
    char* raw = jami_skill_handle(skill, request.dump().c_str());
    nlohmann::json out = nlohmann::json::parse(raw);
    jami_skill_free_string(raw);
    return out;
}
