// Calls in the skill's own words, and their history.
//
// States (docs/calls.md): connecting, ringing (the peer's phone rings),
// incoming (ringing here), active, on_hold, ended. An ended call has an
// end_reason: hung_up_by_us, hung_up_by_peer, max_duration (the skill's limit
// ended it), declined (we refused it), busy
// (the peer refused or was busy), no_answer (we stopped ringing), missed (an
// incoming call nobody answered), failed (jamid's code says why).
//
// CallTracker follows jamid's signals for the calls this skill sees and
// appends every change to a JSONL call log, so `call status` still answers
// after a restart. The log is history only: nothing is ever decided from it
// (what is live is asked of jamid), so a stale record cannot block a call.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "skill/jamid/jamid.hpp"

#include "base/jsonl_file.hpp"

namespace jskill {

struct CallRecord {
    std::string call_id;
    std::string account;
    std::string peer;       // the peer's id: 40-hex Jami ID or sip: URI
    std::string direction;  // "outgoing", "incoming" or "" (not known yet)
    std::string state = "connecting";
    std::string end_reason;
    std::string jamid_state;
    int code = 0;
    bool answered = false;
    bool muted = false;
    bool hangup_requested = false;  // by this skill
    std::string hangup_reason;      // why, when not the user's request ("max_duration")
    bool declined = false;          // refused by this skill
    std::int64_t started_ms = 0, answered_ms = 0, ended_ms = 0, updated_ms = 0;

    bool ended() const { return state == "ended"; }
    nlohmann::json toJson() const;
    static std::optional<CallRecord> fromJson(const nlohmann::json& j);
};

// Our state ("ringing", "active", "on_hold", "ended", ...) for jamid's name of a call state.
std::string stateOf(std::string_view jamid_state);
// A record of what jamid knows of a call right now.
CallRecord recordOf(const CallInfo& live);

// Append-only JSONL file; past 1 MiB it keeps its newest half MiB. Writers in
// several processes take the same lock; unreadable lines are skipped.
class CallLog {
public:
    explicit CallLog(std::filesystem::path path);
    const std::filesystem::path& path() const { return file_.path(); }
    // Never throws: a log that cannot be written must not break a call.
    void append(const CallRecord& record) noexcept;
    std::optional<CallRecord> last(const std::string& call_id) const;
    // The newest `count` records, one per call, newest first.
    std::vector<CallRecord> recent(std::size_t count) const;

private:
    JsonlFile file_;
};

// The default log: $XDG_STATE_HOME/jami-skill/calls.jsonl
// (~/.local/state/jami-skill/calls.jsonl).
std::filesystem::path defaultCallLogPath();

class CallTracker {
public:
    explicit CallTracker(std::optional<CallLog> log) : log_(std::move(log)) {}

    // Feed every jamid event (D-Bus loop thread); cheap, never throws.
    void onEvent(const nlohmann::json& event) noexcept;
    // What this skill did, merged into what the signals said.
    CallRecord placed(const std::string& call_id, const std::string& account, const std::string& peer);
    // `reason` replaces hung_up_by_us / no_answer as the end reason ("max_duration").
    void hangupRequested(const std::string& call_id, const std::string& reason = {});
    void declined(const std::string& call_id);
    void setMuted(const std::string& call_id, bool muted);
    // A call as jamid reports it now (recordOf), with what only this
    // tracker knows kept (end reason, direction, peer). A call not seen
    // before (placed by another process) is remembered.
    CallRecord observe(const CallRecord& live);

    std::optional<CallRecord> get(const std::string& call_id) const;
    // Waits until `done` holds for the call (or it ends), up to `timeout`.
    std::optional<CallRecord> waitUntil(const std::string& call_id, const std::function<bool(const CallRecord&)>& done,
                                        std::chrono::milliseconds timeout) const;
    const std::optional<CallLog>& log() const { return log_; }

private:
    void changed(CallRecord& record);  // stamps, logs, wakes waiters (lock held)

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::map<std::string, CallRecord> calls_;
    std::optional<CallLog> log_;
};

}  // namespace jskill
