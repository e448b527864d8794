// A private folder per test case (removed after), and small helpers of the
// tests that drive the skill without a daemon.
#pragma once

#include <unistd.h>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "support/files.hpp"

namespace test {

// A bus address nothing listens on: a request the policy lets through
// answers daemon_unavailable; one refused before jamid answers its refusal.
inline const char* kNoBus = "unix:path=/nonexistent/jami-skill-test-bus";

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& name) {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("jskill-test-" + std::to_string(::getpid()) + "-" + name + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path write(const std::string& name, const std::string& text) const {
        writeFile(path / name, text);
        return path / name;
    }
    std::string read(const std::string& name) const { return readFile(path / name); }
};

// "ok", or the error code of a result.
inline std::string codeOf(const nlohmann::json& r) {
    return r.value("ok", false) ? "ok" : r["error"].value("code", "");
}

}  // namespace test
