// sdbus-c++ lives here and nowhere else. Proxies come from the daemon's own
// interface XML (generated into the build tree); this file forwards the
// signals the skill cares about as events and maps D-Bus failures onto the
// skill's error codes.
#include "skill/jamid/jamid_client.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <string_view>

#include <sdbus-c++/sdbus-c++.h>

#include "CallManager_defaults.h"
#include "ConfigurationManager_defaults.h"
#include "skill/error.hpp"

namespace jskill {
namespace {

constexpr const char* kService = "cx.ring.Ring";
constexpr const char* kCallManagerPath = "/cx/ring/Ring/CallManager";
constexpr const char* kConfigurationManagerPath = "/cx/ring/Ring/ConfigurationManager";

using nlohmann::json;

// Handlers run on the loop thread; an exception there would end up in
// sdbus-c++. Nothing we do should throw, but a sink that does must not take
// the event loop down with it.
template <typename F>
void deliver(const EventSink& sink, F&& make_event) noexcept {
    try {
        sink(make_event());
    } catch (...) {
    }
}

json mediaKinds(const MediaList& media) {
    json kinds = json::array();
    for (const auto& m : media) {
        auto it = m.find("MEDIA_TYPE");
        if (it == m.end()) continue;
        kinds.push_back(it->second == "MEDIA_TYPE_VIDEO" ? "video" : "audio");
    }
    return kinds;
}

class CallManagerProxy final : public sdbus::ProxyInterfaces<glue::CallManager_defaults> {
public:
    CallManagerProxy(sdbus::IConnection& connection, EventSink sink)
        : ProxyInterfaces(connection, kService, kCallManagerPath), sink_(std::move(sink)) {
        registerProxy();
    }
    ~CallManagerProxy() { unregisterProxy(); }

protected:
    void onCallStateChanged(const std::string& account, const std::string& call_id,
                            const std::string& state, const int32_t& code) override {
        deliver(sink_, [&] {
            return json{{"type", "call.state"}, {"account", account}, {"call_id", call_id},
                        {"jamid_state", state}, {"code", code}};
        });
    }
    void onIncomingCallWithMedia(const std::string& account, const std::string& call_id,
                                 const std::string& from, const MediaList& media) override {
        deliver(sink_, [&] {
            return json{{"type", "call.incoming"}, {"account", account}, {"call_id", call_id},
                        {"from", from}, {"media", mediaKinds(media)}};
        });
    }
    void onPeerHold(const std::string& call_id, const bool& holding) override {
        deliver(sink_, [&] {
            return json{{"type", "call.peer_hold"}, {"call_id", call_id}, {"holding", holding}};
        });
    }
    // After each SDP negotiation (answer, re-INVITE for hold or mute): the
    // call's media are settled.
    void onMediaNegotiationStatus(const std::string& call_id, const std::string& event, const MediaList& media) override {
        deliver(sink_, [&] {
            return json{{"type", "call.media"}, {"call_id", call_id}, {"event", event}, {"media", mediaKinds(media)}};
        });
    }
    void onAudioMuted(const std::string& call_id, const bool& muted) override {
        deliver(sink_, [&] { return json{{"type", "call.audio_muted"}, {"call_id", call_id}, {"muted", muted}}; });
    }
    void onIncomingMessage(const std::string& account, const std::string& call_id,
                           const std::string& from, const StringMap& messages) override {
        deliver(sink_, [&] {
            return json{{"type", "call.message"}, {"account", account}, {"call_id", call_id},
                        {"from", from}, {"payloads", messages}};
        });
    }

private:
    EventSink sink_;
};

class ConfigurationManagerProxy final
    : public sdbus::ProxyInterfaces<glue::ConfigurationManager_defaults> {
public:
    ConfigurationManagerProxy(sdbus::IConnection& connection, EventSink sink)
        : ProxyInterfaces(connection, kService, kConfigurationManagerPath), sink_(std::move(sink)) {
        registerProxy();
    }
    ~ConfigurationManagerProxy() { unregisterProxy(); }

    // sendRegister with its own timeout: jamid answers only once the DHT
    // has stopped or started.
    void sendRegisterWithin(const std::string& account, bool enable, std::chrono::milliseconds timeout) {
        getProxy()
            .callMethod("sendRegister")
            .onInterface(INTERFACE_NAME)
            .withTimeout(timeout)
            .withArguments(account, enable);
    }

protected:
    void onAccountsChanged() override {
        deliver(sink_, [] { return json{{"type", "accounts.changed"}}; });
    }
    void onRegistrationStateChanged(const std::string& account, const std::string& state,
                                    const int32_t& code, const std::string& detail) override {
        deliver(sink_, [&] {
            return json{{"type", "account.registration"}, {"account", account}, {"state", state},
                        {"code", code}, {"detail", detail}};
        });
    }
    void onVolatileAccountDetailsChanged(const std::string& account,
                                         const StringMap& details) override {
        deliver(sink_, [&] {
            return json{{"type", "account.volatile"}, {"account", account}, {"details", details}};
        });
    }
    void onIncomingTrustRequest(const std::string& account, const std::string& conversation_id,
                                const std::string& from, const std::vector<uint8_t>&,
                                const uint64_t& received) override {
        deliver(sink_, [&] {
            return json{{"type", "contact.request"}, {"account", account}, {"from", from},
                        {"conversation_id", conversation_id}, {"received", received}};
        });
    }
    void onContactAdded(const std::string& account, const std::string& uri,
                        const bool& confirmed) override {
        deliver(sink_, [&] {
            return json{{"type", "contact.added"}, {"account", account}, {"uri", uri},
                        {"confirmed", confirmed}};
        });
    }
    void onContactRemoved(const std::string& account, const std::string& uri,
                          const bool& banned) override {
        deliver(sink_, [&] {
            return json{{"type", "contact.removed"}, {"account", account}, {"uri", uri},
                        {"banned", banned}};
        });
    }
    void onConversationReady(const std::string& account,
                             const std::string& conversation_id) override {
        deliver(sink_, [&] {
            return json{{"type", "conversation.ready"}, {"account", account},
                        {"conversation_id", conversation_id}};
        });
    }
    void onConversationRequestReceived(const std::string& account,
                                       const std::string& conversation_id,
                                       const StringMap& metadata) override {
        deliver(sink_, [&] {
            return json{{"type", "conversation.request"}, {"account", account},
                        {"conversation_id", conversation_id}, {"metadata", metadata}};
        });
    }
    void onConversationMemberEvent(const std::string& account, const std::string& conversation_id,
                                   const std::string& member, const int32_t& event) override {
        deliver(sink_, [&] {
            return json{{"type", "conversation.member"}, {"account", account},
                        {"conversation_id", conversation_id}, {"member", member},
                        {"event", event}};
        });
    }
    void onMessageReceived(const std::string& account, const std::string& conversation_id,
                           const StringMap& message) override {
        deliver(sink_, [&] {
            return json{{"type", "message.received"}, {"account", account},
                        {"conversation_id", conversation_id}, {"message", message}};
        });
    }
    // The XML names the 2nd and 3rd arguments (messageID, from); jamid 13.7
    // actually sends (from, messageID). We follow the wire, not the names.
    void onIncomingAccountMessage(const std::string& account, const std::string& from,
                                  const std::string& message_id,
                                  const StringMap& payloads) override {
        deliver(sink_, [&] {
            return json{{"type", "message.account"}, {"account", account}, {"from", from},
                        {"message_id", message_id}, {"payloads", payloads}};
        });
    }
    void onAccountMessageStatusChanged(const std::string& account,
                                       const std::string& conversation_id,
                                       const std::string& peer, const std::string& message_id,
                                       const int32_t& status) override {
        deliver(sink_, [&] {
            return json{{"type", "message.status"}, {"account", account},
                        {"conversation_id", conversation_id}, {"peer", peer},
                        {"message_id", message_id}, {"status", status}};
        });
    }
    void onConversationLoaded(const uint32_t& request_id, const std::string& account,
                              const std::string& conversation_id, const MediaList& messages) override {
        deliver(sink_, [&] {
            return json{{"type", "conversation.loaded"}, {"request_id", request_id}, {"account", account},
                        {"conversation_id", conversation_id}, {"messages", messages}};
        });
    }
    void onConversationRemoved(const std::string& account, const std::string& conversation_id) override {
        deliver(sink_, [&] {
            return json{{"type", "conversation.removed"}, {"account", account}, {"conversation_id", conversation_id}};
        });
    }
    void onOnConversationError(const std::string& account, const std::string& conversation_id, const uint32_t& code,
                               const std::string& what) override {
        deliver(sink_, [&] {
            return json{{"type", "conversation.error"}, {"account", account}, {"conversation_id", conversation_id},
                        {"code", code}, {"what", what}};
        });
    }
    void onNameRegistrationEnded(const std::string& account, const int32_t& status, const std::string& name) override {
        deliver(sink_, [&] {
            return json{{"type", "account.name_registration"}, {"account", account}, {"status", status}, {"name", name}};
        });
    }
    void onVolumeChanged(const std::string& device, const double& value) override {
        deliver(sink_, [&] {
            return json{{"type", "audio.volume"}, {"device", device}, {"value", value}};
        });
    }

private:
    EventSink sink_;
};

bool isConnectionFailure(std::string_view name) {
    return name.starts_with("System.Error.") || name == "org.freedesktop.DBus.Error.Disconnected" ||
           name == "org.freedesktop.DBus.Error.NoServer";
}

}  // namespace

struct JamidClient::Impl {
    std::unique_ptr<sdbus::IConnection> connection;
    std::unique_ptr<sdbus::IProxy> bus;
    std::unique_ptr<CallManagerProxy> calls;
    std::unique_ptr<ConfigurationManagerProxy> config;
    std::chrono::milliseconds timeout;
    std::string bus_description;
    std::atomic<bool> healthy{true};

