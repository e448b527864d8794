// What the skill asks of jamid, in the skill's own types. The rest of skill/
// talks to this interface only; JamidClient (jamid_client.hpp) is the one
// implementation on D-Bus and the only code that knows jamid's method names,
// detail keys ("Account.type", "CALL_STATE", ...) and versions. Tests give
// the skill an in-memory implementation (tests/support/fake_jamid.hpp)
// through SkillOptions::jamid_factory.
//
// Errors: every method throws Error{daemon_unavailable} when jamid is not
// reachable (with a hint), Error{daemon_unsupported} naming the method when
// this jamid lacks it, Error{daemon_error} for other daemon errors. Methods
// may be called from any thread; none holds a lock of the caller's.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace jskill {

// Receives jamid's signals, already turned into the skill's events
// {"type":"call.state",...} (docs/abi.md lists them). Called on the client's
// own thread: it must copy and return quickly and must not call back into
// the client. A signal whose shape the client cannot read arrives as
// {"type":"jamid.unreadable_signal","signal":NAME} instead of vanishing.
using EventSink = std::function<void(nlohmann::json)>;

struct AccountInfo {
    std::string id;
    bool jami = false;  // a Jami (DHT) account; else SIP or another type
    std::string type;   // "jami", "sip", ...
    std::string alias, display_name;
    std::string username;  // a Jami account's 40-hex id; a SIP account's user
    std::string hostname;  // SIP
    bool enabled = false;
    bool active = true;
    std::string registration_status;  // "REGISTERED", "TRYING", "UNREGISTERED", "ERROR_..."
    std::string registered_name;      // Jami: the name on the name server, if any
    bool device_announced = false;    // Jami: reachable on the DHT
};

struct NewAccount {
    std::string type = "jami";  // "jami" or "sip"
    std::string alias;
    // Passed to jamid as they are (tests keep a Jami account off the public
    // network with them). Keys win over what type and alias set.
    std::map<std::string, std::string> raw_details;
};

// jamid's call states, as the skill tells them apart. The wire names
// (RINGING, CURRENT, HOLD, HUNGUP, OVER, ...) are read by callStateOf only;
// events keep the name jamid sent as "jamid_state".
enum class CallState {
    kConnecting,  // CONNECTING, and any state newer than this list
    kRinging,
    kIncoming,
    kCurrent,
    kHold,
    kHungup,  // the peer refused or hung up
    kBusy,    // BUSY, PEER_BUSY
    kFailure,
    kInactive,  // sent when a ringing incoming call is refused here
    kOver,
};
CallState callStateOf(std::string_view jamid_state);

struct CallInfo {
    std::string id, account;
    std::string peer;       // as jamid gives it (jami:<id>, sip:..., "Name" <sip:...>)
    std::string direction;  // "incoming", "outgoing" or ""
    std::string state;      // jamid's name for the call state (callStateOf reads it)
    bool muted = false;
    std::int64_t started_s = 0;  // epoch seconds, 0 when unknown
};

struct ConversationMember {
    std::string uri;
    std::string role;  // "admin", "member", "invited", ...
};

struct TrustRequest {
    std::string from, conversation_id;
    std::int64_t received_s = 0;
};

class Jamid {
public:
    virtual ~Jamid() = default;

    // False once the connection is known to be broken; the owner then drops
    // this one and connects anew.
    virtual bool healthy() const noexcept = 0;
    // Whether jamid runs right now.
    virtual bool daemonRunning() = 0;
    // Starts jamid by D-Bus activation (where a service file exists).
    virtual void startDaemon() = 0;
    // Which form of each changed method and signal this jamid offers
    // (skill/jamid/interface.hpp describe()).
    virtual nlohmann::json daemonInterface() = 0;
    // Starts reading that interface without waiting (once; jamid restarts
    // are followed anyway), so that the message signals are read in this
    // jamid's form from the first one: for a host about to listen to
    // events. A request that needs a changed method reads it itself.
    virtual void learnInterfaceSoon() {}
    // Starts following jamid's signals (from then on they reach the sink),
    // once; idempotent and thread-safe. A client made with follow_events
    // false only calls methods until then, which is all a read answered by
    // methods needs: a one-shot `account list` makes no match rule and no
    // loop thread (bench/jamid_bench.sh).
    virtual void followEvents() {}

    // --- accounts
    virtual std::vector<std::string> accountIds() = 0;
    virtual AccountInfo account(const std::string& account_id) = 0;
    // The new account's id; "" when jamid refuses.
    virtual std::string addAccount(const NewAccount& account) = 0;
    virtual void removeAccount(const std::string& account_id) = 0;
    // Persistent enable/disable; returns once the DHT stopped or started.
    virtual void setAccountEnabled(const std::string& account_id, bool enable) = 0;
    // Starts registering `name`; the outcome comes as an
    // "account.name_registration" event. False: not a Jami account.
    virtual bool registerName(const std::string& account_id, const std::string& password, const std::string& name) = 0;

