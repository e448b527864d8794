#include "skill/recent_events.hpp"

namespace jskill {

void RecentEvents::push(const nlohmann::json& event) {
    {
        std::lock_guard lock(mutex_);
        events_.emplace_back(next_++, event);
        if (events_.size() > capacity_) events_.pop_front();
    }
    arrived_.notify_all();
}

RecentEvents::Mark RecentEvents::mark() const {
    std::lock_guard lock(mutex_);
    return next_;
}

std::optional<nlohmann::json> RecentEvents::waitFor(Mark since, const std::function<bool(const nlohmann::json&)>& match,
                                                    std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    Mark checked = since;
    while (true) {
        for (const auto& [mark, event] : events_) {
            if (mark < checked) continue;
            if (match(event)) return event;
        }
        checked = next_;
        if (arrived_.wait_until(lock, deadline, [&] { return next_ != checked; }) == false) return std::nullopt;
    }
}

}  // namespace jskill