    ~Impl() {
        // Proxies unregister their signal slots before the connection (and
        // its loop thread, joined in its destructor) goes away.
        calls.reset();
        config.reset();
        bus.reset();
        connection.reset();
    }

    // Runs one D-Bus call and maps its failure onto the skill's errors.
    template <typename F>
    auto invoke(const char* method, F&& call) -> decltype(call()) {
        try {
            return call();
        } catch (const sdbus::Error& e) {
            const std::string& name = e.getName();
            if (name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
                name == "org.freedesktop.DBus.Error.NameHasNoOwner") {
                throw Error(code::kDaemonUnavailable,
                            "jamid is not running on " + bus_description,
                            "start the Jami daemon in your session: `/usr/libexec/jamid -p &`, or "
                            "`jamictl daemon start` (D-Bus activation through the cx.ring.Ring service "
                            "file that jami-daemon installs); or point --bus / \"bus\" at the D-Bus "
                            "address where it runs. The Flatpak and Snap Jami apps run their daemon "
                            "inside the app and offer no D-Bus");
            }
            if (name == "org.freedesktop.DBus.Error.NoReply" ||
                name == "org.freedesktop.DBus.Error.Timeout" ||
                name == "org.freedesktop.DBus.Error.TimedOut") {
                throw Error(code::kDaemonUnavailable,
                            std::string("jamid did not answer ") + method + " within " +
                                std::to_string(timeout.count()) + " ms",
                            "jamid may be busy, hung or may just have exited; try again, and "
                            "restart jamid if this persists");
            }
            if (isConnectionFailure(name)) {
                healthy = false;
                throw Error(code::kDaemonUnavailable,
                            "lost the D-Bus connection to " + bus_description + " (" +
                                e.getMessage() + ")",
                            "check that the D-Bus session bus is still running; the next request "
                            "reconnects");
            }
            throw Error(code::kDaemonError,
                        std::string("jamid refused ") + method + ": " + name + ": " +
                            e.getMessage());
        }
    }
};

namespace {

// The unix socket a bus address names first, if it names one ("" else).
// The session bus without DBUS_SESSION_BUS_ADDRESS is $XDG_RUNTIME_DIR/bus,
// as sd-bus has it.
std::string socketOf(const std::string& address) {
    std::string text = address;
    if (text.empty()) {
        if (const char* env = std::getenv("DBUS_SESSION_BUS_ADDRESS"); env && *env) text = env;
        else if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime)
            return std::string(runtime) + "/bus";
        else return {};
    }
    text = text.substr(0, text.find(';'));
    if (!text.starts_with("unix:")) return {};
    for (std::size_t at = 5; at < text.size();) {
        const std::size_t end = std::min(text.find(',', at), text.size());
        const std::string pair = text.substr(at, end - at);
        if (pair.starts_with("path=")) return pair.substr(5);
        at = end + 1;
    }
    return {};
}

// sd-bus (as sdbus-c++ 1.2 drives it) leaks its ~1.8 KB bus object on every
// connection that fails to start. A bus socket nobody listens on is the
// common failure, so it is tried first with a plain connect(): no sd-bus
// object is made for a bus that is not there.
bool nobodyListens(const std::string& path) {
    if (path.empty() || path.size() >= sizeof(sockaddr_un::sun_path)) return false;  // let sd-bus decide
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un where{};
    where.sun_family = AF_UNIX;
    std::memcpy(where.sun_path, path.c_str(), path.size());
    const bool refused = ::connect(fd, reinterpret_cast<sockaddr*>(&where), sizeof where) != 0 &&
                         (errno == ENOENT || errno == ECONNREFUSED || errno == ENOTDIR || errno == EACCES);
    ::close(fd);
    return refused;
}

}  // namespace

