#include "cli/plugin_loader.hpp"

#include <dlfcn.h>
#include <link.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace jamictl {

namespace {
template <typename T>
bool resolve(void* library, const char* name, T& out, std::string& error) {
    out = reinterpret_cast<T>(dlsym(library, name));
    if (!out) error = std::string("the plugin lacks ") + name;
    return out != nullptr;
}
}  // namespace

namespace {

// The plugin beside this jamictl: <bin>/../lib in the build tree,
// <bin>/../<libdir> once installed (JAMICTL_PLUGIN_DIRS, from CMake), else
// the bare soname for the system's own search. By path rather than through
// a RUNPATH: a RUNPATH is searched first for every library jamictl needs
// (libstdc++, libc, ... each under four hwcaps subfolders), ~0.2 ms of every
// one-shot command for nothing (bench/jamid_bench.sh).
std::string pluginPath() {
    if (const char* custom = std::getenv("JAMI_SKILL_PLUGIN"); custom && *custom) return custom;
    constexpr const char* kSoname = "libjami-skill.so.1";
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self);
    if (n <= 0 || n >= static_cast<ssize_t>(sizeof self)) return kSoname;
    std::string bin(self, static_cast<std::size_t>(n));
    bin.erase(bin.rfind('/') + 1);
    std::string_view dirs = JAMICTL_PLUGIN_DIRS;  // "../lib:../lib/x86_64-linux-gnu"
    while (!dirs.empty()) {
        const auto colon = std::min(dirs.find(':'), dirs.size());
        const std::string candidate = bin + std::string(dirs.substr(0, colon)) + "/" + kSoname;
        if (::access(candidate.c_str(), F_OK) == 0) return candidate;
        dirs.remove_prefix(std::min(colon + 1, dirs.size()));
    }
    return kSoname;
}

}  // namespace

bool Plugin::load(std::string& error) {
    const std::string wanted = pluginPath();
    const char* name = wanted.c_str();
    // Lazy binding: a one-shot command calls a small part of the plugin and
    // of sdbus-c++, and binding every function of both at load costs ~0.2 ms
    // of each run (bench/jamid_bench.sh). A missing symbol is not a risk
    // left for later: the plugin is linked with --no-undefined against
    // sonamed libraries, and its ABI version is checked below.
    void* library = dlopen(name, RTLD_LAZY | RTLD_LOCAL);
    if (!library) {
        const char* why = dlerror();
        error = std::string("cannot load ") + name + ": " + (why ? why : "unknown error");
        return false;
    }
    link_map* map = nullptr;
    if (dlinfo(library, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name) path = map->l_name;
    if (!resolve(library, "jami_skill_abi_version", abi_version, error) ||
        !resolve(library, "jami_skill_open", open, error) || !resolve(library, "jami_skill_handle", handle, error) ||
        !resolve(library, "jami_skill_next_event", next_event, error) ||
        !resolve(library, "jami_skill_free_string", free_string, error) ||
        !resolve(library, "jami_skill_close", close, error))
        return false;
    if (abi_version() != JAMI_SKILL_ABI_VERSION) {
        error = "the plugin " + path + " speaks ABI " + std::to_string(abi_version()) + ", jamictl needs " +
                std::to_string(JAMI_SKILL_ABI_VERSION);
        return false;
    }
    return true;  // never dlclosed: the process ends soon after
}

}  // namespace jamictl
