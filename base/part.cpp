#include "base/part.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <string_view>
#include <vector>

namespace jskill::parts {
namespace {

std::string directoryOf(std::string_view path) {
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string(".") : std::string(path.substr(0, slash));
}

}  // namespace

Loaded load(const std::string& what, const char* file, std::span<const char* const> dirs, const char* entry,
            const void* anchor, const std::function<const void*(void* entry)>& table_of) {
    std::vector<std::string> bases;
    Dl_info info{};
    if (dladdr(anchor, &info) != 0 && info.dli_fname) bases.push_back(directoryOf(info.dli_fname));
    char program[4096];
    if (const ssize_t n = ::readlink("/proc/self/exe", program, sizeof program); n > 0 && n < ssize_t(sizeof program))
        bases.push_back(directoryOf(std::string_view(program, static_cast<std::size_t>(n))));
    std::string problem = what + " (" + file + ") is not installed";
    for (const auto& base : bases) {
        for (const char* dir : dirs) {
            const std::string path = base + "/" + dir + "/" + file;
            if (::access(path.c_str(), F_OK) != 0) continue;
            void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
            if (!handle) {
                const char* why = ::dlerror();
                problem = "cannot load " + path + ": " + (why ? why : "unknown error");
                continue;
            }
            void* symbol = ::dlsym(handle, entry);
            if (const void* table = symbol ? table_of(symbol) : nullptr) return {const_cast<void*>(table), {}};
            problem = path + " is from another version of jami-skill";
            ::dlclose(handle);
        }
    }
    return {nullptr, problem};
}

}  // namespace jskill::parts
