// Two real jamid daemons of the lab talking SIP IP to IP (no DHT, no
// registrar) on the lab's TEST-NET address, each with its own PulseAudio
// (tests/harness/jamilab.sh): one SIP account per side and its skill, and
// a recorder of what a side's speaker played. For the voice tests
// (jamid.voice) and the answering machine's (jamid.answering).
#pragma once

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/audio.hpp"
#include "support/lab_side.hpp"

namespace test {

inline std::string env(const char* name) {
    const char* value = std::getenv(name);
    REQUIRE_MESSAGE(value, name << " is not set: run through ctest");
    return value;
}

inline json sipDetails(const std::string& port) {
    return {{"Account.localPort", port},     {"Account.upnpEnabled", "false"},  {"STUN.enable", "false"},
            {"TURN.enable", "false"},        {"Account.videoEnabled", "false"}, {"SRTP.keyExchange", ""},
            {"Account.publishedAddress", ""}};
}

// Its calls come from "sip:<name>@<this machine's host name>" (jamid's From
// of an IP-to-IP account).
inline json withUser(json details, const std::string& name) {
    details["Account.username"] = name;
    return details;
}

// A SIP account on one side, and its skill.
struct SipSide {
    std::filesystem::path dir;
    std::unique_ptr<Skill> skill;
    std::string account;
    SipSide(const std::filesystem::path& base, const char* bus_var, const std::string& name, const std::string& port,
            const std::string& config, json extra = json::object()) {
        dir = base / name;
        writeFile(dir / "TOOLS.md", "## Jami Configuration\n- Contacts only: no\n" + config);
        json options{{"bus", busOf(bus_var)},
                     {"tools_md", (dir / "TOOLS.md").string()},
                     {"state_dir", (dir / "state").string()}};
        for (auto& [k, v] : extra.items()) options[k] = v;
        skill = std::make_unique<Skill>(options);
        auto created = (*skill)({{"action", "account.create"},
                                 {"confirmed", true},
                                 {"type", "sip"},
                                 {"alias", name},
                                 {"details", withUser(sipDetails(port), name)}});
        REQUIRE_MESSAGE(created["ok"] == true, created.dump());
        account = created["account"]["id"];
    }
    ~SipSide() {  // the next test binds its own ports
        if (skill && !account.empty())
            (*skill)({{"action", "account.remove"}, {"account", account}, {"confirmed", true}});
    }
    json operator()(const json& request) const { return (*skill)(request); }
};

// parec of one PulseAudio sink's monitor, 16 kHz mono s16le, into a file.
struct Recorder {
    pid_t pid = -1;
    std::filesystem::path file;
    Recorder(const std::string& server, const std::filesystem::path& into) : file(into) {
        pid = spawnOnServer(server, {"parec", "-d", "nullsink.monitor", "--raw", "--format=s16le", "--rate=16000",
                                     "--channels=1", "--latency-msec=50", file.string()});
        REQUIRE(pid > 0);
    }
    // Stops it (SIGINT flushes what it holds) and returns the energy per 100 ms.
    std::vector<double> stop() {
        ::kill(pid, SIGINT);
        int status = 0;
        ::waitpid(pid, &status, 0);
        return rmsWindows(file, 1600);
    }
};

inline double secondsAbove(const std::vector<double>& rms, double level) {
    double seconds = 0;
    for (double r : rms)
        if (r > level) seconds += 0.1;
    return seconds;
}

}  // namespace test
