// Test helpers shared by the tests that drive the skill through its C ABI.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "jami_skill.h"

namespace test {

using nlohmann::json;

// The bus of a lab instance, from the environment ctest's fixture sets.
inline std::string busOf(const char* name) {
    const char* bus = std::getenv(name);
    REQUIRE_MESSAGE(bus != nullptr, (std::string(name) + " is not set: run through ctest (the jamilab fixture)"));
    return bus;
}

// One open skill; requests and events as JSON.
struct Skill {
    jami_skill* handle = nullptr;
    explicit Skill(const json& options) {
        char* error = nullptr;
        handle = jami_skill_open(options.dump().c_str(), &error);
        REQUIRE_MESSAGE(handle != nullptr, (error ? error : "open failed"));
    }
    ~Skill() { jami_skill_close(handle); }
    Skill(const Skill&) = delete;
    Skill& operator=(const Skill&) = delete;

    json operator()(const json& request) const {
        char* raw = jami_skill_handle(handle, request.dump().c_str());
        json result = json::parse(raw);
        jami_skill_free_string(raw);
        // internal_error is a bug by definition: no request of any suite may get it.
        CHECK_MESSAGE(
            !(result.is_object() && result.contains("error") && result["error"].value("code", "") == "internal_error"),
            request.dump() << " -> " << result.dump());
        return result;
    }
    std::optional<json> event(int timeout_ms) const {
        char* raw = jami_skill_next_event(handle, timeout_ms);
        if (!raw) return std::nullopt;
        json e = json::parse(raw);
        jami_skill_free_string(raw);
        return e;
    }
    // The first event `accept` takes within `timeout`; others are dropped.
    template <class F>
    std::optional<json> waitEvent(F&& accept, std::chrono::milliseconds timeout) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            auto e = event(static_cast<int>(left.count()));
            if (!e) return std::nullopt;
            if (accept(*e)) return e;
        }
    }
};

// A Jami account that only talks to the lab's dhtnode: every default that
// points at jami.net is overridden (jamid-lab.md, section 1.5).
inline json localJamiDetails() {
    return {{"Account.hostname", "127.0.0.1:4222"},
            {"Account.proxyEnabled", "false"},
            {"Account.proxyServer", ""},
            {"Account.dhtProxyListUrl", ""},
            {"Account.upnpEnabled", "false"},
            {"TURN.enable", "false"},
            {"TURN.server", ""},
            {"STUN.enable", "false"},
            {"Account.peerDiscovery", "false"},
            {"Account.accountDiscovery", "false"},
            {"Account.accountPublish", "false"},
            {"RingNS.uri", "http://127.0.0.1:1"},
            {"Account.videoEnabled", "false"},
            {"Account.ringtoneEnabled", "false"}};
}

}  // namespace test
