// The one door to jamid on D-Bus: the Jamid interface (jamid.hpp) over
// sdbus-c++. Everything about D-Bus, sdbus-c++ and jamid's vocabulary stays
// behind this header and its .cpp.
//
// Every jamid from 13.7 (Debian 12) to today's: nothing is generated from
// jamid's XML at build time. Methods are called and signals read through
// sdbus-c++'s generic API (1.x and 2.x), and where jamid changed a method or
// a signal, the form to use is read from the running daemon's introspection
// (skill/jamid/interface.hpp), again after each restart of jamid.
// docs/jamid.md says which versions are known and how to add the next change.
#pragma once

#include <memory>

#include "skill/jamid/jamid.hpp"

namespace jskill {

class JamidClient final : public Jamid {
public:
    // Connects to the bus and, with options.follow_events, subscribes to
    // jamid's signals. Does not require jamid to be running yet (signals are
    // matched by the well-known name). Throws Error{daemon_unavailable} when
    // the bus cannot be reached.
    JamidClient(const JamidOptions& options, EventSink sink);
    ~JamidClient() override;
    JamidClient(const JamidClient&) = delete;
    JamidClient& operator=(const JamidClient&) = delete;

    bool healthy() const noexcept override;
    bool daemonRunning() override;
    void startDaemon() override;
    nlohmann::json daemonInterface() override;
    void learnInterfaceSoon() override;
    void followEvents() override;

    std::vector<std::string> accountIds() override;
    AccountInfo account(const std::string& account_id) override;
    std::string addAccount(const NewAccount& account) override;
    void removeAccount(const std::string& account_id) override;
    void setAccountEnabled(const std::string& account_id, bool enable) override;
    bool registerName(const std::string& account_id, const std::string& password, const std::string& name) override;

    std::string placeAudioCall(const std::string& account_id, const std::string& to) override;
    bool accept(const std::string& account_id, const std::string& call_id) override;
    bool refuse(const std::string& account_id, const std::string& call_id) override;
    bool hangUp(const std::string& account_id, const std::string& call_id) override;
    bool joinCalls(const std::string& account_id, const std::string& call_id,
                   const std::string& other_call_id) override;
    bool hold(const std::string& account_id, const std::string& call_id) override;
    bool resume(const std::string& account_id, const std::string& call_id) override;
    bool muteAudio(const std::string& account_id, const std::string& call_id, bool mute) override;
    void playDtmf(const std::string& key) override;
    std::vector<std::string> callIds() override;
    CallInfo call(const std::string& account_id, const std::string& call_id) override;
    void setVolume(const std::string& device, double value) override;
    double volume(const std::string& device) override;
    std::vector<std::string> audioInputDevices() override;
    std::vector<std::string> audioOutputDevices() override;
    void setAudioInputDevice(int index) override;
    void setAudioOutputDevice(int index) override;
    std::vector<int> currentAudioDevices() override;
    bool hasMediaPlayer() override;
    std::string createMediaPlayer(const std::string& uri) override;
    bool playIntoCall(const std::string& account_id, const std::string& call_id, const std::string& uri) override;
    bool pausePlayer(const std::string& id, bool pause) override;
    std::int64_t playerPosition(const std::string& id) override;
    std::int64_t playerDuration(const std::string& id) override;
    bool closeMediaPlayer(const std::string& id) override;
    std::string noiseSuppression() override;
    void setNoiseSuppression(const std::string& state) override;

    void addContact(const std::string& account_id, const std::string& uri) override;
    void sendTrustRequest(const std::string& account_id, const std::string& uri, const std::string& payload) override;
    std::vector<TrustRequest> trustRequests(const std::string& account_id) override;
    bool acceptTrustRequest(const std::string& account_id, const std::string& from) override;
    bool discardTrustRequest(const std::string& account_id, const std::string& from) override;
    std::vector<std::string> conversationIds(const std::string& account_id) override;
    std::string conversationWith(const std::string& account_id, const std::string& uri) override;
    std::vector<ConversationMember> conversationMembers(const std::string& account_id,
                                                        const std::string& conversation_id) override;
    void sendMessage(const std::string& account_id, const std::string& conversation_id,
                     const std::string& text) override;
    std::uint64_t sendTextMessage(const std::string& account_id, const std::string& to,
                                  const std::string& text) override;
    int messageStatus(std::uint64_t id) override;
    std::uint32_t loadConversation(const std::string& account_id, const std::string& conversation_id,
                                   std::uint32_t count) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jskill
