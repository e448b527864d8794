// DurationGuard: ends a call the skill placed at its maximum duration, in a
// long-running host (skill/duration_guard.hpp).
#include "skill/duration_guard.hpp"

#include <algorithm>
#include <vector>

#include "base/jsonl_file.hpp"  // nowMs

namespace jskill {

void DurationGuard::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void DurationGuard::watch(const std::string& call_id, const std::string& account, std::int64_t deadline_ms) {
    std::lock_guard lock(mutex_);
    if (stop_) return;
    due_[call_id] = {account, deadline_ms};
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    wake_.notify_all();
}

void DurationGuard::run() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
        if (due_.empty()) {
            wake_.wait(lock);
            continue;
        }
        std::int64_t first = due_.begin()->second.second;
        for (const auto& [id, due] : due_) first = std::min(first, due.second);
        const std::int64_t now = nowMs();
        if (first > now) {
            wake_.wait_for(lock, std::chrono::milliseconds(first - now));
            continue;
        }
        std::vector<std::pair<std::string, std::string>> expired;
        for (auto it = due_.begin(); it != due_.end();) {
            if (it->second.second <= now) {
                expired.emplace_back(it->first, it->second.first);
                it = due_.erase(it);
            } else {
                ++it;
            }
        }
        lock.unlock();  // the hang-up is a D-Bus call
        for (const auto& [call_id, account] : expired) {
            try {
                end_(call_id, account);
            } catch (...) {
                // The call may have ended already, or jamid gone: nothing left to end.
            }
        }
        lock.lock();
    }
}

}  // namespace jskill