JamidClient::JamidClient(const JamidClientOptions& options, EventSink sink)
    : impl_(std::make_unique<Impl>()) {
    impl_->timeout = options.call_timeout;
    impl_->bus_description = options.bus_address.empty()
                                 ? std::string("the D-Bus session bus")
                                 : "the D-Bus bus at " + options.bus_address;
    const std::string hint = options.bus_address.empty()
                                 ? "jamid talks over the D-Bus session bus: run inside a desktop session, "
                                   "or set DBUS_SESSION_BUS_ADDRESS / --bus to the bus where jamid runs"
                                 : "check the --bus address; a unix:path= socket must exist and be "
                                   "readable by you";
    if (const std::string path = socketOf(options.bus_address); nobodyListens(path))
        throw Error(code::kDaemonUnavailable, "cannot connect to " + impl_->bus_description + ": nothing listens on " + path,
                    hint);
    try {
        impl_->connection = options.bus_address.empty()
                                ? sdbus::createSessionBusConnection()
                                : sdbus::createSessionBusConnectionWithAddress(options.bus_address);
        impl_->connection->setMethodCallTimeout(options.call_timeout);
        impl_->bus = sdbus::createProxy(*impl_->connection, "org.freedesktop.DBus",
                                        "/org/freedesktop/DBus");
        impl_->calls = std::make_unique<CallManagerProxy>(*impl_->connection, sink);
        impl_->config = std::make_unique<ConfigurationManagerProxy>(*impl_->connection, sink);
        impl_->connection->enterEventLoopAsync();
    } catch (const sdbus::Error& e) {
        throw Error(code::kDaemonUnavailable, "cannot connect to " + impl_->bus_description + ": " + e.getMessage(), hint);
    }
}

