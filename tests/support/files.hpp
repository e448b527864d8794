// Whole files in tests, one place: what a test writes before it runs the
// code under test, and reads back after. Deliberately not base/file_io
// (that is what several tests check).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace test {

// The whole file; "" when it cannot be opened (a comparison then fails).
inline std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Replaces the file with `text`, creating its folder.
inline void writeFile(const std::filesystem::path& path, const std::string& text) {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace test
