// Helpers of the tests on real jamid daemons (the lab): one Jami account per
// side, bounded polls, event predicates.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "support/files.hpp"
#include "support/skill_handle.hpp"

namespace test {

inline bool isType(const json& e, const char* type) { return e.value("type", "") == type; }

// A text message from the peer (not our own echo, not a join or merge commit).
inline bool isText(const json& e) {
    return isType(e, "message.received") && e.value("direction", "") == "in" &&
           e["message"].value("type", "") == "text/plain";
}

// Polls `probe` until it returns true, for at most `limit`.
template <class F>
bool within(std::chrono::milliseconds limit, F&& probe) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (probe()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

// A Jami account on one daemon, registered on the lab DHT and announced.
// Its TOOLS.md and state (call log, audit log, ledger) live in `dir`.
struct Side {
    std::string bus, account, uri;
    std::filesystem::path dir, tools, log;
    json extra_options = json::object();
    std::unique_ptr<Skill> skill;

    Side(const char* bus_var, const std::filesystem::path& directory) : bus(busOf(bus_var)), dir(directory) {
        tools = dir / "TOOLS.md";
        log = dir / "calls.jsonl";
        writeFile(tools, "# " + dir.filename().string() + "\n");
        open();
        auto created = (*skill)({{"action", "account.create"},
                                 {"confirmed", true},
                                 {"type", "jami"},
                                 {"alias", dir.filename().string()},
                                 {"details", localJamiDetails()}});
        REQUIRE_MESSAGE(created["ok"] == true, created.dump());
        account = created["account"]["id"];
    }
    void open() {
        json options{{"bus", bus}, {"tools_md", tools.string()}, {"call_log", log.string()}};
        for (auto& [k, v] : extra_options.items()) options[k] = v;
        skill = std::make_unique<Skill>(options);
    }
    json operator()(const json& request) const { return (*skill)(request); }
    json info() const { return (*skill)({{"action", "account.info"}, {"account", account}})["account"]; }
    bool ready() {
        auto a = info();
        uri = a.value("jami_id", "");
        return a.value("status", "") == "REGISTERED" && a.value("device_announced", false) && !uri.empty();
    }
    template <class F>
    std::optional<json> waitEvent(F&& accept, std::chrono::milliseconds limit) const {
        return skill->waitEvent(accept, limit);
    }
};

}  // namespace test
