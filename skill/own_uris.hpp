// Each account's own Jami ID, learned once (skill/events.cpp, ownUriOf).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace jskill {

// Each account's own Jami ID once learned (it never changes): it tells our
// own swarm messages from the peer's. Thread-safe; never held across the
// D-Bus call that learns one (ownUriOf).
class OwnUris {
public:
    std::optional<std::string> find(const std::string& account) {
        std::lock_guard lock(mutex_);
        auto it = uris_.find(account);
        return it == uris_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    void remember(const std::string& account, const std::string& uri) {
        std::lock_guard lock(mutex_);
        uris_[account] = uri;
    }

private:
    std::mutex mutex_;
    std::map<std::string, std::string> uris_;  // account -> its Jami ID
};

}  // namespace jskill
