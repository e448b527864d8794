// jamictl talks to the skill only through the C ABI, loaded with dlopen like
// any other host would (dogfooding the ABI).
#pragma once

#include <string>

#include "jami_skill.h"

namespace jamictl {

struct Plugin {
    uint32_t (*abi_version)(void) = nullptr;
    jami_skill* (*open)(const char*, char**) = nullptr;
    char* (*handle)(jami_skill*, const char*) = nullptr;
    char* (*next_event)(jami_skill*, int) = nullptr;
    void (*free_string)(char*) = nullptr;
    void (*close)(jami_skill*) = nullptr;
    std::string path;  // what was loaded

    // $JAMI_SKILL_PLUGIN, else libjami-skill.so.1 beside this jamictl (in
    // ../lib or ../<libdir>), else wherever the system finds it.
    // Returns false with `error` set when it cannot be loaded or is of
    // another ABI version.
    bool load(std::string& error);
};

}  // namespace jamictl
