// An in-memory jamid behind the skill's Jamid interface (skill/jamid/jamid.hpp):
// the test seam for the actions (account resolution, picking a call, message
// send and read, contact requests), in milliseconds and without a daemon.
// It behaves as jamid does where the actions depend on it: signals may come
// before a method returns (they are emitted inside the call here), our own
// message comes back as a message.received event, history arrives as a
// conversation.loaded event. What it cannot show (the wire, versions, media)
// is tested on real jamid (tests/jamid/) and the stand-in (tests/standin/).
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "base/error.hpp"
#include "skill/jamid/jamid.hpp"
#include "skill/skill.hpp"

namespace test {

using jskill::AccountInfo;
using jskill::CallInfo;
using nlohmann::json;

class FakeJamid final : public jskill::Jamid {
public:
    // --- the world, set up by the test (before or between requests)
    void addJamiAccount(const std::string& id, const std::string& alias, const std::string& username,
                        const std::string& registered_name = "") {
        std::lock_guard lock(mutex_);
        AccountInfo a;
        a.id = id, a.jami = true, a.type = "jami", a.alias = alias, a.display_name = alias;
        a.username = username, a.enabled = true, a.registration_status = "REGISTERED";
        a.registered_name = registered_name, a.device_announced = true;
        accounts_[id] = a;
        order_.push_back(id);
    }
    void addSipAccount(const std::string& id, const std::string& alias) {
        std::lock_guard lock(mutex_);
        AccountInfo a;
        a.id = id, a.type = "sip", a.alias = alias, a.username = alias, a.hostname = "127.0.0.1";
        a.enabled = true, a.registration_status = "REGISTERED";
        accounts_[id] = a;
        order_.push_back(id);
    }
    // A live call; `state` is jamid's (CURRENT, HOLD, INCOMING, RINGING ...).
    void addCall(const std::string& id, const std::string& account, const std::string& peer, const std::string& state,
                 bool outgoing = true) {
        std::lock_guard lock(mutex_);
        calls_[id] = CallInfo{id, account, peer, outgoing ? "outgoing" : "incoming", state, false, 1700000000};
    }
    // A call from `peer` ringing here, and jamid's signal of it.
    void ring(const std::string& id, const std::string& account, const std::string& peer) {
        addCall(id, account, peer, "INCOMING", /*outgoing=*/false);
        emit({{"type", "call.incoming"}, {"account", account}, {"call_id", id}, {"from", peer}, {"media", {"audio"}}});
    }
    // A 1:1 conversation with `peer`; `joined`: the peer is a member (else invited).
    void addConversation(const std::string& account, const std::string& peer, const std::string& id,
                         bool joined = true) {
        std::lock_guard lock(mutex_);
        conversations_[{account, peer}] = id;
        members_[id] = {{accounts_[account].username, "admin"}, {peer, joined ? "member" : "invited"}};
    }
    void addMessage(const std::string& conversation, const std::string& author, const std::string& body) {
        std::lock_guard lock(mutex_);
        history_[conversation].push_back({{"id", "m" + std::to_string(++counter_)},
                                          {"type", "text/plain"},
                                          {"author", author},
                                          {"body", body},
                                          {"timestamp", std::to_string(1700000000 + counter_)}});
    }
    void addTrustRequest(const std::string& account, const std::string& from, const std::string& conversation) {
        std::lock_guard lock(mutex_);
        requests_[account].push_back({from, conversation, 1700000000});
    }
    void setRunning(bool running) {
        std::lock_guard lock(mutex_);
        running_ = running;
    }
    // The next call of `method` throws `error` (once).
    void failNext(const std::string& method, jskill::Error error) {
        std::lock_guard lock(mutex_);
        failures_.emplace(method, std::move(error));
    }
    // "method arg,arg" lines, in order: what the skill asked.
    std::vector<std::string> asked() {
        std::lock_guard lock(mutex_);
        return log_;
    }
    bool wasAsked(const std::string& prefix) {
        for (const auto& line : asked())
            if (line.starts_with(prefix)) return true;
        return false;
    }

