#include "skill/call_tracker.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <cstdlib>
#include <set>
#include <sstream>

#include "contacts/tools_md.hpp"
#include "skill/event_types.hpp"

namespace jskill {

using nlohmann::json;

namespace {

// Past 1 MiB the log is cut to its newest half MiB: history stays bounded
// and compaction stays rare.
constexpr std::uintmax_t kCompactAbove = 1 << 20;  // bytes

// The end reason a jamid state implies, given what we know of the call.
// Empty: not an end.
std::string endReasonFor(const CallRecord& r, CallState state) {
    if (state == CallState::kBusy) return "busy";
    if (state == CallState::kFailure) return "failed";
    if (state == CallState::kInactive)  // emitted when a ringing incoming call is refused here
        return r.direction == "incoming" && !r.answered && (r.declined || r.hangup_requested) ? "declined" : "";
    if (state != CallState::kHungup && state != CallState::kOver) return "";
    if (r.declined) return "declined";
    if (r.hangup_requested && !r.hangup_reason.empty()) return r.hangup_reason;
    if (r.answered) return r.hangup_requested ? "hung_up_by_us" : "hung_up_by_peer";
    if (r.direction == "incoming") return r.hangup_requested ? "declined" : "missed";
    if (r.hangup_requested) return "no_answer";
    // An outgoing Jami call the callee refused (or let ring out) ends with
    // HUNGUP before CURRENT; a bare OVER means it never connected.
    return state == CallState::kHungup ? "busy" : "failed";
}

}  // namespace

json CallRecord::toJson() const {
    json j{{"call_id", call_id},
           {"account", account},
           {"peer", peer},
           {"direction", direction},
           {"state", state},
           {"jamid_state", jamid_state},
           {"code", code},
           {"answered", answered},
           {"muted", muted},
           {"started_ms", started_ms},
           {"updated_ms", updated_ms}};
    if (answered_ms) j["answered_ms"] = answered_ms;
    if (ended()) {
        j["end_reason"] = end_reason;
        j["ended_ms"] = ended_ms;
        if (answered_ms) j["duration_ms"] = ended_ms - answered_ms;
    }
    return j;
}

std::optional<CallRecord> CallRecord::fromJson(const json& j) {
    // A record of the wrong shape (hand-edited, or from a future version) is
    // skipped, like a torn line.
    try {
        CallRecord r;
        r.call_id = j.at("call_id").get<std::string>();
        r.account = j.value("account", "");
        r.peer = j.value("peer", "");
        r.direction = j.value("direction", "");
        r.state = j.value("state", "connecting");
        r.end_reason = j.value("end_reason", "");
        r.jamid_state = j.value("jamid_state", "");
        r.code = j.value("code", 0);
        r.answered = j.value("answered", false);
        r.muted = j.value("muted", false);
        r.started_ms = j.value("started_ms", std::int64_t{0});
        r.answered_ms = j.value("answered_ms", std::int64_t{0});
        r.ended_ms = j.value("ended_ms", std::int64_t{0});
        r.updated_ms = j.value("updated_ms", std::int64_t{0});
        return r;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

std::string stateOf(std::string_view jamid_state) {
    switch (callStateOf(jamid_state)) {
    case CallState::kRinging: return "ringing";
    case CallState::kIncoming: return "incoming";
    case CallState::kCurrent: return "active";
    case CallState::kHold: return "on_hold";
    case CallState::kHungup:
    case CallState::kOver:
    case CallState::kFailure:
    case CallState::kBusy: return "ended";
    case CallState::kConnecting:
    case CallState::kInactive: break;
    }
    return "connecting";  // CONNECTING, INACTIVE and anything newer
}

CallRecord recordOf(const CallInfo& live) {
    CallRecord r;
    r.call_id = live.id;
    r.account = live.account;
    r.peer = contacts::peerId(live.peer);
    r.direction = live.direction;
    r.jamid_state = live.state;
    r.state = stateOf(r.jamid_state);
    r.answered = r.state == "active" || r.state == "on_hold";
    r.muted = live.muted;
    r.started_ms = live.started_s * 1000;
    r.updated_ms = nowMs();
    return r;
}

std::filesystem::path defaultCallLogPath() { return defaultStateDir() / "calls.jsonl"; }

CallLog::CallLog(std::filesystem::path path) : file_(std::move(path), kCompactAbove) {}

void CallLog::append(const CallRecord& record) noexcept {
    try {
        file_.append(record.toJson());
    } catch (...) {
        // History is best effort; the call itself goes on.
    }
}

namespace {
template <class F>
void forEachRecordNewestFirst(const JsonlFile& file, F&& f) {
    file.forEachNewestFirst([&](const json& j) {
        auto r = CallRecord::fromJson(j);
        return !r || f(*r);
    });
}
}  // namespace

std::optional<CallRecord> CallLog::last(const std::string& call_id) const {
    std::optional<CallRecord> found;
    forEachRecordNewestFirst(file_, [&](const CallRecord& r) {
        if (r.call_id != call_id) return true;
        found = r;
        return false;
    });
    return found;
}

std::vector<CallRecord> CallLog::recent(std::size_t count) const {
    std::vector<CallRecord> out;
    std::set<std::string> seen;
    forEachRecordNewestFirst(file_, [&](const CallRecord& r) {
        if (seen.insert(r.call_id).second) out.push_back(r);
        return out.size() < count;
    });
    return out;
}

void CallTracker::changed(CallRecord& r) {
    r.updated_ms = nowMs();
    if (!r.started_ms) r.started_ms = r.updated_ms;
    if (r.ended() && !r.ended_ms) r.ended_ms = r.updated_ms;
    if (log_) log_->append(r);
    changed_.notify_all();
}

void CallTracker::onEvent(const json& event) noexcept {
    try {
        const std::string_view type = event::typeOf(event);
        if (type != event::kCallState && type != event::kCallIncoming) return;
        const std::string id = event.value("call_id", "");
        if (id.empty()) return;
        std::lock_guard lock(mutex_);
        CallRecord& r = calls_[id];
        r.call_id = id;
        if (r.account.empty()) r.account = event.value("account", "");
        if (type == event::kCallIncoming) {
            r.direction = "incoming";
            r.peer = contacts::peerId(event.value("from", ""));
            if (!r.ended()) r.state = "incoming";
            changed(r);
            return;
        }
        if (r.ended()) return;  // the first end decides the reason
        const std::string jamid_state = event.value("jamid_state", "");
        const CallState state = callStateOf(jamid_state);
        r.jamid_state = jamid_state;
        r.code = event.value("code", 0);
        if (state == CallState::kIncoming) r.direction = "incoming";
        if (state == CallState::kRinging && r.direction.empty()) r.direction = "outgoing";
        if (state == CallState::kCurrent && !r.answered) {
            r.answered = true;
            r.answered_ms = nowMs();
        }
        if (auto reason = endReasonFor(r, state); !reason.empty()) {
            r.state = "ended";
            r.end_reason = reason;
        } else if (state != CallState::kInactive && state != CallState::kOver) {
            r.state = stateOf(jamid_state);
        }
        changed(r);
        // Ended calls stay for status queries; keep the map small.
        if (calls_.size() > 256) {
            for (auto it = calls_.begin(); it != calls_.end();)
                it = it->second.ended() ? calls_.erase(it) : std::next(it);
        }
    } catch (...) {}
}

CallRecord CallTracker::placed(const std::string& call_id, const std::string& account, const std::string& peer) {
    std::lock_guard lock(mutex_);
    CallRecord& r = calls_[call_id];  // signals may already have created it
    r.call_id = call_id;
    r.account = account;
    r.peer = peer;
    r.direction = "outgoing";
    changed(r);
    return r;
}

void CallTracker::hangupRequested(const std::string& call_id, const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (auto it = calls_.find(call_id); it != calls_.end()) {
        it->second.hangup_requested = true;
        it->second.hangup_reason = reason;
    }
}

void CallTracker::declined(const std::string& call_id) {
    std::lock_guard lock(mutex_);
    if (auto it = calls_.find(call_id); it != calls_.end()) it->second.declined = true;
}

void CallTracker::setMuted(const std::string& call_id, bool muted) {
    std::lock_guard lock(mutex_);
    if (auto it = calls_.find(call_id); it != calls_.end() && it->second.muted != muted) {
        it->second.muted = muted;
        changed(it->second);
    }
}

CallRecord CallTracker::observe(const CallRecord& live) {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = calls_.try_emplace(live.call_id, live);
    if (inserted) return live;
    CallRecord merged = it->second;
    if (!merged.ended()) merged.state = live.state;
    merged.muted = live.muted;
    merged.jamid_state = live.jamid_state;
    if (merged.peer.empty()) merged.peer = live.peer;
    if (merged.direction.empty()) merged.direction = live.direction;
    return merged;
}

std::optional<CallRecord> CallTracker::get(const std::string& call_id) const {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(call_id);
    if (it == calls_.end()) return std::nullopt;
    return it->second;
}

std::optional<CallRecord> CallTracker::waitUntil(const std::string& call_id,
                                                 const std::function<bool(const CallRecord&)>& done,
                                                 std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    std::optional<CallRecord> last;
    changed_.wait_for(lock, timeout, [&] {
        auto it = calls_.find(call_id);
        if (it == calls_.end()) return false;
        last = it->second;
        return it->second.ended() || done(it->second);
    });
    if (auto it = calls_.find(call_id); it != calls_.end()) last = it->second;
    return last;
}

}  // namespace jskill
