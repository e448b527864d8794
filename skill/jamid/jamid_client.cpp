// sdbus-c++ lives here and nowhere else. Methods are called through the
// generic API (no proxies generated from jamid's XML), always asynchronously
// with a wait in the caller's thread, so a long call never holds up the
// signals; signals are read by hand into the skill's events, in every shape
// jamid has given them since 13.7. D-Bus failures become the skill's errors.
#include "skill/jamid/jamid_client.hpp"
#include "skill/event_types.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "skill/jamid/interface.hpp"
#include "skill/jamid/sdbus_compat.hpp"

namespace jskill {
namespace compat = jamid::compat;

CallState callStateOf(std::string_view s) {
    if (s == "RINGING") return CallState::kRinging;
    if (s == "INCOMING") return CallState::kIncoming;
    if (s == "CURRENT") return CallState::kCurrent;
    if (s == "HOLD") return CallState::kHold;
    if (s == "HUNGUP") return CallState::kHungup;
    if (s == "BUSY" || s == "PEER_BUSY") return CallState::kBusy;
    if (s == "FAILURE") return CallState::kFailure;
    if (s == "INACTIVE") return CallState::kInactive;
    if (s == "OVER") return CallState::kOver;
    return CallState::kConnecting;
}
namespace {

using nlohmann::json;
using StringMap = std::map<std::string, std::string>;
using MediaList = std::vector<StringMap>;
using jamid::DaemonInterface;
using jamid::Feature;
using jamid::Form;

constexpr const char* kService = "cx.ring.Ring";
constexpr const char* kCallManager = "cx.ring.Ring.CallManager";
constexpr const char* kConfigurationManager = "cx.ring.Ring.ConfigurationManager";
constexpr const char* kCallManagerPath = "/cx/ring/Ring/CallManager";
constexpr const char* kVideoManager = "cx.ring.Ring.VideoManager";
constexpr const char* kVideoManagerPath = "/cx/ring/Ring/VideoManager";
constexpr const char* kConfigurationManagerPath = "/cx/ring/Ring/ConfigurationManager";
constexpr const char* kBus = "org.freedesktop.DBus";
constexpr const char* kIntrospectable = "org.freedesktop.DBus.Introspectable";

// One message of a conversation as the skill reads it: jamid 13.7's string
// map. Since 14.0 jamid sends a struct (id, type, linearizedParent, body,
// reactions, editions[, status since 15.2]) whose body is that map without
// the first three; they are put back.
using SwarmMessage7 = sdbus::Struct<std::string, std::string, std::string, StringMap, std::vector<StringMap>,
                                    std::vector<StringMap>, std::map<std::string, int32_t>>;
using SwarmMessage6 =
    sdbus::Struct<std::string, std::string, std::string, StringMap, std::vector<StringMap>, std::vector<StringMap>>;

template <typename Swarm>
StringMap fromSwarm(const Swarm& message) {
    StringMap out = std::get<3>(message);
    out["id"] = std::get<0>(message);
    out["type"] = std::get<1>(message);
    out["linearizedParent"] = std::get<2>(message);
    return out;
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

// A value of one of jamid's string maps, "" when absent.
std::string field(const StringMap& map, const char* key) {
    auto it = map.find(key);
    return it == map.end() ? std::string() : it->second;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool isConnectionFailure(std::string_view name) {
    return name.starts_with("System.Error.") || name == "org.freedesktop.DBus.Error.Disconnected" ||
           name == "org.freedesktop.DBus.Error.NoServer";
}

// Reads a signal's arguments in order; nullopt when the signal has fewer or
// other arguments than these.
template <typename... Args>
std::optional<std::tuple<Args...>> read(sdbus::Message& signal) {
    std::tuple<Args...> args;
    try {
        std::apply([&](auto&... each) { ((void)(signal >> each), ...); }, args);
    } catch (const sdbus::Error&) {
        return std::nullopt;
    }
    if (!signal) return std::nullopt;
    return args;
}

}  // namespace

struct JamidClient::Impl {
    std::unique_ptr<sdbus::IConnection> connection;
    std::unique_ptr<sdbus::IProxy> bus;
    std::unique_ptr<sdbus::IProxy> calls;
    std::unique_ptr<sdbus::IProxy> config;
    std::unique_ptr<sdbus::IProxy> video;  // made on first use: only a call that plays a file needs it
    std::mutex video_mutex;
    std::optional<bool> media_player;  // whether VideoManager has createMediaPlayer; under video_mutex
    std::chrono::milliseconds timeout{10000};
    std::string bus_description;
    std::atomic<bool> healthy{true};
    EventSink sink;

    // What the running jamid offers. Null until read; replaced when jamid's
    // owner changes (a restart may bring another version). `current` says
    // whether it describes the jamid running now.
    std::mutex interface_mutex;
    std::shared_ptr<const DaemonInterface> interface;
    bool interface_current = false;
    std::atomic<bool> interface_asked{false};  // learnInterfaceSoon's once

    // Whether the loop thread runs (followEvents). Until it does, the
    // callers read their replies themselves (finish): a one-shot read then
    // needs no thread and no match rule.
    std::mutex follow_mutex;  // held across the AddMatch calls: callers of followEvents wait for them anyway
    std::atomic<bool> following{false};
    std::mutex reader_mutex;  // the one thread reading the connection before then (finish)
    // Our own loop thread, not sdbus-c++'s enterEventLoopAsync: when the bus
    // goes away (its daemon killed, the socket reset) sdbus-c++ throws from
    // the loop, and on its thread that ended the host's process
    // (std::terminate, seen in the OpenClaw Gateway when a lab bus went
    // down). Here the loop ends, the connection is marked unhealthy (the next
    // request reconnects) and the host reads an `error` event.
    std::thread loop_thread;

    void runLoop() noexcept {
        try {
            connection->enterEventLoop();
        } catch (const std::exception& e) {
            healthy = false;
            try {
                deliver(json{{"type", event::kError},
                             {"error",
                              {{"code", code::kDaemonUnavailable},
                               {"message", "lost the D-Bus connection to " + bus_description + ": " + e.what()},
                               {"hint", "check that the D-Bus bus is still running; the next request reconnects"}}}});
            } catch (...) {}
        } catch (...) {
            healthy = false;
        }
    }

    ~Impl() {
        // The loop thread stops first, so that no signal handler or reply
        // runs while the match slots and the proxies go away, then the
        // connection.
        if (connection) {
            try {
                connection->leaveEventLoop();
            } catch (...) {}
        }
        if (loop_thread.joinable()) loop_thread.join();
        matches.clear();
        calls.reset();
        config.reset();
        video.reset();
        bus.reset();
        connection.reset();
    }

    // Handlers run on the loop thread; an exception there would end up in
    // sdbus-c++. Nothing we do should throw, but a sink that does must not
    // take the event loop down with it.
    void deliver(json event) noexcept {
        try {
            sink(std::move(event));
        } catch (...) {}
    }
    void unreadable(const char* signal) noexcept {
        try {
            deliver(json{{"type", event::kUnreadableSignal},
                         {"signal", signal},
                         {"hint",
                          "this jamid sends the signal in a shape jami-skill does not know; "
                          "`jamictl daemon` shows what was found"}});
        } catch (...) {}
    }

    // --- signals
    //
    // Every signal read, by interface and name. They reach us through three
    // match rules (each of jamid's two interfaces, and the bus's
    // NameOwnerChanged for jamid) rather than one rule per signal: a rule is
    // a synchronous AddMatch round trip at connect, and ~28 of them were
    // half of what a one-shot command spent on D-Bus. The few signals of
    // those interfaces the skill does not read are dropped by the lookup.
    using SignalReader = std::function<void(sdbus::Message&)>;
    std::map<std::pair<std::string, std::string>, SignalReader> readers;
    std::vector<sdbus::Slot> matches;  // released before the connection

    void onRaw(const char* interface_name, const char* signal_name, SignalReader reader) {
        readers[{interface_name, signal_name}] = std::move(reader);
    }
    void dispatch(sdbus::Message& signal) noexcept {
        try {
            if (auto it = readers.find(compat::signalName(signal)); it != readers.end()) it->second(signal);
        } catch (...) {}
    }

    // Subscribes `handler` to a signal whose arguments are Args...; a signal
    // of another shape is reported as unreadable (when `strict`) or ignored.
    template <typename... Args, typename F>
    void on(const char* interface_name, const char* signal_name, F handler, bool strict = true) {
        onRaw(interface_name, signal_name, [this, signal_name, handler, strict](sdbus::Message& signal) {
            auto args = read<Args...>(signal);
            if (!args) {
                if (strict) unreadable(signal_name);
                return;
            }
            try {
                if (auto event = std::apply(handler, *args)) deliver(std::move(*event));
            } catch (...) {}
        });
    }

    // --- method calls

    [[noreturn]] void fail(const char* method, const sdbus::Error& e) { fail(method, e.getName(), e.getMessage()); }
    [[noreturn]] void fail(const char* method, const std::string& name, const std::string& message) {
        if (name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
            name == "org.freedesktop.DBus.Error.NameHasNoOwner") {
            throw Error(code::kDaemonUnavailable, "jamid is not running on " + bus_description,
                        "start the Jami daemon in your session: `/usr/libexec/jamid -p &`, or "
                        "`jamictl daemon start` (D-Bus activation through the cx.ring.Ring service "
                        "file that jami-daemon installs); or point --bus / \"bus\" at the D-Bus "
                        "address where it runs. The Flatpak and Snap Jami apps run their daemon "
                        "inside the app and offer no D-Bus");
        }
        if (name == "org.freedesktop.DBus.Error.NoReply" || name == "org.freedesktop.DBus.Error.Timeout" ||
            name == "org.freedesktop.DBus.Error.TimedOut") {
            throw Error(
                code::kDaemonUnavailable,
                std::string("jamid did not answer ") + method + " within " + std::to_string(timeout.count()) + " ms",
                "jamid may be busy, hung or may just have exited; try again, and "
                "restart jamid if this persists");
        }
        if (name == "org.freedesktop.DBus.Error.UnknownMethod" || name == "org.freedesktop.DBus.Error.InvalidArgs" ||
            name == "org.freedesktop.DBus.Error.UnknownInterface" ||
            name == "org.freedesktop.DBus.Error.UnknownObject") {
            throw Error(code::kDaemonUnsupported,
                        std::string("this jamid does not offer ") + method + " as jami-skill calls it (" + name + ": " +
                            message + ")",
                        "jami-skill knows jamid's D-Bus interface from 13.7 to stable/20260819.0; `jamictl daemon` "
                        "shows which forms this jamid offers. Report the jamid version (jamid --version)");
        }
        if (isConnectionFailure(name)) {
            healthy = false;
            throw Error(code::kDaemonUnavailable,
                        "lost the D-Bus connection to " + bus_description + " (" + message + ")",
                        "check that the D-Bus session bus is still running; the next request reconnects");
        }
        throw Error(code::kDaemonError, std::string("jamid refused ") + method + ": " + name + ": " + message);
    }

    // Builds a call of `method` with `args` and sends it without waiting;
    // `handler` runs on the loop thread. Throws sdbus::Error when it cannot
    // be sent.
    template <typename... Args>
    void send(sdbus::IProxy& proxy, const char* interface_name, const char* method, compat::ReplyHandler handler,
              std::chrono::milliseconds within, const Args&... args) {
        auto message = compat::methodCall(proxy, interface_name, method);
        ((void)(message << args), ...);
        compat::callAsync(proxy, message, std::move(handler), within);
    }

    // A call sent and not yet waited for: several can be in flight at once
    // (one round trip for an account's two maps instead of two).
    struct Pending {
        const char* method;
        std::chrono::milliseconds within;
        std::mutex mutex;
        std::condition_variable done_cv;
        bool done = false;
        std::optional<sdbus::MethodReply> reply;
        std::optional<sdbus::Error> error;
    };

    // Sends `method`; its reply is waited for by finish().
    template <typename... Args>
    std::shared_ptr<Pending> start(sdbus::IProxy& proxy, const char* interface_name, const char* method,
                                   std::chrono::milliseconds within, const Args&... args) {
        auto pending = std::make_shared<Pending>();
        pending->method = method;
        pending->within = within;
        try {
            send(
                proxy, interface_name, method,
                [pending](sdbus::MethodReply& reply, const sdbus::Error* error) {
                    std::lock_guard lock(pending->mutex);
                    if (error)
                        pending->error = *error;
                    else
                        pending->reply = reply;
                    pending->done = true;
                    pending->done_cv.notify_all();
                },
                within, args...);
        } catch (const sdbus::Error& e) {
            fail(method, e);
        }
        return pending;
    }

    // Waits in this thread for the reply of a started call. Before the loop
    // thread runs (followEvents), the waiting threads read the connection
    // themselves, one at a time (the others are woken by the handler of
    // their reply): calls started together still take one round trip.
    sdbus::MethodReply finish(Pending& pending) {
        // sd-bus times the call out itself; the margin covers a loop thread
        // that stopped (a broken connection) and so never answers.
        const auto deadline = std::chrono::steady_clock::now() + pending.within + std::chrono::seconds(2);
        std::unique_lock lock(pending.mutex);
        while (!pending.done) {
            if (std::chrono::steady_clock::now() >= deadline) {
                healthy = false;
                fail(pending.method, "org.freedesktop.DBus.Error.NoReply", "no reply from the D-Bus loop");
            }
            if (following) {
                pending.done_cv.wait_until(lock, deadline, [&] { return pending.done; });
                continue;
            }
            lock.unlock();  // the reply's handler takes it, maybe in this very thread
            bool read = false;
            if (std::unique_lock reader(reader_mutex, std::try_to_lock); reader) {
                try {
                    compat::readHere(*connection, std::chrono::milliseconds(20));
                } catch (const sdbus::Error&) {
                    // A broken connection: the call's own error or the deadline
                    // says so; meanwhile no hot loop.
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                }
                read = true;
            }
            lock.lock();
            if (!read) pending.done_cv.wait_for(lock, std::chrono::milliseconds(5), [&] { return pending.done; });
        }
        if (pending.error) fail(pending.method, *pending.error);
        return std::move(*pending.reply);
    }

    // Calls `method` and waits for its reply in this thread.
    template <typename... Args>
    sdbus::MethodReply call(sdbus::IProxy& proxy, const char* interface_name, const char* method,
                            std::chrono::milliseconds within, const Args&... args) {
        return finish(*start(proxy, interface_name, method, within, args...));
    }

    // A reply's value as Result; daemon_unsupported when it holds other types.
    template <typename Result>
    Result resultOf(sdbus::MethodReply& reply, const char* method) {
        Result result{};
        try {
            reply >> result;
        } catch (const sdbus::Error& e) {
            throw Error(
                code::kDaemonUnsupported,
                std::string("jamid answered ") + method + " with other types than expected (" + e.getMessage() + ")",
                "`jamictl daemon` shows which forms this jamid offers");
        }
        return result;
    }

    template <typename Result, typename... Args>
    Result callFor(sdbus::IProxy& proxy, const char* interface_name, const char* method, const Args&... args) {
        sdbus::MethodReply reply = call(proxy, interface_name, method, timeout, args...);
        return resultOf<Result>(reply, method);
    }

    template <typename Result, typename... Args>
    Result config_(const char* method, const Args&... args) {
        return callFor<Result>(*config, kConfigurationManager, method, args...);
    }
    template <typename Result, typename... Args>
    Result calls_(const char* method, const Args&... args) {
        return callFor<Result>(*calls, kCallManager, method, args...);
    }
    template <typename Result, typename... Args>
    Result video_(const char* method, const Args&... args) {
        return callFor<Result>(videoProxy(), kVideoManager, method, args...);
    }
    sdbus::IProxy& videoProxy() {
        std::lock_guard lock(video_mutex);
        if (!video) video = compat::proxy(*connection, kService, kVideoManagerPath);
        return *video;
    }
    template <typename... Args>
    void configVoid(const char* method, const Args&... args) {
        call(*config, kConfigurationManager, method, timeout, args...);
    }

    // --- what the running jamid offers

    std::shared_ptr<const DaemonInterface> daemonInterface() {
        {
            std::lock_guard lock(interface_mutex);
            if (interface && interface_current) return interface;
        }
        const std::string call_manager = callFor<std::string>(*calls, kIntrospectable, "Introspect");
        const std::string configuration = callFor<std::string>(*config, kIntrospectable, "Introspect");
        return adopt(call_manager, configuration, /*keep_current=*/false);
    }

    // Stores the interface read from the two introspections and returns the
    // one in force; with `keep_current`, a read already current wins (the
    // loop thread's early read never replaces a caller's own).
    std::shared_ptr<const DaemonInterface> adopt(std::string_view call_manager_xml, std::string_view configuration_xml,
                                                 bool keep_current) {
        auto found = std::make_shared<const DaemonInterface>(
            DaemonInterface::fromIntrospection(call_manager_xml, configuration_xml));
        std::lock_guard lock(interface_mutex);
        if (keep_current && interface_current) return interface;
        interface = found;
        interface_current = true;
        return found;
    }

    // The form this jamid uses for `feature`; daemon_unsupported when none.
    Form formOf(Feature feature, const char* needed_for) {
        const Form form = daemonInterface()->form(feature);
        if (form == Form::kNone)
            throw Error(
                code::kDaemonUnsupported,
                std::string("this jamid offers no form of ") + DaemonInterface::nameOf(feature) +
                    " that jami-skill knows, needed for " + needed_for,
                "`jamictl daemon` shows which forms this jamid offers; report the jamid version (jamid --version)");
        return form;
    }

    // Sends `method` and hands its reply to `then` on the loop thread; errors
    // are dropped (this is for learning things early, never for answers).
    template <typename... Args>
    void callThen(sdbus::IProxy& proxy, const char* interface_name, const char* method,
                  std::function<void(sdbus::MethodReply&)> then, const Args&... args) {
        try {
            send(
                proxy, interface_name, method,
                [then = std::move(then)](sdbus::MethodReply& reply, const sdbus::Error* error) {
                    if (error) return;
                    try {
                        then(reply);
                    } catch (...) {}
                },
                timeout, args...);
        } catch (const sdbus::Error&) {}
    }

    // The interface again, without waiting (from the constructor and the
    // loop thread): if jamid runs (asked of the bus first, so that this
    // never starts a D-Bus-activatable jamid), its two Introspect replies
    // are stored unless a caller's own read came first.
    void refreshInterfaceAsync() {
        callThen(
            *bus, kBus, "NameHasOwner",
            [this](sdbus::MethodReply& running_reply) {
                bool running = false;
                running_reply >> running;
                if (!running) return;
                callThen(*calls, kIntrospectable, "Introspect", [this](sdbus::MethodReply& calls_reply) {
                    std::string call_manager_xml;
                    calls_reply >> call_manager_xml;
                    callThen(*config, kIntrospectable, "Introspect",
                             [this, call_manager_xml](sdbus::MethodReply& config_reply) {
                                 std::string configuration_xml;
                                 config_reply >> configuration_xml;
                                 adopt(call_manager_xml, configuration_xml, /*keep_current=*/true);
                             });
                });
            },
            std::string(kService));
    }

    // Whether to read this signal of the two message signals: the one this
    // jamid is known to use; before that is known, both (14.0-16.0 send
    // both, so a message may then come twice; earlier and later send one).
    bool usesMessageSignal(Form form) {
        std::lock_guard lock(interface_mutex);
        if (!interface) return true;
        const Form chosen = interface->form(Feature::kMessageSignal);
        return chosen == form || chosen == Form::kNone;
    }

    void subscribe();
};

void JamidClient::Impl::subscribe() {
    using std::string;
    using Event = std::optional<json>;
    on<string, string, string, int32_t>(
        kCallManager, "callStateChanged",
        [](const string& account, const string& call_id, const string& state, int32_t code) -> Event {
            return json{{"type", event::kCallState},
                        {"account", account},
                        {"call_id", call_id},
                        {"jamid_state", state},
                        {"code", code}};
        });
    auto incoming = [](const string& account, const string& call_id, const string& from,
                       const MediaList& media) -> Event {
        return json{{"type", event::kCallIncoming},
                    {"account", account},
                    {"call_id", call_id},
                    {"from", from},
                    {"media", mediaKinds(media)}};
    };
    // Until 2025-12 incomingCall had no media (and incomingCallWithMedia came
    // too): the 3-argument form is not an error, just not the one we read.
    on<string, string, string, MediaList>(kCallManager, "incomingCall", incoming, /*strict=*/false);
    on<string, string, string, MediaList>(kCallManager, "incomingCallWithMedia", incoming);
    on<string, bool>(kCallManager, "peerHold", [](const string& call_id, bool holding) -> Event {
        return json{{"type", event::kCallPeerHold}, {"call_id", call_id}, {"holding", holding}};
    });
    // After each SDP negotiation (answer, re-INVITE for hold or mute): the
    // call's media are settled.
    on<string, string, MediaList>(
        kCallManager, "mediaNegotiationStatus",
        [](const string& call_id, const string& event, const MediaList& media) -> Event {
            return json{
                {"type", event::kCallMedia}, {"call_id", call_id}, {"event", event}, {"media", mediaKinds(media)}};
        });
    on<string, bool>(kCallManager, "audioMuted", [](const string& call_id, bool muted) -> Event {
        return json{{"type", event::kCallAudioMuted}, {"call_id", call_id}, {"muted", muted}};
    });
    on<string, string, string, StringMap>(
        kCallManager, "incomingMessage",
        [](const string& account, const string& call_id, const string& from, const StringMap& payloads) -> Event {
            return json{{"type", event::kCallMessage},
                        {"account", account},
                        {"call_id", call_id},
                        {"from", from},
                        {"payloads", payloads}};
        });

    const char* cm = kConfigurationManager;
    on<>(cm, "accountsChanged", []() -> Event { return json{{"type", event::kAccountsChanged}}; });
    on<string, string, int32_t, string>(
        cm, "registrationStateChanged",
        [](const string& account, const string& state, int32_t code, const string& detail) -> Event {
            return json{{"type", event::kAccountRegistration},
                        {"account", account},
                        {"state", state},
                        {"code", code},
                        {"detail", detail}};
        });
    on<string, StringMap>(
        cm, "volatileAccountDetailsChanged", [](const string& account, const StringMap& details) -> Event {
            return json{{"type", event::kAccountVolatile}, {"account", account}, {"details", details}};
        });
    on<string, string, string, std::vector<uint8_t>, uint64_t>(
        cm, "incomingTrustRequest",
        [](const string& account, const string& conversation_id, const string& from, const std::vector<uint8_t>&,
           uint64_t received) -> Event {
            return json{{"type", event::kContactRequest},
                        {"account", account},
                        {"from", from},
                        {"conversation_id", conversation_id},
                        {"received", received}};
        });
    on<string, string, bool>(cm, "contactAdded", [](const string& account, const string& uri, bool confirmed) -> Event {
        return json{{"type", event::kContactAdded}, {"account", account}, {"uri", uri}, {"confirmed", confirmed}};
    });
    on<string, string, bool>(cm, "contactRemoved", [](const string& account, const string& uri, bool banned) -> Event {
        return json{{"type", event::kContactRemoved}, {"account", account}, {"uri", uri}, {"banned", banned}};
    });
    on<string, string>(cm, "conversationReady", [](const string& account, const string& conversation_id) -> Event {
        return json{{"type", event::kConversationReady}, {"account", account}, {"conversation_id", conversation_id}};
    });
    on<string, string, StringMap>(
        cm, "conversationRequestReceived",
        [](const string& account, const string& conversation_id, const StringMap& metadata) -> Event {
            return json{{"type", event::kConversationRequest},
                        {"account", account},
                        {"conversation_id", conversation_id},
                        {"metadata", metadata}};
        });
    on<string, string, string, int32_t>(
        cm, "conversationMemberEvent",
        [](const string& account, const string& conversation_id, const string& member, int32_t event) -> Event {
            return json{{"type", event::kConversationMember},
                        {"account", account},
                        {"conversation_id", conversation_id},
                        {"member", member},
                        {"event", event}};
        });
    auto received = [](const string& account, const string& conversation_id, const StringMap& message) -> json {
        return json{{"type", event::kMessageReceived},
                    {"account", account},
                    {"conversation_id", conversation_id},
                    {"message", message}};
    };
    on<string, string, StringMap>(
        cm, "messageReceived",
        [this, received](const string& account, const string& conversation_id, const StringMap& message) -> Event {
            if (!usesMessageSignal(Form::kMessageReceived)) return std::nullopt;
            return received(account, conversation_id, message);
        });
    // 6 fields in 14.0-15.1, 7 since 15.2: both read, by hand.
    onRaw(cm, "swarmMessageReceived", [this, received](sdbus::Message& signal) {
        if (!usesMessageSignal(Form::kSwarmMessageReceived)) return;
        if (auto seven = read<string, string, SwarmMessage7>(signal)) {
            deliver(received(std::get<0>(*seven), std::get<1>(*seven), fromSwarm(std::get<2>(*seven))));
            return;
        }
        signal.rewind(true);
        if (auto six = read<string, string, SwarmMessage6>(signal)) {
            deliver(received(std::get<0>(*six), std::get<1>(*six), fromSwarm(std::get<2>(*six))));
            return;
        }
        unreadable("swarmMessageReceived");
    });
    // The XML names the 2nd and 3rd arguments (messageID, from); jamid
    // actually sends (from, messageID). We follow the wire, not the names.
    on<string, string, string, StringMap>(
        cm, "incomingAccountMessage",
        [](const string& account, const string& from, const string& message_id, const StringMap& payloads) -> Event {
            return json{{"type", event::kMessageAccount},
                        {"account", account},
                        {"from", from},
                        {"message_id", message_id},
                        {"payloads", payloads}};
        });
    on<string, string, string, string, int32_t>(
        cm, "accountMessageStatusChanged",
        [](const string& account, const string& conversation_id, const string& peer, const string& message_id,
           int32_t status) -> Event {
            return json{{"type", event::kMessageStatus},      {"account", account},
                        {"conversation_id", conversation_id}, {"peer", peer},
                        {"message_id", message_id},           {"status", status}};
        });
    auto loaded = [](uint32_t request_id, const string& account, const string& conversation_id,
                     const std::vector<StringMap>& messages) -> json {
        return json{{"type", event::kConversationLoaded},
                    {"request_id", request_id},
                    {"account", account},
                    {"conversation_id", conversation_id},
                    {"messages", messages}};
    };
    on<uint32_t, string, string, std::vector<StringMap>>(
        cm, "conversationLoaded",
        [loaded](uint32_t id, const string& account, const string& conversation_id,
                 const std::vector<StringMap>& messages) -> Event {
            return loaded(id, account, conversation_id, messages);
        });
    onRaw(cm, "swarmLoaded", [this, loaded](sdbus::Message& signal) {
        auto convert = [](const auto& list) {
            std::vector<StringMap> messages;
            messages.reserve(list.size());
            for (const auto& each : list) messages.push_back(fromSwarm(each));
            return messages;
        };
        if (auto seven = read<uint32_t, string, string, std::vector<SwarmMessage7>>(signal)) {
            auto& [id, account, conversation_id, list] = *seven;
            deliver(loaded(id, account, conversation_id, convert(list)));
            return;
        }
        signal.rewind(true);
        if (auto six = read<uint32_t, string, string, std::vector<SwarmMessage6>>(signal)) {
            auto& [id, account, conversation_id, list] = *six;
            deliver(loaded(id, account, conversation_id, convert(list)));
            return;
        }
        unreadable("swarmLoaded");
    });
    on<string, string>(cm, "conversationRemoved", [](const string& account, const string& conversation_id) -> Event {
        return json{{"type", event::kConversationRemoved}, {"account", account}, {"conversation_id", conversation_id}};
    });
    on<string, string, uint32_t, string>(
        cm, "onConversationError",
        [](const string& account, const string& conversation_id, uint32_t code, const string& what) -> Event {
            return json{{"type", event::kConversationError},
                        {"account", account},
                        {"conversation_id", conversation_id},
                        {"code", code},
                        {"what", what}};
        });
    on<string, int32_t, string>(
        cm, "nameRegistrationEnded", [](const string& account, int32_t status, const string& name) -> Event {
            return json{
                {"type", event::kAccountNameRegistration}, {"account", account}, {"status", status}, {"name", name}};
        });
    on<string, double>(cm, "volumeChanged", [](const string& device, double value) -> Event {
        return json{{"type", event::kAudioVolume}, {"device", device}, {"value", value}};
    });

    // A new jamid process may be another version: read its interface again.
    on<string, string, string>(
        kBus, "NameOwnerChanged",
        [this](const string& name, const string&, const string& owner) -> Event {
            if (name != kService) return std::nullopt;
            {
                std::lock_guard lock(interface_mutex);
                interface_current = false;
            }
            {
                std::lock_guard lock(video_mutex);
                media_player.reset();  // another version may have another VideoManager
            }
            if (!owner.empty()) refreshInterfaceAsync();  // asks NameHasOwner once more: cheap, and one path
            return std::nullopt;
        },
        /*strict=*/false);

    auto rule = [](const std::string& conditions) { return "type='signal'," + conditions; };
    auto deliverTo = [this](sdbus::Message& signal) { dispatch(signal); };
    for (const char* interface_name : {kCallManager, kConfigurationManager})
        matches.push_back(compat::addMatch(
            *connection, rule("sender='" + std::string(kService) + "',interface='" + interface_name + "'"), deliverTo));
    matches.push_back(compat::addMatch(*connection,
                                       rule("sender='" + std::string(kBus) + "',interface='" + kBus +
                                            "',member='NameOwnerChanged',arg0='" + kService + "'"),
                                       deliverTo));
}

namespace {

// The unix socket a bus address names first, if it names one ("" else).
// The session bus without DBUS_SESSION_BUS_ADDRESS is $XDG_RUNTIME_DIR/bus,
// as sd-bus has it.
std::string socketOf(const std::string& address) {
    std::string text = address;
    if (text.empty()) {
        if (const char* env = std::getenv("DBUS_SESSION_BUS_ADDRESS"); env && *env)
            text = env;
        else if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime)
            return std::string(runtime) + "/bus";
        else
            return {};
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

JamidClient::JamidClient(const JamidOptions& options, EventSink sink) : impl_(std::make_unique<Impl>()) {
    impl_->timeout = options.call_timeout;
    impl_->sink = std::move(sink);
    impl_->bus_description =
        options.bus_address.empty() ? std::string("the D-Bus session bus") : "the D-Bus bus at " + options.bus_address;
    const std::string hint = options.bus_address.empty()
                                 ? "jamid talks over a D-Bus session bus: start it with `jamictl daemon start` "
                                   "(no login session needed), or set DBUS_SESSION_BUS_ADDRESS / --bus to the bus "
                                   "where jamid runs"
                                 : "check the --bus address; a unix:path= socket must exist and be "
                                   "readable by you";
    if (const std::string path = socketOf(options.bus_address); nobodyListens(path))
        throw Error(code::kDaemonUnavailable,
                    "cannot connect to " + impl_->bus_description + ": nothing listens on " + path, hint);
    try {
        impl_->connection = options.bus_address.empty()
                                ? sdbus::createSessionBusConnection()
                                : sdbus::createSessionBusConnectionWithAddress(options.bus_address);
        impl_->connection->setMethodCallTimeout(options.call_timeout);
        impl_->bus = compat::proxy(*impl_->connection, kBus, "/org/freedesktop/DBus");
        impl_->calls = compat::proxy(*impl_->connection, kService, kCallManagerPath);
        impl_->config = compat::proxy(*impl_->connection, kService, kConfigurationManagerPath);
        if (options.follow_events) followEvents();
        // The interface is not read here: a one-shot command that never
        // listens would pay ~0.7 ms for it (two introspections, 40 kB of
        // XML); a listener asks for it (learnInterfaceSoon).
    } catch (const sdbus::Error& e) {
        throw Error(code::kDaemonUnavailable, "cannot connect to " + impl_->bus_description + ": " + e.getMessage(),
                    hint);
    }
}

JamidClient::~JamidClient() = default;

bool JamidClient::healthy() const noexcept { return impl_->healthy; }

bool JamidClient::daemonRunning() {
    return impl_->callFor<bool>(*impl_->bus, kBus, "NameHasOwner", std::string(kService));
}

json JamidClient::daemonInterface() { return impl_->daemonInterface()->describe(); }

void JamidClient::learnInterfaceSoon() {
    followEvents();  // for a listener, and the replies are read on the loop thread
    if (!impl_->interface_asked.exchange(true)) impl_->refreshInterfaceAsync();
}

void JamidClient::followEvents() {
    std::lock_guard lock(impl_->follow_mutex);
    if (impl_->following) return;
    try {
        impl_->subscribe();
        impl_->loop_thread = std::thread([impl = impl_.get()] { impl->runLoop(); });
    } catch (const sdbus::Error& e) {
        impl_->matches.clear();  // the next call tries again from nothing
        throw Error(code::kDaemonUnavailable,
                    "cannot follow jamid's signals on " + impl_->bus_description + ": " + e.getMessage(),
                    "check that the D-Bus bus is still running; the next request tries again");
    }
    impl_->following = true;
}

std::vector<std::string> JamidClient::accountIds() {
    return impl_->config_<std::vector<std::string>>("getAccountList");
}

AccountInfo JamidClient::account(const std::string& account_id) {
    // Both asked at once: one round trip.
    auto& i = *impl_;
    auto details_call = i.start(*i.config, kConfigurationManager, "getAccountDetails", i.timeout, account_id);
    auto status_call = i.start(*i.config, kConfigurationManager, "getVolatileAccountDetails", i.timeout, account_id);
    auto details_reply = i.finish(*details_call);
    auto status_reply = i.finish(*status_call);
    const auto details = i.resultOf<StringMap>(details_reply, "getAccountDetails");
    const auto status = i.resultOf<StringMap>(status_reply, "getVolatileAccountDetails");
    AccountInfo info;
    info.id = account_id;
    info.jami = field(details, "Account.type") == "RING";  // jamid's name for Jami accounts
    info.type = info.jami ? "jami" : lower(field(details, "Account.type"));
    info.alias = field(details, "Account.alias");
    info.display_name = field(details, "Account.displayName");
    info.username = field(details, "Account.username");
    info.hostname = field(details, "Account.hostname");
    info.enabled = field(details, "Account.enable") == "true";
    info.active = field(status, "Account.active") != "false";
    info.registration_status = field(status, "Account.registrationStatus");
    info.registered_name = field(status, "Account.registeredName");
    info.device_announced = field(status, "Account.deviceAnnounced") == "true";
    return info;
}

std::string JamidClient::addAccount(const NewAccount& account) {
    const bool sip = account.type == "sip";
    StringMap details{{"Account.type", sip ? "SIP" : "RING"}};
    if (!account.alias.empty()) {
        details["Account.alias"] = account.alias;
        details["Account.displayName"] = account.alias;
    }
    if (!sip) details["Account.archivePassword"] = "";  // a new Jami account, no archive password
    for (const auto& [key, value] : account.raw_details) details[key] = value;
    return impl_->config_<std::string>("addAccount", details);
}
void JamidClient::removeAccount(const std::string& account_id) { impl_->configVoid("removeAccount", account_id); }

void JamidClient::setAccountEnabled(const std::string& account_id, bool enable) {
    // sendRegister answers only once the DHT has stopped or started.
    const auto within = std::max(impl_->timeout, std::chrono::milliseconds(60000));
    impl_->call(*impl_->config, kConfigurationManager, "sendRegister", within, account_id, enable);
}

bool JamidClient::registerName(const std::string& account_id, const std::string& password, const std::string& name) {
    // 13.7 reads (account, password, name) and would misread the newer order
    // without a word: the form is the daemon's, never a guess.
    if (impl_->formOf(Feature::kRegisterName, "registering a name") == Form::kRegisterNameSchemePassword)
        return impl_->config_<bool>("registerName", account_id, name, std::string(),
                                    password);  // scheme "": the default
    return impl_->config_<bool>("registerName", account_id, password, name);
}

std::string JamidClient::placeAudioCall(const std::string& account_id, const std::string& to) {
    // Every key, lower-case booleans: jamid reads SOURCE and LABEL only when
    // ENABLED is valid, and placeCall (no media list) offers 0 media to SIP.
    const MediaList audio_only{{{"MEDIA_TYPE", "MEDIA_TYPE_AUDIO"},
                                {"ENABLED", "true"},
                                {"MUTED", "false"},
                                {"SOURCE", ""},
                                {"LABEL", "audio_0"}}};
    return impl_->calls_<std::string>("placeCallWithMedia", account_id, to, audio_only);
}

bool JamidClient::accept(const std::string& account_id, const std::string& call_id) {
    return impl_->calls_<bool>("accept", account_id, call_id);
}
bool JamidClient::refuse(const std::string& account_id, const std::string& call_id) {
    return impl_->calls_<bool>("refuse", account_id, call_id);
}
bool JamidClient::hangUp(const std::string& account_id, const std::string& call_id) {
    return impl_->calls_<bool>("hangUp", account_id, call_id);
}
bool JamidClient::joinCalls(const std::string& account_id, const std::string& call_id,
                            const std::string& other_call_id) {
    return impl_->calls_<bool>("joinParticipant", account_id, call_id, account_id, other_call_id);
}
bool JamidClient::hold(const std::string& account_id, const std::string& call_id) {
    return impl_->calls_<bool>("hold", account_id, call_id);
}
bool JamidClient::resume(const std::string& account_id, const std::string& call_id) {
    const bool renamed = impl_->formOf(Feature::kResume, "taking a call off hold") == Form::kResume;
    return impl_->calls_<bool>(renamed ? "resume" : "unhold", account_id, call_id);
}
bool JamidClient::muteAudio(const std::string& account_id, const std::string& call_id, bool mute) {
    // "MEDIA_TYPE_AUDIO", not the "AUDIO" the XML documents (ignored by jamid).
    return impl_->calls_<bool>("muteLocalMedia", account_id, call_id, std::string("MEDIA_TYPE_AUDIO"), mute);
}
void JamidClient::playDtmf(const std::string& key) {
    impl_->call(*impl_->calls, kCallManager, "playDTMF", impl_->timeout, key);
}
std::vector<std::string> JamidClient::callIds() {
    return impl_->calls_<std::vector<std::string>>("getCallList", std::string());
}
CallInfo JamidClient::call(const std::string& account_id, const std::string& call_id) {
    const auto details = impl_->calls_<StringMap>("getCallDetails", account_id, call_id);
    CallInfo info;
    if (details.empty()) return info;  // jamid does not know the call
    info.id = call_id;
    info.account = field(details, "ACCOUNTID");
    info.peer = field(details, "PEER_NUMBER");
    const std::string type = field(details, "CALL_TYPE");
    info.direction = type == "1" ? "outgoing" : type == "0" ? "incoming" : "";
    info.state = field(details, "CALL_STATE");
    info.muted = field(details, "AUDIO_MUTED") == "true";
    if (auto start = field(details, "TIMESTAMP_START"); !start.empty()) info.started_s = std::atoll(start.c_str());
    return info;
}
void JamidClient::setVolume(const std::string& device, double value) { impl_->configVoid("setVolume", device, value); }
double JamidClient::volume(const std::string& device) { return impl_->config_<double>("getVolume", device); }

std::vector<std::string> JamidClient::audioInputDevices() {
    return impl_->config_<std::vector<std::string>>("getAudioInputDeviceList");
}
std::vector<std::string> JamidClient::audioOutputDevices() {
    return impl_->config_<std::vector<std::string>>("getAudioOutputDeviceList");
}
void JamidClient::setAudioInputDevice(int index) { impl_->configVoid("setAudioInputDevice", int32_t{index}); }
void JamidClient::setAudioOutputDevice(int index) { impl_->configVoid("setAudioOutputDevice", int32_t{index}); }
std::vector<int> JamidClient::currentAudioDevices() {
    std::vector<int> out;  // jamid answers the indexes as strings
    for (const auto& index : impl_->config_<std::vector<std::string>>("getCurrentAudioDevicesIndex"))
        out.push_back(std::atoi(index.c_str()));
    return out;
}
bool JamidClient::hasMediaPlayer() {
    {
        std::lock_guard lock(impl_->video_mutex);
        if (impl_->media_player) return *impl_->media_player;
    }
    // Asked with no lock held (a D-Bus call); two first askers both read it.
    // A jamid without video support may have no VideoManager: no player.
    jamid::Members members;
    try {
        members =
            jamid::parseIntrospection(impl_->callFor<std::string>(impl_->videoProxy(), kIntrospectable, "Introspect"));
    } catch (const Error&) {
        return false;  // not remembered: jamid may just be restarting
    }
    const bool has = members.count("method createMediaPlayer") && members.count("method pausePlayer") &&
                     members.count("method getPlayerPosition") && members.count("method getPlayerDuration") &&
                     members.count("method closeMediaPlayer");
    std::lock_guard lock(impl_->video_mutex);
    impl_->media_player = has;
    return has;
}
std::string JamidClient::createMediaPlayer(const std::string& uri) {
    return impl_->video_<std::string>("createMediaPlayer", uri);
}
bool JamidClient::playIntoCall(const std::string& account_id, const std::string& call_id, const std::string& uri) {
    // One audio stream whose source is the player: a second stream (what
    // Jami's own "share file" adds) is dropped by peers without multi-stream.
    const std::vector<StringMap> media{{{"MEDIA_TYPE", "MEDIA_TYPE_AUDIO"},
                                        {"ENABLED", "true"},
                                        {"MUTED", "false"},
                                        {"SOURCE", uri},
                                        {"LABEL", "audio_0"}}};
    return impl_->calls_<bool>("requestMediaChange", account_id, call_id, media);
}
bool JamidClient::pausePlayer(const std::string& id, bool pause) {
    return impl_->video_<bool>("pausePlayer", id, pause);
}
std::int64_t JamidClient::playerPosition(const std::string& id) {
    return impl_->video_<std::int64_t>("getPlayerPosition", id);
}
std::int64_t JamidClient::playerDuration(const std::string& id) {
    return impl_->video_<std::int64_t>("getPlayerDuration", id);
}
bool JamidClient::closeMediaPlayer(const std::string& id) { return impl_->video_<bool>("closeMediaPlayer", id); }

std::string JamidClient::noiseSuppression() { return impl_->config_<std::string>("getNoiseSuppressState"); }
void JamidClient::setNoiseSuppression(const std::string& state) { impl_->configVoid("setNoiseSuppressState", state); }

void JamidClient::addContact(const std::string& account_id, const std::string& uri) {
    impl_->configVoid("addContact", account_id, uri);
}
void JamidClient::sendTrustRequest(const std::string& account_id, const std::string& uri, const std::string& payload) {
    impl_->configVoid("sendTrustRequest", account_id, uri, std::vector<uint8_t>(payload.begin(), payload.end()));
}
std::vector<TrustRequest> JamidClient::trustRequests(const std::string& account_id) {
    std::vector<TrustRequest> out;
    for (const auto& r : impl_->config_<std::vector<StringMap>>("getTrustRequests", account_id))
        out.push_back({field(r, "from"), field(r, "conversationId"), std::atoll(field(r, "received").c_str())});
    return out;
}
bool JamidClient::acceptTrustRequest(const std::string& account_id, const std::string& from) {
    return impl_->config_<bool>("acceptTrustRequest", account_id, from);
}
bool JamidClient::discardTrustRequest(const std::string& account_id, const std::string& from) {
    return impl_->config_<bool>("discardTrustRequest", account_id, from);
}
std::string JamidClient::conversationWith(const std::string& account_id, const std::string& uri) {
    return field(impl_->config_<StringMap>("getContactDetails", account_id, uri), "conversationId");
}
std::vector<std::string> JamidClient::conversationIds(const std::string& account_id) {
    return impl_->config_<std::vector<std::string>>("getConversations", account_id);
}
std::vector<ConversationMember> JamidClient::conversationMembers(const std::string& account_id,
                                                                 const std::string& conversation_id) {
    std::vector<ConversationMember> out;
    for (const auto& m : impl_->config_<std::vector<StringMap>>("getConversationMembers", account_id, conversation_id))
        out.push_back({field(m, "uri"), field(m, "role")});
    return out;
}
void JamidClient::sendMessage(const std::string& account_id, const std::string& conversation_id,
                              const std::string& text) {
    // flag 0: a new text message, not a reply, edit or reaction.
    impl_->configVoid("sendMessage", account_id, conversation_id, text, std::string(), int32_t{0});
}
std::uint64_t JamidClient::sendTextMessage(const std::string& account_id, const std::string& to,
                                           const std::string& text) {
    const StringMap payloads{{"text/plain", text}};
    if (impl_->formOf(Feature::kSendText, "a SIP text message") == Form::kSendTextWithFlag)
        return impl_->config_<std::uint64_t>("sendTextMessage", account_id, to, payloads, int32_t{0});  // 0: plain
    return impl_->config_<std::uint64_t>("sendTextMessage", account_id, to, payloads);
}
int JamidClient::messageStatus(std::uint64_t id) { return impl_->config_<int32_t>("getMessageStatus", id); }
std::uint32_t JamidClient::loadConversation(const std::string& account_id, const std::string& conversation_id,
                                            std::uint32_t count) {
    const bool swarm = impl_->formOf(Feature::kHistory, "reading messages") == Form::kLoadConversation;
    return impl_->config_<std::uint32_t>(swarm ? "loadConversation" : "loadConversationMessages", account_id,
                                         conversation_id, std::string(), count);
}

void JamidClient::startDaemon() {
    try {
        impl_->call(*impl_->bus, kBus, "StartServiceByName", std::max(impl_->timeout, std::chrono::milliseconds(30000)),
                    std::string(kService), uint32_t{0});
    } catch (const Error& e) {
        throw Error(code::kDaemonUnavailable, "cannot start jamid on " + impl_->bus_description + ": " + e.what(),
                    "this bus has no D-Bus service file for cx.ring.Ring (package jami-daemon installs "
                    "/usr/share/dbus-1/services/cx.ring.Ring.service for the session bus); start "
                    "/usr/libexec/jamid -p yourself (the Flatpak and Snap Jami apps offer no D-Bus jamid)");
    }
}

}  // namespace jskill