    // The factory for SkillOptions::jamid_factory.
    static jskill::JamidFactory factoryFor(std::shared_ptr<FakeJamid> fake) {
        return [fake](const jskill::JamidOptions& options, jskill::EventSink sink) {
            std::lock_guard lock(fake->mutex_);
            fake->sink_ = std::move(sink);
            if (options.follow_events) fake->log_.push_back("followEvents (at connect)");
            return std::static_pointer_cast<jskill::Jamid>(fake);
        };
    }

    // --- Jamid
    bool healthy() const noexcept override { return true; }
    void followEvents() override {
        std::lock_guard lock(mutex_);
        log_.push_back("followEvents");
    }
    bool daemonRunning() override {
        std::lock_guard lock(mutex_);
        return running_;
    }
    void startDaemon() override { setRunning(true); }
    json daemonInterface() override {
        return {{"known", true}, {"features", json::object()}, {"missing", json::array()}};
    }

    std::vector<std::string> accountIds() override {
        return ask("accountIds", {}, [&] { return order_; });
    }
    AccountInfo account(const std::string& id) override {
        return ask("account", {id}, [&] { return accounts_.contains(id) ? accounts_[id] : AccountInfo{}; });
    }
    std::string addAccount(const jskill::NewAccount& a) override {
        return ask("addAccount", {a.type, a.alias}, [&] {
            const std::string id = "new" + std::to_string(++counter_);
            AccountInfo info;
            info.id = id, info.jami = a.type == "jami", info.type = a.type, info.alias = a.alias, info.enabled = true;
            accounts_[id] = info;
            order_.push_back(id);
            return id;
        });
    }
    void removeAccount(const std::string& id) override {
        ask("removeAccount", {id}, [&] {
            accounts_.erase(id);
            std::erase(order_, id);
            return 0;
        });
    }
    void setAccountEnabled(const std::string& id, bool enable) override {
        ask("setAccountEnabled", {id, enable ? "true" : "false"}, [&] { return accounts_[id].enabled = enable; });
    }
    bool registerName(const std::string& id, const std::string& password, const std::string& name) override {
        const bool ok = ask("registerName", {id, password, name}, [&] {
            if (!accounts_[id].jami) return false;
            accounts_[id].registered_name = name;
            return true;
        });
        if (ok) emit({{"type", "account.name_registration"}, {"account", id}, {"status", 0}, {"name", name}});
        return ok;
    }

