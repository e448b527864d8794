// The one door to jamid. Everything about D-Bus and sdbus-c++ stays behind
// this header: the rest of the skill sees plain C++ types and jskill::Error.
//
// Every jamid from 13.7 (Debian 12) to today's: nothing is generated from
// jamid's XML at build time. Methods are called and signals read through
// sdbus-c++'s generic API (1.x and 2.x), and where jamid changed a method or
// a signal, the form to use is read from the running daemon's introspection
// (skill/jamid/interface.hpp), again after each restart of jamid.
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

// A value of one of jamid's string maps, "" when absent.
inline std::string field(const StringMap& map, const char* key) {
    auto it = map.find(key);
    return it == map.end() ? std::string() : it->second;
}

// Receives jamid's signals, already turned into event objects
// {"type":"call.state",...}. Called on the D-Bus loop thread: it must copy and
// return quickly and must not call back into the client. A signal whose
// shape the client cannot read arrives as {"type":"jamid.unreadable_signal",
// "signal":NAME} instead of vanishing.
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
    // reachable (with a hint), Error{daemon_unsupported} naming the method
    // when this jamid lacks it or takes other arguments, and
    // Error{daemon_error} for other D-Bus errors.
    std::vector<std::string> accountList();
    StringMap accountDetails(const std::string& account_id);
    StringMap volatileAccountDetails(const std::string& account_id);
    std::string addAccount(const StringMap& details);
    void removeAccount(const std::string& account_id);
    // Persistent enable/disable (Account.enable); waits for the DHT to stop
    // or start, which can take seconds, hence the long timeout.
    void sendRegister(const std::string& account_id, bool enable);
    // Starts registering `name` on the account's name server; the outcome
    // comes as an "account.name_registration" event. False: not a Jami account.
    bool registerName(const std::string& account_id, const std::string& password, const std::string& name);

    // --- calls (an empty id is what jamid returns when it cannot place one)
    std::string placeAudioCall(const std::string& account_id, const std::string& to);
    bool accept(const std::string& account_id, const std::string& call_id);
    bool refuse(const std::string& account_id, const std::string& call_id);
    bool hangUp(const std::string& account_id, const std::string& call_id);
    bool hold(const std::string& account_id, const std::string& call_id);
    // resume, or unhold on jamid before 2026-02.
    bool resume(const std::string& account_id, const std::string& call_id);
    bool muteAudio(const std::string& account_id, const std::string& call_id, bool mute);
    // jamid sends DTMF to its "current call" (no call id in this API).
    void playDtmf(const std::string& key);
    // Calls of every account, without jamid's internal per-device subcalls.
    std::vector<std::string> callList();
    StringMap callDetails(const std::string& account_id, const std::string& call_id);
    void setVolume(const std::string& device, double value);
    double volume(const std::string& device);

    // --- contacts and conversations
    void addContact(const std::string& account_id, const std::string& uri);
    void sendTrustRequest(const std::string& account_id, const std::string& uri, const std::string& payload);
    std::vector<StringMap> trustRequests(const std::string& account_id);
    bool acceptTrustRequest(const std::string& account_id, const std::string& from);
    bool discardTrustRequest(const std::string& account_id, const std::string& from);
    StringMap contactDetails(const std::string& account_id, const std::string& uri);
    std::vector<std::string> conversations(const std::string& account_id);
    std::vector<StringMap> conversationMembers(const std::string& account_id, const std::string& conversation_id);
    void sendMessage(const std::string& account_id, const std::string& conversation_id, const std::string& text);
    std::uint64_t sendTextMessage(const std::string& account_id, const std::string& to, const std::string& text);
    int messageStatus(std::uint64_t id);
    // Asks for the newest `count` messages; they arrive as a
    // "conversation.loaded" event carrying the returned request id (possibly
    // before this returns), each message as the string map jamid 13.7 sent
    // (id, type, author, body, timestamp, ...) whichever form this jamid has.
    // 0: the conversation is not loaded.
    std::uint32_t loadConversation(const std::string& account_id, const std::string& conversation_id,
                                   std::uint32_t count);

    // The forms of the changed features this jamid offers (asked of it once
    // per jamid process). Throws like the methods when jamid is not running.
    nlohmann::json daemonInterface();

    // D-Bus activation of jamid (where a service file exists). Throws
    // Error{daemon_unavailable} with the bus's reason when it cannot start.
    void startDaemon();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jskill
