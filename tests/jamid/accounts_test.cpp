// Accounts on a real jamid, through the C ABI (tests/harness/jamilab.sh
// starts the daemon on a private bus inside a private network namespace).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/skill_handle.hpp"

using nlohmann::json;
using test::busOf;
using test::localJamiDetails;
using test::Skill;
using namespace std::chrono_literals;

namespace {

bool listed(const json& list, const std::string& id) {
    for (const auto& a : list["accounts"])
        if (a["id"] == id) return true;
    return false;
}

}  // namespace

TEST_CASE("SIP and Jami accounts created through the skill appear in account.list") {
    Skill skill({{"bus", busOf("JAMILAB_BUS_A")}, {"tools_md", TEST_TOOLS_MD}});

    json sip = skill({{"action", "account.create"},
                      {"confirmed", true},
                      {"type", "sip"},
                      {"alias", "sip-test"},
                      {"details", {{"Account.localPort", "5072"}, {"Account.videoEnabled", "false"}}}});
    REQUIRE_MESSAGE(sip["ok"] == true, sip.dump());
    CHECK(sip["account"]["type"] == "sip");
    const std::string sip_id = sip["account"]["id"];

    // Unique per run: a rerun on the same lab must not make the alias ambiguous.
    const std::string jami_alias = "jami-test-" + std::to_string(::getpid());
    json jami = skill({{"action", "account.create"},
                       {"confirmed", true},
                       {"type", "jami"},
                       {"alias", jami_alias},
                       {"details", localJamiDetails()}});
    REQUIRE_MESSAGE(jami["ok"] == true, jami.dump());
    CHECK(jami["account"]["type"] == "jami");
    const std::string jami_id = jami["account"]["id"];

    json list = skill({{"action", "account.list"}});
    REQUIRE(list["ok"] == true);
    CHECK(listed(list, sip_id));
    CHECK(listed(list, jami_id));

    // The Jami identity is generated in the background; the skill reports it
    // once jamid has it, and jamid's signals arrive as events meanwhile.
    bool saw_registration_event = false;
    std::string jami_uri;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline && (jami_uri.empty() || !saw_registration_event)) {
        while (auto e = skill.event(100)) {
            if ((*e)["type"] == "account.registration" && (*e)["account"] == jami_id) saw_registration_event = true;
        }
        json info = skill({{"action", "account.info"}, {"account", jami_alias}});
        REQUIRE(info["ok"] == true);
        jami_uri = info["account"]["jami_id"];
    }
    CHECK(saw_registration_event);
    REQUIRE(jami_uri.size() == 40);

    // Looked up by its Jami ID as well as by alias and id.
    json by_uri = skill({{"action", "account.info"}, {"account", jami_uri}});
    CHECK(by_uri["account"]["id"] == jami_id);
    CHECK(by_uri["tools_md"]["contacts"] == 6);

    // Two accounts and none named in the request or TOOLS.md -> a clear choice.
    Skill no_default({{"bus", busOf("JAMILAB_BUS_A")}, {"tools_md", TEST_DATA_DIR "/no_account.md"}});
    json ambiguous = no_default({{"action", "account.info"}});
    CHECK(ambiguous["ok"] == false);
    CHECK(ambiguous["error"]["code"] == "ambiguous_account");
    CHECK(ambiguous["candidates"].size() >= 2);
}

TEST_CASE("unknown accounts and refused account types give structured errors") {
    Skill skill({{"bus", busOf("JAMILAB_BUS_A")}, {"tools_md", ""}});
    json unknown = skill({{"action", "account.info"}, {"account", "no-such-account"}});
    CHECK(unknown["error"]["code"] == "unknown_account");
    json bad_type = skill({{"action", "account.create"}, {"confirmed", true}, {"type", "skype"}});
    CHECK(bad_type["error"]["code"] == "invalid_argument");
    CHECK(bad_type["error"].contains("hint"));
}

TEST_CASE("the real jamid 13.7's interface is read from the daemon: its forms of each changed feature") {
    Skill skill({{"bus", busOf("JAMILAB_BUS_A")}, {"tools_md", TEST_TOOLS_MD}});
    json status = skill({{"action", "daemon.status"}});
    REQUIRE_MESSAGE(status["ok"] == true, status.dump());
    const json& found = status["interface"];
    REQUIRE_MESSAGE(found.value("known", false), status.dump());
    CHECK(found["missing"].empty());
    // Debian 12's jami-daemon 20230206 (docs/jamid.md lists every form).
    CHECK(found["features"]["resume"] == "unhold(ss)");
    CHECK(found["features"]["send_text"] == "sendTextMessage(ssa{ss})");
    CHECK(found["features"]["register_name"] == "registerName(sss)");
    CHECK(found["features"]["history"] == "loadConversationMessages(sssu) + conversationLoaded");
    CHECK(found["features"]["message_signal"] == "messageReceived(ssa{ss})");
    CHECK(found["features"]["incoming_call"] == "incomingCallWithMedia(sssaa{ss})");
}

TEST_CASE("no jamid: daemon_unavailable with a hint, quickly, not a hang") {
    Skill skill({{"bus", "unix:path=/nonexistent/bus.sock"}, {"timeout_ms", 2000}});
    auto start = std::chrono::steady_clock::now();
    json r = skill({{"action", "account.list"}});
    CHECK(r["ok"] == false);
    CHECK(r["error"]["code"] == "daemon_unavailable");
    CHECK_FALSE(r["error"]["hint"].get<std::string>().empty());
    CHECK(std::chrono::steady_clock::now() - start < 3s);
}

TEST_CASE("a bus without jamid: daemon_unavailable naming the daemon") {
    Skill skill({{"bus", busOf("JAMILAB_BUS_EMPTY")}, {"timeout_ms", 2000}});
    json r = skill({{"action", "account.list"}});
    CHECK(r["ok"] == false);
    CHECK(r["error"]["code"] == "daemon_unavailable");
    CHECK(r["error"]["message"].get<std::string>().find("jamid is not running") != std::string::npos);
}