    std::string placeAudioCall(const std::string& account, const std::string& to) override {
        const std::string id = ask("placeAudioCall", {account, to}, [&] {
            const std::string call_id = "call" + std::to_string(++counter_);
            calls_[call_id] = CallInfo{call_id, account, to, "outgoing", "RINGING", false, 1700000000};
            return call_id;
        });
        emit({{"type", "call.state"}, {"account", account}, {"call_id", id}, {"jamid_state", "RINGING"}, {"code", 0}});
        return id;
    }
    bool accept(const std::string& a, const std::string& c) override { return change("accept", a, c, "CURRENT"); }
    bool refuse(const std::string& a, const std::string& c) override { return change("refuse", a, c, "OVER"); }
    bool hangUp(const std::string& a, const std::string& c) override { return change("hangUp", a, c, "OVER"); }
    bool joinCalls(const std::string& a, const std::string& c, const std::string& other) override {
        return ask("joinCalls", {a, c, other}, [&] { return calls_.count(c) && calls_.count(other); });
    }
    bool hold(const std::string& a, const std::string& c) override { return change("hold", a, c, "HOLD"); }
    bool resume(const std::string& a, const std::string& c) override { return change("resume", a, c, "CURRENT"); }
    bool muteAudio(const std::string& a, const std::string& c, bool mute) override {
        return ask("muteAudio", {a, c, mute ? "true" : "false"}, [&] {
            if (!calls_.contains(c)) return false;
            calls_[c].muted = mute;
            return true;
        });
    }
    void playDtmf(const std::string& key) override {
        ask("playDtmf", {key}, [] { return 0; });
    }
    std::vector<std::string> callIds() override {
        return ask("callIds", {}, [&] {
            std::vector<std::string> ids;
            for (const auto& [id, c] : calls_) ids.push_back(id);
            return ids;
        });
    }
    CallInfo call(const std::string& account, const std::string& id) override {
        return ask("call", {account, id}, [&] {
            auto it = calls_.find(id);
            return it != calls_.end() && it->second.account == account ? it->second : CallInfo{};
        });
    }
    void setVolume(const std::string& device, double value) override {
        ask("setVolume", {device}, [&] { return volumes_[device] = value; });
    }
    std::vector<std::string> audioInputDevices() override {
        return ask("getAudioInputDeviceList", {}, [&] { return inputs_; });
    }
    std::vector<std::string> audioOutputDevices() override {
        return ask("getAudioOutputDeviceList", {}, [&] { return outputs_; });
    }
    void setAudioInputDevice(int index) override {
        ask("setAudioInputDevice", {std::to_string(index)}, [&] { return current_[1] = index; });
    }
    void setAudioOutputDevice(int index) override {
        ask("setAudioOutputDevice", {std::to_string(index)}, [&] { return current_[0] = index; });
    }
    std::vector<int> currentAudioDevices() override {
        return ask("getCurrentAudioDevicesIndex", {}, [&] { return current_; });
    }
    // No MediaPlayer (jamid 13.7): the voice speaks through the sound server.
    bool hasMediaPlayer() override {
        return ask("Introspect VideoManager", {}, [] { return false; });
    }
    std::string createMediaPlayer(const std::string& uri) override {
        return ask("createMediaPlayer", {uri}, [] { return std::string(); });
    }
    bool playIntoCall(const std::string& a, const std::string& id, const std::string& uri) override {
        return ask("requestMediaChange", {a, id, uri}, [] { return false; });
    }
    bool pausePlayer(const std::string& id, bool pause) override {
        return ask("pausePlayer", {id, pause ? "true" : "false"}, [] { return false; });
    }
    std::int64_t playerPosition(const std::string& id) override {
        return ask("getPlayerPosition", {id}, [] { return std::int64_t{0}; });
    }
    std::int64_t playerDuration(const std::string& id) override {
        return ask("getPlayerDuration", {id}, [] { return std::int64_t{0}; });
    }
    bool closeMediaPlayer(const std::string& id) override {
        return ask("closeMediaPlayer", {id}, [] { return false; });
    }
    std::string noiseSuppression() override {
        return ask("getNoiseSuppressState", {}, [&] { return noise_suppression_; });
    }
    void setNoiseSuppression(const std::string& state) override {
        ask("setNoiseSuppressState", {state}, [&] { return noise_suppression_ = state; });
    }
    double volume(const std::string& device) override {
        return ask("volume", {device}, [&] { return volumes_[device]; });
    }

