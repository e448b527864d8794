#include "base/jsonl_file.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <stdexcept>

#include "base/file_io.hpp"

namespace jskill {

using nlohmann::json;

namespace {

// Records longer than this are not ours (a record is a few hundred bytes):
// they are skipped, and dropped by compaction, so one huge line can neither
// hide the records around it nor make compaction keep nothing.
constexpr std::size_t kMaxRecordBytes = 64 * 1024;

}  // namespace

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string isoTime(std::int64_t ms) {
    const auto seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char iso[32];
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return iso;
}

std::filesystem::path defaultStateDir() {
    std::filesystem::path base;
    if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state)
        base = state;
    else if (const char* home = std::getenv("HOME"); home && *home)
        base = std::filesystem::path(home) / ".local" / "state";
    else
        base = std::filesystem::temp_directory_path();
    return base / "jami-skill";
}

std::vector<json> JsonlFile::parse(const std::string& text) const {
    std::vector<json> out;
    for (auto line : files::splitLines(text)) {
        if (line.size() > kMaxRecordBytes) continue;
        auto j = json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.is_object()) out.push_back(std::move(j));
    }
    return out;
}

std::vector<json> JsonlFile::records() const {
    // Whatever the file holds, at most twice its bound is read.
    auto text = files::readTail(path_, static_cast<std::size_t>(compact_above_) * 2);
    return text ? parse(*text) : std::vector<json>{};
}

void JsonlFile::forEachNewestFirst(const std::function<bool(const json&)>& f) const {
    auto all = records();
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        if (!f(*it)) return;
}

void JsonlFile::appendLocked(const std::string& record) const {
    int fd = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw std::runtime_error("cannot write " + path_.string());
    // A torn last line (a writer killed mid-line) gets its end first, so it
    // does not swallow this record.
    std::string line = record;
    char last = '\n';
    if (const off_t size = ::lseek(fd, 0, SEEK_END); size > 0 && ::pread(fd, &last, 1, size - 1) == 1 && last != '\n')
        line.insert(line.begin(), '\n');
    const auto written = ::write(fd, line.data(), line.size());
    ::close(fd);
    if (written != static_cast<ssize_t>(line.size())) throw std::runtime_error("cannot write " + path_.string());
}

void JsonlFile::compactIfLarge() const {
    std::error_code ec;
    if (std::filesystem::file_size(path_, ec) <= compact_above_ || ec) return;
    const std::size_t keep = compact_above_ / 2;
    files::withFileLock(path_, [&] {
        // The newest records that fit in half the bound, oversized ones left
        // out; only the file's tail is read, whatever its size.
        auto text = files::readTail(path_, keep * 4);
        if (!text) return;
        const auto all = files::splitLines(*text);
        std::vector<std::string_view> kept_lines;
        std::size_t bytes = 0;
        for (auto it = all.rbegin(); it != all.rend(); ++it) {
            if (it->empty() || it->size() > kMaxRecordBytes) continue;
            if (bytes + it->size() + 1 > keep) break;
            bytes += it->size() + 1;
            kept_lines.push_back(*it);
        }
        std::string kept;
        for (auto it = kept_lines.rbegin(); it != kept_lines.rend(); ++it) kept.append(*it).push_back('\n');
        files::replaceWith(path_, kept);
    });
}

void JsonlFile::append(const json& record) const {
    std::filesystem::create_directories(path_.parent_path());
    const std::string line = record.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    files::withFileLock(path_, [&] { appendLocked(line); });
    compactIfLarge();
}

void JsonlFile::appendUnderLock(const std::function<json(const std::vector<json>&)>& decide) const {
    std::filesystem::create_directories(path_.parent_path());
    files::withFileLock(path_, [&] {
        json record = decide(records());
        if (!record.is_null()) appendLocked(record.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
    });
    compactIfLarge();
}

}  // namespace jskill
