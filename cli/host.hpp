// What a command jamictl carries out itself (several requests, or processes
// of its own: events, daemon start|stop|status, setup) is given: the open
// skill, the global options, and jamictl's way of showing a result.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/plugin_loader.hpp"

namespace jamictl {

struct Host {
    Plugin& plugin;
    jami_skill* skill;
    bool json_output = false;
    bool yes = false;      // --yes: the user confirmed, ask nothing
    bool dry_run = false;  // --dry-run: the skill is open for reading; change nothing
    std::optional<std::string> tools;

    // One request through the ABI, its result.
    nlohmann::json ask(const nlohmann::json& request) const;
    // The result as jamictl shows any (--json: one line on stdout; else the
    // action's printer, or the error on stderr); the exit status, 0 or 1.
    int report(const std::string& action, const nlohmann::json& result) const;
};

// The procedures of the command table (cli/commands.cpp), each in its file.
using Words = std::vector<std::string>;
int streamEvents(Host& host, Words& words);    // events.cpp: `events`
int listenMessages(Host& host, Words& words);  // events.cpp: `message listen`
int daemonStart(Host& host, Words& words);     // daemon_service.cpp
int daemonStop(Host& host, Words& words);      // daemon_service.cpp
int daemonStatus(Host& host, Words& words);    // daemon_service.cpp
int setup(Host& host, Words& words);           // setup.cpp

}  // namespace jamictl