    void addContact(const std::string& a, const std::string& uri) override {
        ask("addContact", {a, uri}, [] { return 0; });
    }
    void sendTrustRequest(const std::string& a, const std::string& uri, const std::string&) override {
        ask("sendTrustRequest", {a, uri}, [] { return 0; });
    }
    std::vector<jskill::TrustRequest> trustRequests(const std::string& a) override {
        return ask("trustRequests", {a}, [&] { return requests_[a]; });
    }
    bool acceptTrustRequest(const std::string& a, const std::string& from) override {
        return ask("acceptTrustRequest", {a, from},
                   [&] { return std::erase_if(requests_[a], [&](auto& r) { return r.from == from; }) > 0; });
    }
    bool discardTrustRequest(const std::string& a, const std::string& from) override {
        return ask("discardTrustRequest", {a, from},
                   [&] { return std::erase_if(requests_[a], [&](auto& r) { return r.from == from; }) > 0; });
    }
    std::vector<std::string> conversationIds(const std::string& a) override {
        return ask("conversationIds", {a}, [&] {
            std::vector<std::string> ids;
            for (const auto& [key, id] : conversations_)
                if (key.first == a) ids.push_back(id);
            return ids;
        });
    }
    std::string conversationWith(const std::string& a, const std::string& uri) override {
        return ask("conversationWith", {a, uri}, [&] {
            auto it = conversations_.find({a, uri});
            return it == conversations_.end() ? std::string() : it->second;
        });
    }
    std::vector<jskill::ConversationMember> conversationMembers(const std::string& a, const std::string& c) override {
        return ask("conversationMembers", {a, c}, [&] { return members_[c]; });
    }
    void sendMessage(const std::string& a, const std::string& c, const std::string& text) override {
        const json message = ask("sendMessage", {a, c, text}, [&] {
            json m{{"id", "m" + std::to_string(++counter_)},
                   {"type", "text/plain"},
                   {"author", accounts_[a].username},
                   {"body", text},
                   {"timestamp", std::to_string(1700000000 + counter_)}};
            history_[c].push_back(m);
            return m;
        });
        emit({{"type", "message.received"}, {"account", a}, {"conversation_id", c}, {"message", message}});
    }
    std::uint64_t sendTextMessage(const std::string& a, const std::string& to, const std::string& text) override {
        return ask("sendTextMessage", {a, to, text}, [&] { return static_cast<std::uint64_t>(++counter_); });
    }
    int messageStatus(std::uint64_t) override {
        return ask("messageStatus", {}, [] { return 2; });
    }
    std::uint32_t loadConversation(const std::string& a, const std::string& c, std::uint32_t count) override {
        json newest_first = json::array();
        const std::uint32_t request = ask("loadConversation", {a, c}, [&] {
            const auto& all = history_[c];
            for (auto it = all.rbegin(); it != all.rend() && newest_first.size() < count; ++it)
                newest_first.push_back(*it);
            return static_cast<std::uint32_t>(++counter_);
        });
        emit({{"type", "conversation.loaded"},
              {"request_id", request},
              {"account", a},
              {"conversation_id", c},
              {"messages", newest_first}});
        return request;
    }

private:
    // Logs the call, fails it when the test said so or jamid is "not running".
    template <typename F>
    std::invoke_result_t<F> ask(const std::string& method, std::vector<std::string> args, F&& body) {
        std::lock_guard lock(mutex_);
        std::string line = method;
        for (std::size_t i = 0; i < args.size(); ++i) line += (i ? "," : " ") + args[i];
        log_.push_back(line);
        if (auto it = failures_.find(method); it != failures_.end()) {
            jskill::Error error = it->second;
            failures_.erase(it);
            throw error;
        }
        if (!running_) throw jskill::Error(jskill::code::kDaemonUnavailable, "jamid is not running (fake)");
        return body();
    }
    bool change(const char* method, const std::string& account, const std::string& id, const char* state) {
        const bool known = ask(method, {account, id}, [&] {
            auto it = calls_.find(id);
            if (it == calls_.end()) return false;
            if (std::string(state) == "OVER")
                calls_.erase(it);
            else
                it->second.state = state;
            return true;
        });
        if (!known) return false;
        emit({{"type", "call.state"}, {"account", account}, {"call_id", id}, {"jamid_state", state}, {"code", 0}});
        // Answering, hold and resume renegotiate the media, as in jamid.
        if (std::string(state) != "OVER")
            emit({{"type", "call.media"}, {"call_id", id}, {"event", "NEGOTIATION_SUCCESS"}, {"media", {"audio"}}});
        return true;
    }
    // Outside the lock, as jamid's signals come on their own thread.
    void emit(json event) {
        jskill::EventSink sink;
        {
            std::lock_guard lock(mutex_);
            sink = sink_;
        }
        if (sink) sink(std::move(event));
    }

    std::mutex mutex_;
    jskill::EventSink sink_;
    bool running_ = true;
    int counter_ = 0;
    std::map<std::string, AccountInfo> accounts_;
    std::vector<std::string> order_;
    std::map<std::string, CallInfo> calls_;
    std::map<std::pair<std::string, std::string>, std::string> conversations_;
    std::map<std::string, std::vector<jskill::ConversationMember>> members_;
    std::map<std::string, std::vector<json>> history_;
    std::map<std::string, std::vector<jskill::TrustRequest>> requests_;
    std::map<std::string, double> volumes_;
    std::multimap<std::string, jskill::Error> failures_;
    std::vector<std::string> log_;
    std::vector<std::string> inputs_{"default"}, outputs_{"default"};
    std::vector<int> current_{0, 0, 0};
    std::string noise_suppression_ = "auto";
};

}  // namespace test
