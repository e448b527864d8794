// jamid as a service (cli/daemon_service.cpp says how each is chosen):
// what `daemon start|stop|status` and `setup` share.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cli/host.hpp"

namespace jamictl {

enum class Service {
    kSystemd,     // the user unit jami-skill-jamid.service
    kSessionBus,  // a bus the user named (--bus, DBUS_SESSION_BUS_ADDRESS): D-Bus activation
    kPrivateBus,  // our own dbus-daemon and jamid, the address in the skill's bus file
};

// Which applies, given daemon.status's answer (its bus_from).
Service serviceOf(const nlohmann::json& status);
std::string serviceName(Service service);

// Starts jamid unless it runs; daemon.status's answer after, with
// "service", "started" or "already"; an error result when it cannot.
// In a dry run, says what it would do.
nlohmann::json startDaemon(Host& host);

}  // namespace jamictl
