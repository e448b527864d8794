#include "skill/jsonl_file.hpp"

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

#include "config/tools_md.hpp"

namespace jskill {

using nlohmann::json;

namespace {

// The lines of a file, without their line endings.
std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        auto end = text.find('\n');
        out.push_back(text.substr(0, end));
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    }
    return out;
}

}  // namespace

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::filesystem::path defaultStateDir() {
    std::filesystem::path base;
    if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) base = state;
    else if (const char* home = std::getenv("HOME"); home && *home) base = std::filesystem::path(home) / ".local" / "state";
    else base = std::filesystem::temp_directory_path();
    return base / "jami-skill";
}

std::vector<json> JsonlFile::parse(const std::string& text) const {
    std::vector<json> out;
    for (auto line : lines(text)) {
        auto j = json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.is_object()) out.push_back(std::move(j));
    }
    return out;
}

std::vector<json> JsonlFile::records() const {
    auto text = config::readWholeFile(path_);
    return text ? parse(*text) : std::vector<json>{};
}

void JsonlFile::forEachNewestFirst(const std::function<bool(const json&)>& f) const {
    auto all = records();
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        if (!f(*it)) return;
}

void JsonlFile::appendLocked(const std::string& line) const {
    int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot write " + path_.string());
    const auto written = ::write(fd, line.data(), line.size());
    ::close(fd);
    if (written != static_cast<ssize_t>(line.size())) throw std::runtime_error("cannot write " + path_.string());
}

void JsonlFile::compactIfLarge() const {
    std::error_code ec;
    if (std::filesystem::file_size(path_, ec) <= compact_above_ || ec) return;
    const std::size_t keep = compact_above_ / 2;
    config::editFileAtomically(path_, [keep](const std::string& text) {
        const auto all = lines(text);
        std::size_t first = all.size(), bytes = 0;
        while (first > 0 && bytes + all[first - 1].size() + 1 <= keep) bytes += all[--first].size() + 1;
        std::string kept;
        for (std::size_t i = first; i < all.size(); ++i) kept.append(all[i]).push_back('\n');
        return kept;
    });
}

void JsonlFile::append(const json& record) const {
    std::filesystem::create_directories(path_.parent_path());
    const std::string line = record.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    config::withFileLock(path_, [&] { appendLocked(line); });
    compactIfLarge();
}

void JsonlFile::appendUnderLock(const std::function<json(const std::vector<json>&)>& decide) const {
    std::filesystem::create_directories(path_.parent_path());
    config::withFileLock(path_, [&] {
        json record = decide(records());
        if (!record.is_null()) appendLocked(record.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
    });
    compactIfLarge();
}

}  // namespace jskill
