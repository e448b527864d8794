#include "skill/event_queue.hpp"

namespace jskill {

void EventQueue::push(nlohmann::json event) {
    {
        std::lock_guard lock(mutex_);
        if (events_.size() >= capacity_) {
            events_.pop_front();
            ++dropped_;
        }
        events_.push_back(std::move(event));
    }
    ready_.notify_one();
}

std::optional<nlohmann::json> EventQueue::pop(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, timeout, [this] { return !events_.empty(); })) return std::nullopt;
    nlohmann::json event = std::move(events_.front());
    events_.pop_front();
    if (dropped_ > 0) {
        event["dropped"] = dropped_;
        dropped_ = 0;
    }
    return event;
}

}  // namespace jskill
