// Ends calls the skill placed once they reach the maximum duration, in this
// process (a long-running host; jamictl leaves a detached watchdog instead,
// the call.guard action). One thread, started by the first call watched;
// the hang-up runs with no lock held.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace jskill {

class DurationGuard {
public:
    using End = std::function<void(const std::string& call_id, const std::string& account)>;
    explicit DurationGuard(End end) : end_(std::move(end)) {}
    ~DurationGuard() { stop(); }
    // Ends the thread (idempotent); nothing is hung up after it returns.
    void stop();
    void watch(const std::string& call_id, const std::string& account, std::int64_t deadline_ms);

private:
    void run();
    End end_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::string, std::pair<std::string, std::int64_t>> due_;  // call -> (account, deadline)
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace jskill