JamidClient::~JamidClient() = default;

bool JamidClient::healthy() const noexcept { return impl_->healthy; }

bool JamidClient::daemonRunning() {
    return impl_->invoke("NameHasOwner", [&] {
        bool has_owner = false;
        impl_->bus->callMethod("NameHasOwner")
            .onInterface("org.freedesktop.DBus")
            .withArguments(std::string(kService))
            .storeResultsTo(has_owner);
        return has_owner;
    });
}

std::vector<std::string> JamidClient::accountList() {
    return impl_->invoke("getAccountList", [&] { return impl_->config->getAccountList(); });
}

StringMap JamidClient::accountDetails(const std::string& account_id) {
    return impl_->invoke("getAccountDetails",
                         [&] { return impl_->config->getAccountDetails(account_id); });
}

StringMap JamidClient::volatileAccountDetails(const std::string& account_id) {
    return impl_->invoke("getVolatileAccountDetails",
                         [&] { return impl_->config->getVolatileAccountDetails(account_id); });
}

std::string JamidClient::addAccount(const StringMap& details) {
    return impl_->invoke("addAccount", [&] { return impl_->config->addAccount(details); });
}

void JamidClient::removeAccount(const std::string& account_id) {
    impl_->invoke("removeAccount", [&] { impl_->config->removeAccount(account_id); });
}

}  // namespace jskill

