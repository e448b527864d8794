// The one door to jamid. Everything about D-Bus and sdbus-c++ stays behind
// this header: the rest of the skill sees plain C++ types and jskill::Error.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace jskill {

using StringMap = std::map<std::string, std::string>;
using MediaList = std::vector<StringMap>;

// Receives jamid's signals, already turned into event objects
// {"type":"call.state",...}. Called on the D-Bus loop thread: it must copy and
// return quickly and must not call back into the client.
using EventSink = std::function<void(nlohmann::json)>;

struct JamidClientOptions {
    std::string bus_address;  // empty: the session bus
    std::chrono::milliseconds call_timeout{10000};
};

class JamidClient {
public:
    // Connects to the bus and subscribes to jamid's signals. Does not require
    // jamid to be running yet (signals are matched by the well-known name).
    // Throws Error{daemon_unavailable} when the bus cannot be reached.
    JamidClient(const JamidClientOptions& options, EventSink sink);
    ~JamidClient();
    JamidClient(const JamidClient&) = delete;
    JamidClient& operator=(const JamidClient&) = delete;

    // False once the bus connection is known to be broken; the owner then
    // drops this client and connects anew.
    bool healthy() const noexcept;

    // Whether some process owns cx.ring.Ring on the bus right now.
    bool daemonRunning();

    // Every method below throws Error{daemon_unavailable} when jamid is not
    // reachable (with a hint), and Error{daemon_error} for other D-Bus errors.
    std::vector<std::string> accountList();
    StringMap accountDetails(const std::string& account_id);
    StringMap volatileAccountDetails(const std::string& account_id);
    StringMap accountTemplate(const std::string& type);
    std::string addAccount(const StringMap& details);
    void removeAccount(const std::string& account_id);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jskill
