// The outbound ledger: every call and message the skill is about to place,
// shared by all processes through one JSONL file in the state dir, so that
// rate limits, the number of calls at once and the maximum call duration
// hold across one-shot jamictl runs and a long-running host alike.
//
// The race it solves: two processes checking "fewer than N calls" and then
// both placing one. A reservation is decided and written under the file's
// lock (JsonlFile::appendUnderLock), so the second process sees the first's
// reservation, placed or still in flight. No lock is held across D-Bus: the
// live calls are asked of jamid before the lock is taken.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/jsonl_file.hpp"
#include "skill/policy.hpp"

namespace jskill {

// A refusal: which rule, the count against it, and when to try again.
struct LimitRefusal {
    std::string code;  // "rate_limited" or "limit_reached"
    std::string rule;  // e.g. "calls_per_hour_per_contact"
    int limit = 0, count = 0;
    int retry_after_s = 0;
    std::string message;
};

// The error a refusal answers: its code, message and numbers; `hint` says
// what to tell the user (default: try again after retry_after_s).
[[noreturn]] void throwRefusal(const LimitRefusal& no, std::string message = {}, std::string hint = {});

class OutboundLedger {
public:
    explicit OutboundLedger(std::filesystem::path path) : file_(std::move(path), 4u << 20) {}
    const std::filesystem::path& path() const { return file_.path(); }

    // Checks the rules for one more call ("call") or message ("message") to
    // `peer` (a canonical id) and, unless `dry_run`, records it: returns the
    // reservation id, or the refusal. `live_calls`: jamid's call ids now
    // (calls only). `bus` tells the ledgers of several jamid apart.
    struct Decision {
        std::optional<LimitRefusal> refused;
        std::string reservation;
    };
    Decision reserve(const std::string& kind, const std::string& peer, const std::string& bus, const Policy& policy,
                     const std::vector<std::string>& live_calls, bool dry_run) const;
    // The call a reservation became ("" when placing failed), with the time
    // the skill must end it by.
    void placed(const std::string& reservation, const std::string& call_id, const std::string& account,
                std::int64_t deadline_ms) const noexcept;

    struct PlacedCall {
        std::string call_id, account;
        std::int64_t deadline_ms = 0;
    };
    // A call the skill placed, as recorded (any process).
    std::optional<PlacedCall> find(const std::string& call_id) const;

private:
    JsonlFile file_;
};

}  // namespace jskill