    // --- calls ("" / false is what jamid answers when it cannot)
    virtual std::string placeAudioCall(const std::string& account_id, const std::string& to) = 0;
    virtual bool accept(const std::string& account_id, const std::string& call_id) = 0;
    virtual bool refuse(const std::string& account_id, const std::string& call_id) = 0;
    virtual bool hangUp(const std::string& account_id, const std::string& call_id) = 0;
    // Joins two of the account's calls in a conference hosted here (jamid's
    // joinParticipant); false when jamid refuses.
    virtual bool joinCalls(const std::string& account_id, const std::string& call_id,
                           const std::string& other_call_id) = 0;
    virtual bool hold(const std::string& account_id, const std::string& call_id) = 0;
    virtual bool resume(const std::string& account_id, const std::string& call_id) = 0;
    virtual bool muteAudio(const std::string& account_id, const std::string& call_id, bool mute) = 0;
    // jamid sends DTMF to its "current call" (no call id in its API).
    virtual void playDtmf(const std::string& key) = 0;
    // Calls of every account, without jamid's internal per-device subcalls.
    virtual std::vector<std::string> callIds() = 0;
    // Empty id: jamid does not know the call.
    virtual CallInfo call(const std::string& account_id, const std::string& call_id) = 0;
    virtual void setVolume(const std::string& device, double value) = 0;
    virtual double volume(const std::string& device) = 0;

    // --- audio devices (PulseAudio's, by description: "Monitor of X" for a
    // sink X's monitor). Indexes change when devices come and go: look one up
    // right before setting it, and read the choice back.
    virtual std::vector<std::string> audioInputDevices() = 0;
    virtual std::vector<std::string> audioOutputDevices() = 0;
    virtual void setAudioInputDevice(int index) = 0;
    virtual void setAudioOutputDevice(int index) = 0;
    // The devices in use: {output, input, ringtone} indexes.
    virtual std::vector<int> currentAudioDevices() = 0;
    // jamid's noise suppression of its microphone: "auto", "yes" or "no"
    // (read when a call's capture starts).
    virtual std::string noiseSuppression() = 0;
    virtual void setNoiseSuppression(const std::string& state) = 0;

    // --- a file as a call's sound: jamid's MediaPlayer (VideoManager, since
    // 13.10; 13.7 has none, and its file source never opens). Verified on
    // the stand-in only (docs/jamid.md): no newer jamid installs here.
    // Whether this jamid has it (its VideoManager introspected, once).
    virtual bool hasMediaPlayer() = 0;
    // A paused player of `uri` (file:///absolute/path); its id, "" if refused.
    virtual std::string createMediaPlayer(const std::string& uri) = 0;
    // The call's one audio stream takes its sound from `uri`'s player.
    virtual bool playIntoCall(const std::string& account_id, const std::string& call_id, const std::string& uri) = 0;
    virtual bool pausePlayer(const std::string& id, bool pause) = 0;
    // Microseconds; the position goes back to 0 at the end (and pauses).
    virtual std::int64_t playerPosition(const std::string& id) = 0;
    virtual std::int64_t playerDuration(const std::string& id) = 0;
    virtual bool closeMediaPlayer(const std::string& id) = 0;

    // --- contacts and conversations
    virtual void addContact(const std::string& account_id, const std::string& uri) = 0;
    virtual void sendTrustRequest(const std::string& account_id, const std::string& uri,
                                  const std::string& payload) = 0;
    virtual std::vector<TrustRequest> trustRequests(const std::string& account_id) = 0;
    virtual bool acceptTrustRequest(const std::string& account_id, const std::string& from) = 0;
    virtual bool discardTrustRequest(const std::string& account_id, const std::string& from) = 0;
    virtual std::vector<std::string> conversationIds(const std::string& account_id) = 0;
    // The 1:1 conversation with a contact, "" when there is none.
    virtual std::string conversationWith(const std::string& account_id, const std::string& uri) = 0;
    virtual std::vector<ConversationMember> conversationMembers(const std::string& account_id,
                                                                const std::string& conversation_id) = 0;
    // A new text message in a conversation; our own copy comes back as a
    // "message.received" event carrying its id.
    virtual void sendMessage(const std::string& account_id, const std::string& conversation_id,
                             const std::string& text) = 0;
    // A plain (SIP, or Jami without a conversation) text message; 0 when refused.
    virtual std::uint64_t sendTextMessage(const std::string& account_id, const std::string& to,
                                          const std::string& text) = 0;
    virtual int messageStatus(std::uint64_t id) = 0;
    // Asks for the newest `count` messages; they arrive as a
    // "conversation.loaded" event carrying the returned request id (possibly
    // before this returns), each message {id, type, author, body, timestamp,
    // ...}. 0: the conversation is not loaded.
    virtual std::uint32_t loadConversation(const std::string& account_id, const std::string& conversation_id,
                                           std::uint32_t count) = 0;
};

struct JamidOptions {
    std::string bus_address;  // empty: the session bus
    std::chrono::milliseconds call_timeout{10000};
    bool follow_events = true;  // false: not before followEvents()
};

// Makes the connection the skill uses; throws Error{daemon_unavailable}.
using JamidFactory = std::function<std::shared_ptr<Jamid>(const JamidOptions&, EventSink)>;

}  // namespace jskill
