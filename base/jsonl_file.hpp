// An append-only file of JSON lines shared by every process of the skill
// (the call log, the audit log, the outbound ledger). Writers take the lock
// of files::withFileLock; past `compact_above` bytes the file is cut to its
// newest half, so it stays bounded. Readers skip torn or hand-edited lines.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace jskill {

class JsonlFile {
public:
    JsonlFile(std::filesystem::path path, std::uintmax_t compact_above)
        : path_(std::move(path)), compact_above_(compact_above) {}
    const std::filesystem::path& path() const { return path_; }

    // Appends one line. Throws std::runtime_error when the file cannot be written.
    void append(const nlohmann::json& record) const;
    // Under the writers' lock: reads every record, then appends what
    // `decide` returns (nothing for null). Two processes deciding on the same
    // records cannot both append on a stale view. Throws std::runtime_error.
    void appendUnderLock(const std::function<nlohmann::json(const std::vector<nlohmann::json>&)>& decide) const;
    // Every record, oldest first ({} when the file does not exist).
    std::vector<nlohmann::json> records() const;
    // Newest first, until `f` returns false.
    void forEachNewestFirst(const std::function<bool(const nlohmann::json&)>& f) const;

private:
    std::vector<nlohmann::json> parse(const std::string& text) const;
    void appendLocked(const std::string& line) const;  // the caller holds the lock
    void compactIfLarge() const;

    std::filesystem::path path_;
    std::uintmax_t compact_above_;
};

// Wall-clock milliseconds since the epoch: the time stamp of every record.
std::int64_t nowMs();
// `ms` as ISO 8601 in UTC to the second: "2026-12-05T04:12:33Z".
std::string isoTime(std::int64_t ms);

// $XDG_STATE_HOME/jami-skill (~/.local/state/jami-skill): the call log, the
// audit log and the outbound ledger.
std::filesystem::path defaultStateDir();

}  // namespace jskill