namespace jskill {

void JamidClient::sendRegister(const std::string& account_id, bool enable) {
    const auto timeout = std::max(impl_->timeout, std::chrono::milliseconds(60000));
    impl_->invoke("sendRegister", [&] { impl_->config->sendRegisterWithin(account_id, enable, timeout); });
}

bool JamidClient::registerName(const std::string& account_id, const std::string& password, const std::string& name) {
    // 13.7 argument order: (account, password, name).
    return impl_->invoke("registerName", [&] { return impl_->config->registerName(account_id, password, name); });
}

std::string JamidClient::placeAudioCall(const std::string& account_id, const std::string& to) {
    // Every key, lower-case booleans: jamid reads SOURCE and LABEL only when
    // ENABLED is valid, and placeCall (no media list) offers 0 media to SIP.
    const MediaList audio_only{{{"MEDIA_TYPE", "MEDIA_TYPE_AUDIO"},
                                {"ENABLED", "true"},
                                {"MUTED", "false"},
                                {"SOURCE", ""},
                                {"LABEL", "audio_0"}}};
    return impl_->invoke("placeCallWithMedia",
                         [&] { return impl_->calls->placeCallWithMedia(account_id, to, audio_only); });
}

bool JamidClient::accept(const std::string& account_id, const std::string& call_id) {
    return impl_->invoke("accept", [&] { return impl_->calls->accept(account_id, call_id); });
}
bool JamidClient::refuse(const std::string& account_id, const std::string& call_id) {
    return impl_->invoke("refuse", [&] { return impl_->calls->refuse(account_id, call_id); });
}
bool JamidClient::hangUp(const std::string& account_id, const std::string& call_id) {
    return impl_->invoke("hangUp", [&] { return impl_->calls->hangUp(account_id, call_id); });
}
bool JamidClient::hold(const std::string& account_id, const std::string& call_id) {
    return impl_->invoke("hold", [&] { return impl_->calls->hold(account_id, call_id); });
}
bool JamidClient::unhold(const std::string& account_id, const std::string& call_id) {
    return impl_->invoke("unhold", [&] { return impl_->calls->unhold(account_id, call_id); });
}
bool JamidClient::muteAudio(const std::string& account_id, const std::string& call_id, bool mute) {
    // "MEDIA_TYPE_AUDIO", not the "AUDIO" the XML documents (ignored by jamid).
    return impl_->invoke("muteLocalMedia", [&] {
        return impl_->calls->muteLocalMedia(account_id, call_id, "MEDIA_TYPE_AUDIO", mute);
    });
}
void JamidClient::playDtmf(const std::string& key) {
    impl_->invoke("playDTMF", [&] { impl_->calls->playDTMF(key); });
}
std::vector<std::string> JamidClient::callList() {
    return impl_->invoke("getCallList", [&] { return impl_->calls->getCallList(""); });
}
StringMap JamidClient::callDetails(const std::string& account_id, const std::string& call_id) {
    return impl_->invoke("getCallDetails", [&] { return impl_->calls->getCallDetails(account_id, call_id); });
}
void JamidClient::setVolume(const std::string& device, double value) {
    impl_->invoke("setVolume", [&] { impl_->config->setVolume(device, value); });
}
double JamidClient::volume(const std::string& device) {
    return impl_->invoke("getVolume", [&] { return impl_->config->getVolume(device); });
}

void JamidClient::addContact(const std::string& account_id, const std::string& uri) {
    impl_->invoke("addContact", [&] { impl_->config->addContact(account_id, uri); });
}
void JamidClient::sendTrustRequest(const std::string& account_id, const std::string& uri, const std::string& payload) {
    impl_->invoke("sendTrustRequest", [&] {
        impl_->config->sendTrustRequest(account_id, uri, std::vector<uint8_t>(payload.begin(), payload.end()));
    });
}
std::vector<StringMap> JamidClient::trustRequests(const std::string& account_id) {
    return impl_->invoke("getTrustRequests", [&] { return impl_->config->getTrustRequests(account_id); });
}
bool JamidClient::acceptTrustRequest(const std::string& account_id, const std::string& from) {
    return impl_->invoke("acceptTrustRequest", [&] { return impl_->config->acceptTrustRequest(account_id, from); });
}
bool JamidClient::discardTrustRequest(const std::string& account_id, const std::string& from) {
    return impl_->invoke("discardTrustRequest", [&] { return impl_->config->discardTrustRequest(account_id, from); });
}
StringMap JamidClient::contactDetails(const std::string& account_id, const std::string& uri) {
    return impl_->invoke("getContactDetails", [&] { return impl_->config->getContactDetails(account_id, uri); });
}
std::vector<std::string> JamidClient::conversations(const std::string& account_id) {
    return impl_->invoke("getConversations", [&] { return impl_->config->getConversations(account_id); });
}
std::vector<StringMap> JamidClient::conversationMembers(const std::string& account_id,
                                                       const std::string& conversation_id) {
    return impl_->invoke("getConversationMembers",
                         [&] { return impl_->config->getConversationMembers(account_id, conversation_id); });
}
void JamidClient::sendMessage(const std::string& account_id, const std::string& conversation_id,
                              const std::string& text) {
    // flag 0: a new text message, not a reply, edit or reaction.
    impl_->invoke("sendMessage", [&] { impl_->config->sendMessage(account_id, conversation_id, text, "", 0); });
}
std::uint64_t JamidClient::sendTextMessage(const std::string& account_id, const std::string& to,
                                           const std::string& text) {
    return impl_->invoke("sendTextMessage",
                         [&] { return impl_->config->sendTextMessage(account_id, to, {{"text/plain", text}}); });
}
int JamidClient::messageStatus(std::uint64_t id) {
    return impl_->invoke("getMessageStatus", [&] { return impl_->config->getMessageStatus(id); });
}
std::uint32_t JamidClient::loadConversationMessages(const std::string& account_id, const std::string& conversation_id,
                                                   std::uint32_t count) {
    return impl_->invoke("loadConversationMessages", [&] {
        return impl_->config->loadConversationMessages(account_id, conversation_id, "", count);
    });
}

void JamidClient::startDaemon() {
    try {
        uint32_t result = 0;
        impl_->bus->callMethod("StartServiceByName")
            .onInterface("org.freedesktop.DBus")
            .withTimeout(std::max(impl_->timeout, std::chrono::milliseconds(30000)))
            .withArguments(std::string(kService), uint32_t{0})
            .storeResultsTo(result);
    } catch (const sdbus::Error& e) {
        throw Error(code::kDaemonUnavailable,
                    "cannot start jamid on " + impl_->bus_description + ": " + e.getMessage(),
                    "this bus has no D-Bus service file for cx.ring.Ring (package jami-daemon installs "
                    "/usr/share/dbus-1/services/cx.ring.Ring.service for the session bus); start "
                    "/usr/libexec/jamid -p yourself (the Flatpak and Snap Jami apps offer no D-Bus jamid)");
    }
}

}  // namespace jskill
