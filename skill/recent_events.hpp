// The last few thousand jamid events, numbered, for actions that wait for an
// outcome ("the message got its id", "the call is active"). jamid often
// signals *before* the method that caused it returns, so an action takes a
// mark() first, calls jamid, then waits for a matching event since the mark.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

#include <nlohmann/json.hpp>

namespace jskill {

class RecentEvents {
public:
    using Mark = std::uint64_t;

    explicit RecentEvents(std::size_t capacity = 2048) : capacity_(capacity) {}

    void push(const nlohmann::json& event);
    // The number the next event will get.
    Mark mark() const;
    // The first event numbered >= since that `match` accepts, waiting up to
    // `timeout` for it; nullopt on timeout.
    std::optional<nlohmann::json> waitFor(Mark since, const std::function<bool(const nlohmann::json&)>& match,
                                          std::chrono::milliseconds timeout) const;

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::deque<std::pair<Mark, nlohmann::json>> events_;
    Mark next_ = 0;
    std::size_t capacity_;
};

}  // namespace jskill
