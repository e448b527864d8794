// The audit log: one JSON line per effectful request and per refusal, in
// the state dir (audit.jsonl), bounded like the call log. It records; it is
// never read to decide anything.
#pragma once

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/jsonl_file.hpp"

namespace jskill {

struct Request;

class AuditLog {
public:
    explicit AuditLog(std::filesystem::path path) : file_(std::move(path), 1u << 20) {}
    const std::filesystem::path& path() const { return file_.path(); }
    // Adds "time" (ms) to `entry`. Never throws: auditing must not break the
    // request it records.
    void record(nlohmann::json entry) noexcept;
    // A request's entry, if it is audited: every `effectful` one and every
    // refusal, whatever the action (docs/policy.md). `host`: who asked.
    void recordRequest(const Request& r, const std::string& host, bool effectful,
                       const std::string& result_code) noexcept;
    // The newest `count` entries, newest first.
    std::vector<nlohmann::json> newest(std::size_t count) const;

private:
    JsonlFile file_;
};

}  // namespace jskill
