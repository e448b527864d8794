// A bounded, thread-safe FIFO of events. jamid's signal handlers push from
// the D-Bus loop thread; hosts pop through jami_skill_next_event().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

#include <nlohmann/json.hpp>

namespace jskill {

class EventQueue {
public:
    explicit EventQueue(std::size_t capacity = 4096) : capacity_(capacity) {}

    // Never blocks: when full, the oldest event is dropped and the next event
    // handed out carries "dropped": N so a host knows it missed some.
    void push(nlohmann::json event);
    std::optional<nlohmann::json> pop(std::chrono::milliseconds timeout);

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<nlohmann::json> events_;
    std::size_t capacity_;
    std::size_t dropped_ = 0;
};

}  // namespace jskill
