// The few sdbus-c++ calls whose form differs between 1.x (Debian 12's 1.2,
// Ubuntu 24.04's 1.4) and 2.x (Debian 13's 2.1): strong name types, the
// async-call and match-rule signatures.
// Included by skill/jamid/*.cpp only.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include <poll.h>

#include <sdbus-c++/sdbus-c++.h>

// VTableItems.h is new in 2.0.
#if __has_include(<sdbus-c++/VTableItems.h>)
#define JSKILL_SDBUS_2 1
#else
#define JSKILL_SDBUS_2 0
#endif

namespace jskill::jamid::compat {

// Called on the connection's event-loop thread with the reply, or with the
// error (then `reply` must not be read).
using ReplyHandler = std::function<void(sdbus::MethodReply& reply, const sdbus::Error* error)>;
using MessageHandler = std::function<void(sdbus::Message& message)>;

inline std::unique_ptr<sdbus::IProxy> proxy(sdbus::IConnection& connection, const char* service, const char* path) {
#if JSKILL_SDBUS_2
    return sdbus::createProxy(connection, sdbus::ServiceName(service), sdbus::ObjectPath(path));
#else
    return sdbus::createProxy(connection, service, path);
#endif
}

inline sdbus::MethodCall methodCall(sdbus::IProxy& proxy, const char* interface, const char* method) {
#if JSKILL_SDBUS_2
    return proxy.createMethodCall(sdbus::InterfaceName(interface), sdbus::MethodName(method));
#else
    return proxy.createMethodCall(interface, method);
#endif
}

// Sends without blocking the connection: 2.x would hold the connection for
// the whole of a synchronous call, and the signals behind it would wait.
inline void callAsync(sdbus::IProxy& proxy, const sdbus::MethodCall& call, ReplyHandler handler,
                      std::chrono::microseconds timeout) {
    const auto micros = static_cast<uint64_t>(timeout.count());
#if JSKILL_SDBUS_2
    (void)proxy.callMethodAsync(
        call,
        [handler = std::move(handler)](sdbus::MethodReply reply, std::optional<sdbus::Error> error) {
            handler(reply, error ? &*error : nullptr);
        },
        micros);
#else
    (void)proxy.callMethod(call, std::move(handler), micros);
#endif
}

// One step of reading the connection in the caller's thread, for when no
// loop thread runs: processes one pending message (a reply calls its
// handler here), else waits at most `slice` for the socket to have one.
inline void readHere(sdbus::IConnection& connection, std::chrono::milliseconds slice) {
#if JSKILL_SDBUS_2
    if (connection.processPendingEvent()) return;
#else
    if (connection.processPendingRequest()) return;
#endif
    const auto data = connection.getEventLoopPollData();
    pollfd socket{data.fd, data.events, 0};
    (void)::poll(&socket, 1, static_cast<int>(slice.count()));
}

// Calls `handler` on the loop thread with every message that matches `rule`,
// for as long as the returned slot lives (one AddMatch round trip).
inline sdbus::Slot addMatch(sdbus::IConnection& connection, const std::string& rule, MessageHandler handler) {
#if JSKILL_SDBUS_2
    return connection.addMatch(
        rule, [handler = std::move(handler)](sdbus::Message message) { handler(message); }, sdbus::return_slot);
#else
    return connection.addMatch(rule, std::move(handler));
#endif
}

// A signal's (interface, member); 1.x gives std::string, 2.x const char* (null when absent).
inline std::pair<std::string, std::string> signalName(const sdbus::Message& signal) {
#if JSKILL_SDBUS_2
    const char* interface = signal.getInterfaceName();
    const char* member = signal.getMemberName();
    return {interface ? interface : "", member ? member : ""};
#else
    return {signal.getInterfaceName(), signal.getMemberName()};
#endif
}

}  // namespace jskill::jamid::compat
