// Reaching only the right person, through the skill's C ABI and without a
// daemon: every request that would act is sent with a bus that does not
// exist, so a request the policy lets through answers daemon_unavailable,
// and one refused before jamid answers its refusal. Dry runs are checked to
// write nothing. The examples are the ones the trust issue found on main.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "support/skill_handle.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using test::codeOf;
using test::kNoBus;
using test::Skill;
using test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string hexId(int n) {
    char buffer[41];
    std::snprintf(buffer, sizeof buffer, "%040x", n);
    return buffer;
}

std::string book(const std::vector<std::pair<std::string, std::string>>& contacts, const std::string& extra = "") {
    std::string text = "# Notes\n\n## Jami Configuration\n" + extra + "- Contacts:\n";
    for (const auto& [name, id] : contacts) text += "  - " + name + ": " + id + "\n";
    return text;
}

// A skill on `tools` that acts for real (no dry run) against a bus that is not there.
json options(const TempDir& dir, const fs::path& tools, json more = json::object()) {
    json o{
        {"tools_md", tools.string()}, {"state_dir", (dir.path / "state").string()}, {"bus", kNoBus}, {"host", "test"}};
    for (auto& [k, v] : more.items()) o[k] = v;
    return o;
}

bool suggests(const json& r, const std::string& name) {
    for (const auto& s : r.value("suggestions", json::array()))
        if (s.value("name", "") == name) return true;
    return false;
}

const std::string kStranger = "9999999999999999999999999999999999999999";

}  // namespace

TEST_CASE("near-miss names never act: unknown_contact with the near contact as a suggestion") {
    TempDir dir("near");
    auto tools = dir.write(
        "TOOLS.md",
        book({{"Will", hexId(1)}, {"Mom", hexId(2)}, {"Dad", hexId(3)}, {"Mary", hexId(4)}, {"张三", hexId(5)}}));
    Skill skill(options(dir, tools));
    const std::vector<std::pair<std::string, std::string>> near = {
        {"call Bill", "Will"},     {"call tom", "Mom"}, {"message mark hello", "Mary"}, {"给张三丰打电话", "张三"},
        {"call zhang si", "张三"}, {"call Dan", "Dad"}, {"给章三打电话", "张三"}};
    for (const auto& [sentence, near_name] : near) {
        auto r = skill({{"text", sentence}});
        CHECK_MESSAGE(codeOf(r) == "unknown_contact", sentence << " -> " << r.dump());
        CHECK_MESSAGE(suggests(r, near_name), sentence << " -> " << r.dump());
    }
    CHECK(codeOf(skill({{"action", "call.start"}, {"contact", "Bill"}})) == "unknown_contact");
    CHECK(codeOf(skill({{"action", "message.send"}, {"contact", "Mark"}, {"message", "hi"}})) == "unknown_contact");
    // Exact names, aliases, spellings and pinyin do act (and meet the missing bus).
    for (const char* sentence : {"call will", "call MOM", "call zhang san", "给张三打电话", "message mary hello"})
        CHECK_MESSAGE(codeOf(skill({{"text", sentence}})) == "daemon_unavailable", sentence);
    // Every result says which step matched.
    auto planned = skill({{"text", "call zhang san"}, {"dry_run", true}});
    CHECK(planned["contact"]["match"] == "pinyin");
    CHECK(planned["target"]["match"] == "pinyin");
}

TEST_CASE("pronouns and self-references never resolve, in English and Chinese") {
    TempDir dir("pronouns");
    auto tools = dir.write("TOOLS.md", book({{"Meg", hexId(1)}, {"Kim", hexId(2)}, {"Ta", hexId(3)}}));
    Skill skill(options(dir, tools));
    for (const char* sentence :
         {"call me", "tell me a joke", "tell him I said hi", "message her hello", "call them", "call us", "call it",
          "给他打电话", "给我打电话", "给我们发消息说好的", "告诉她我到了"}) {
        auto r = skill({{"text", sentence}});
        const std::string c = codeOf(r);
        CHECK_MESSAGE((c == "unknown_contact" || c == "no_intent"), sentence << " -> " << r.dump());
    }
    CHECK(codeOf(skill({{"action", "call.start"}, {"contact", "him"}})) == "unknown_contact");
    CHECK(codeOf(skill({{"text", "call Meg"}})) == "daemon_unavailable");  // a name still acts
}

TEST_CASE("the contact book comes from the workspace, never from a repository in the current directory") {
    TempDir dir("discovery");
    const fs::path cwd = fs::current_path();
    const char* saved_home = std::getenv("HOME");
    const std::string home = saved_home ? saved_home : "";
    auto workspace = dir.write("workspace/TOOLS.md", book({{"Mom", hexId(1)}}));
    auto repo_agents = dir.write("repo/AGENTS.md", book({{"Mom", kStranger}}, "- Contacts only: no\n"));
    ::setenv("HOME", (dir.path / "home").c_str(), 1);
    ::unsetenv("JAMI_SKILL_TOOLS");
    ::unsetenv("CLAWDBOT_WORKSPACE");
    fs::current_path(dir.path / "repo");

    SUBCASE("a configured workspace wins over ./AGENTS.md") {
        ::setenv("OPENCLAW_WORKSPACE", (dir.path / "workspace").c_str(), 1);
        Skill skill(json{{"state_dir", (dir.path / "state").string()}, {"bus", kNoBus}});
        auto list = skill({{"action", "contact.list"}});
        CHECK(list["tools_md"]["path"] == workspace.string());
        auto planned = skill({{"text", "call mom"}, {"dry_run", true}});
        CHECK(planned["target"]["id"] == hexId(1));
        CHECK(codeOf(skill({{"action", "call.start"}, {"contact", kStranger}, {"dry_run", true}})) == "not_allowed");
    }
    SUBCASE("a workspace AGENTS.md without a Jami section is no contact book, and the policy stays closed") {
        dir.write("workspace2/AGENTS.md", "# Agents\n\n## Tools\n- nothing about Jami here\n");
        ::setenv("OPENCLAW_WORKSPACE", (dir.path / "workspace2").c_str(), 1);
        Skill skill(json{{"state_dir", (dir.path / "state").string()}, {"bus", kNoBus}});
        auto list = skill({{"action", "contact.list"}});
        CHECK(list["tools_md"]["path"] == "");
        CHECK(list["policy"]["contacts_only"] == true);
        CHECK(codeOf(skill({{"action", "call.start"}, {"contact", kStranger}})) == "not_allowed");
        CHECK(codeOf(skill({{"text", "call mom"}})) == "unknown_contact");
    }
    SUBCASE("with no workspace at all, the current directory is used, but only a file with a Jami section") {
        ::unsetenv("OPENCLAW_WORKSPACE");
        {
            Skill skill(json{{"state_dir", (dir.path / "state").string()}, {"bus", kNoBus}});
            CHECK(skill({{"action", "contact.list"}})["tools_md"]["path"] ==
                  (fs::current_path() / "AGENTS.md").string());
        }
        dir.write("repo/AGENTS.md", "# Agents\n\nno section\n");
        Skill skill(json{{"state_dir", (dir.path / "state").string()}, {"bus", kNoBus}});
        CHECK(skill({{"action", "contact.list"}})["tools_md"]["path"] == "");
    }
    fs::current_path(cwd);
    ::unsetenv("OPENCLAW_WORKSPACE");
    if (saved_home) ::setenv("HOME", home.c_str(), 1);
    (void)repo_agents;
}

TEST_CASE("Contacts only fails closed: empty, cut, a directory, missing; a running host keeps the last good policy") {
    TempDir dir("failclosed");
    const json stranger_call{{"action", "call.start"}, {"contact", kStranger}, {"dry_run", true}};
    for (const std::string& text :
         {std::string(), std::string("# Notes only\n"), std::string("## Jami Configuration\n")}) {
        auto tools = dir.write("TOOLS.md", text);
        Skill skill(options(dir, tools));
        CHECK_MESSAGE(codeOf(skill(stranger_call)) == "not_allowed", "file: " << text);
    }
    fs::create_directories(dir.path / "adir");
    for (const fs::path& odd : {dir.path / "adir", dir.path / "missing.md"}) {
        char* error = nullptr;
        jami_skill* handle = jami_skill_open(options(dir, odd).dump().c_str(), &error);
        if (!handle) {  // refusing to open is closed too
            CHECK(error != nullptr);
            jami_skill_free_string(error);
            continue;
        }
        char* raw = jami_skill_handle(handle, stranger_call.dump().c_str());
        CHECK_MESSAGE(codeOf(json::parse(raw)) == "not_allowed", odd.string() << ": " << raw);
        jami_skill_free_string(raw);
        jami_skill_close(handle);
    }

    SUBCASE("yes, then the file is emptied (an editor crashed between truncate and write)") {
        auto tools = dir.write("TOOLS.md", book({{"Bob", hexId(2)}}, "- Contacts only: yes\n"));
        Skill skill(options(dir, tools));
        CHECK(codeOf(skill(stranger_call)) == "not_allowed");
        dir.write("TOOLS.md", "");
        CHECK(codeOf(skill(stranger_call)) == "not_allowed");
        CHECK(skill({{"action", "policy.show"}})["tools_md_policy_kept"] == true);
    }
    SUBCASE("no, then the section is cut: the user's last word stands; a section without the line is yes") {
        auto tools = dir.write("TOOLS.md", book({{"Bob", hexId(2)}}, "- Contacts only: no\n"));
        Skill skill(options(dir, tools));
        CHECK(codeOf(skill(stranger_call)) == "ok");
        dir.write("TOOLS.md", "# just notes now\n");
        CHECK(codeOf(skill(stranger_call)) == "ok");
        dir.write("TOOLS.md", book({{"Bob", hexId(2)}}));
        CHECK(codeOf(skill(stranger_call)) == "not_allowed");
        dir.write("TOOLS.md", book({{"Bob", hexId(2)}}, "- Contacts only: maybe\n"));  // not understood: read as yes
        CHECK(codeOf(skill(stranger_call)) == "not_allowed");
    }
    SUBCASE("a pinned policy is tightened by TOOLS.md, never loosened") {
        auto tools = dir.write("TOOLS.md", book({{"Bob", hexId(2)}}, "- Contacts only: no\n- Calls per hour: 1000\n"));
        Skill pinned(options(dir, tools, {{"policy", {{"contacts_only", true}, {"calls_per_hour", 3}}}}));
        CHECK(codeOf(pinned(stranger_call)) == "not_allowed");
        CHECK(pinned({{"action", "policy.show"}})["policy"]["calls_per_hour"] == 3);
        auto strict = dir.write("TOOLS2.md", book({{"Bob", hexId(2)}}, "- Contacts only: yes\n- Calls per hour: 2\n"));
        Skill open_pin(options(dir, strict, {{"policy", {{"contacts_only", false}, {"calls_per_hour", 3}}}}));
        CHECK(codeOf(open_pin(stranger_call)) == "not_allowed");
        CHECK(open_pin({{"action", "policy.show"}})["policy"]["calls_per_hour"] == 2);
        auto file =
            dir.write("policy.md", "## Jami Configuration\n- Contacts only: yes\n- Max call duration: 10 min\n");
        Skill from_file(options(dir, tools, {{"policy_file", file.string()}}));
        CHECK(codeOf(from_file(stranger_call)) == "not_allowed");
        CHECK(from_file({{"action", "policy.show"}})["policy"]["max_call_duration_s"] == 600);
        Skill gone(options(dir, tools, {{"policy_file", (dir.path / "no-such-policy.md").string()}}));
        CHECK(codeOf(gone({{"action", "call.start"}, {"contact", "Bob"}})) == "config_error");
    }
}

TEST_CASE("Voice is off unless said on; a pinned off wins; off refuses to speak before jamid is asked") {
    TempDir dir("voice-policy");
    auto voice = [&](const std::string& lines, json more = json::object()) {
        auto tools = dir.write("TOOLS.md", book({{"Bob", hexId(2)}}, lines));
        Skill skill(options(dir, tools, more));
        return skill({{"action", "policy.show"}})["policy"]["voice"];
    };
    CHECK(voice("") == false);
    CHECK(voice("- Voice: on\n") == true);
    CHECK(voice("- Voice: maybe\n") == false);  // not understood: read as off
    CHECK(voice("- Voice: on\n", {{"policy", {{"voice", false}}}}) == false);
    CHECK(voice("- Voice: off\n", {{"policy", {{"voice", true}}}}) == false);
    CHECK(voice("", {{"policy", {{"voice", true}}}}) == true);
    auto tools = dir.write("TOOLS.md", book({{"Bob", hexId(2)}}));
    Skill skill(options(dir, tools));
    // No jamid on this bus: the refusal comes first, with its own code.
    auto r = skill({{"action", "call.start"}, {"contact", "Bob"}, {"say", "hello"}});
    CHECK(codeOf(r) == "voice_off");
    CHECK(skill({{"action", "audit.read"}, {"count", 1}})["entries"][0]["result"] == "voice_off");
}

TEST_CASE("a host's own audio: only a file of the folder the host named, refused before jamid is asked") {
    TempDir dir("say-audio");
    auto tools = dir.write("TOOLS.md", book({{"Bob", hexId(2)}}, "- Voice: on\n"));
    // A PCM WAV header (16 kHz mono 16-bit: 32000 bytes a second) and 0.1 s of silence.
    std::string header("RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x80\x3e\0\0\0\x7d\0\0\x02\0\x10\0data\0\0\0\0", 44);
    dir.write("audio/hello.wav", header + std::string(3200, '\0'));
    dir.write("secret.wav", "RIFF");
    std::filesystem::create_symlink(dir.path / "secret.wav", dir.path / "audio" / "link.wav");
    auto call = [](const std::string& name) {
        return json{{"action", "call.start"}, {"contact", "Bob"}, {"say_audio", name}};
    };
    Skill no_folder(options(dir, tools));
    CHECK(codeOf(no_folder(call("hello.wav"))) == "invalid_argument");
    Skill host(options(dir, tools, {{"audio_dir", (dir.path / "audio").string()}}));
    for (const char* bad : {"../secret.wav", "sub/hello.wav", ".hello.wav", "link.wav", "missing.wav", "/etc/passwd"}) {
        auto r = host(call(bad));
        CHECK_MESSAGE((codeOf(r) == "invalid_argument"), std::string(bad) << " -> " << r.dump());
    }
    // A file of the folder passes the check and goes on to jamid (absent here).
    CHECK(codeOf(host(call("hello.wav"))) == "daemon_unavailable");
    // With say, say_audio's words (for the result and the log).
    CHECK(codeOf(host({{"action", "call.start"}, {"contact", "Bob"}, {"say_audio", "hello.wav"}, {"say", "hi"}})) ==
          "daemon_unavailable");
}

TEST_CASE("a host's own samples (say_pcm): whole 16-bit samples in base64 at a playable rate, else refused") {
    TempDir dir("say-pcm");
    auto tools = dir.write("TOOLS.md", book({{"Bob", hexId(2)}}, "- Voice: on\n"));
    dir.write("audio/hello.wav", "RIFF");
    Skill host(options(dir, tools, {{"audio_dir", (dir.path / "audio").string()}}));
    auto call = [](json pcm) { return json{{"action", "call.start"}, {"contact", "Bob"}, {"say_pcm", pcm}}; };
    const json good{{"sample_rate", 16000}, {"data", "AAABAAIA"}};  // three samples: 0, 1, 2
    const json bad[] = {
        json{{"sample_rate", 16000}, {"data", "AAAB"}},        // a byte and a half of a sample
        json{{"sample_rate", 16000}, {"data", "AAA*AAAA"}},    // not base64
        json{{"sample_rate", 16000}, {"data", "AAABAAI="}},    // five bytes: two samples and a half
        json{{"sample_rate", 16000}, {"data", "AAABAAJ="}},    // bits left over
        json{{"sample_rate", 16000}, {"data", ""}},            // nothing
        json{{"sample_rate", 4000}, {"data", "AAABAAIA"}},     // too slow to be played
        json{{"sample_rate", 16000.5}, {"data", "AAABAAIA"}},  // not an integer
        json{{"sample_rate", "16000"}, {"data", "AAABAAIA"}},  // a string
        json{{"data", "AAABAAIA"}},                            // no rate
        json("AAABAAIA"),                                      // not an object
    };
    for (const auto& pcm : bad) CHECK_MESSAGE(codeOf(host(call(pcm))) == "invalid_argument", pcm.dump());
    CHECK(codeOf(host(call(good))) == "daemon_unavailable");  // checked, then jamid (absent here)
    auto both = call(good);
    both["say_audio"] = "hello.wav";
    CHECK(codeOf(host(both)) == "invalid_argument");
    // Beside a sentence that says something in a call, and only there.
    CHECK(codeOf(host({{"text", "call Bob and tell him the build is broken"}, {"say_pcm", good}})) ==
          "daemon_unavailable");
    CHECK(codeOf(host({{"text", "call Bob"}, {"say_pcm", good}})) == "invalid_argument");
    CHECK(codeOf(host({{"text", "send Bob hello"}, {"say_audio", "hello.wav"}})) == "invalid_argument");
    // The question in the host's voice too: with its words, after something said.
    auto asked = call(good);
    asked["ask"] = "did you get it?";
    asked["ask_pcm"] = good;
    CHECK(codeOf(host(asked)) == "daemon_unavailable");
    asked["ask_pcm"] = bad[1];
    CHECK(codeOf(host(asked)) == "invalid_argument");
    CHECK(codeOf(host({{"action", "call.start"}, {"contact", "Bob"}, {"ask", "ok?"}, {"ask_pcm", good}})) ==
          "invalid_argument");  // nothing said before the question
    asked = call(good);
    asked["ask_pcm"] = good;  // no words for it
    CHECK(codeOf(host(asked)) == "invalid_argument");
    // Voice off: refused like any speech.
    auto quiet_tools = dir.write("quiet.md", book({{"Bob", hexId(2)}}));
    Skill quiet(options(dir, quiet_tools));
    CHECK(codeOf(quiet(call(good))) == "voice_off");
}

TEST_CASE("host JSON cannot reach the dispatcher's internals") {
    TempDir dir("internals");
    auto tools = dir.write("TOOLS.md", book({{"Mom", hexId(1)}}));
    Skill skill(options(dir, tools));
    for (const char* key : {"contact_ref", "target", "reservation"}) {
        json r = skill({{"action", "call.start"}, {key, {{"name", "x"}, {"id", kStranger}}}});
        CHECK_MESSAGE(codeOf(r) == "invalid_argument", key);
    }
    CHECK(codeOf(skill({{"action", "contact.remove"}, {"contact_ref", json::object()}, {"confirmed", true}})) ==
          "invalid_argument");
    CHECK(codeOf(skill({{"action", "call.start"}, {"contact", "Mom"}, {"confirmed", "yes"}})) == "invalid_argument");
}

TEST_CASE("dry run is dry: per request or at open, for every effectful action, with the real decision") {
    TempDir dir("dry");
    const std::string text = book({{"Mom", hexId(1)}, {"Bob", hexId(2)}});
    auto tools = dir.write("TOOLS.md", text);
    Skill skill(options(dir, tools));
    auto call = skill({{"action", "call.start"}, {"contact", "Mom"}, {"dry_run", true}});
    CHECK(codeOf(call) == "ok");  // not daemon_unavailable: jamid was not asked
    CHECK(call["dry_run"] == true);
    CHECK(call["target"]["name"] == "Mom");
    CHECK(call["target"]["match"] == "name");
    CHECK(call["policy"]["decision"] == "allowed");
    CHECK(codeOf(skill({{"action", "call.start"}, {"contact", kStranger}, {"dry_run", true}})) == "not_allowed");
    CHECK(codeOf(skill({{"action", "call.start"}, {"contact", kStranger}})) == "not_allowed");  // the same, for real
    for (json request :
         {json{{"action", "contact.remove"}, {"contact", "Mom"}},
          json{{"action", "contact.add"}, {"name", "Carol"}, {"id", hexId(3)}},
          json{{"action", "contact.rename"}, {"contact", "Bob"}, {"new_name", "Robert"}},
          json{{"action", "account.remove"}, {"account", "0123456789abcdef"}}, json{{"action", "call.hangup"}},
          json{{"action", "message.send"}, {"contact", "Bob"}, {"message", "hi"}},
          json{{"action", "account.create"}, {"details", {{"Account.autoAnswer", "true"}}}},
          json{{"action", "daemon.start"}}}) {
        request["dry_run"] = true;
        request["confirmed"] = true;
        auto r = skill(request);
        CHECK_MESSAGE(codeOf(r) == "ok", request.dump() << " -> " << r.dump());
        CHECK(r["dry_run"] == true);
    }
    CHECK(dir.read("TOOLS.md") == text);
    // A dry run of an edit is checked like the real one.
    CHECK(
        codeOf(skill(
            {{"action", "contact.add"}, {"name", "Mom"}, {"id", hexId(9)}, {"dry_run", true}, {"confirmed", true}})) ==
        "invalid_argument");
    // Opened dry, the same.
    Skill dry(options(dir, tools, {{"dry_run", true}}));
    CHECK(codeOf(dry({{"action", "contact.remove"}, {"contact", "Mom"}, {"confirmed", true}})) == "ok");
    CHECK(codeOf(dry({{"text", "call bob"}})) == "ok");
    CHECK(dir.read("TOOLS.md") == text);
}

TEST_CASE("the agent cannot widen its own allowlist") {
    TempDir dir("widen");
    const std::string text = book({{"Mom", hexId(1)}}, "- Contacts only: yes\n");
    auto tools = dir.write("TOOLS.md", text);
    Skill skill(options(dir, tools));
    // Adding, renaming and removing contacts need the user's yes.
    auto spoken = skill({{"text", "add contact Eve with id " + kStranger}});
    CHECK_MESSAGE(codeOf(spoken) == "confirmation_required", spoken.dump());
    CHECK(spoken["would"].get<std::string>().find(kStranger) != std::string::npos);
    CHECK(codeOf(skill({{"action", "contact.add"}, {"name", "Eve"}, {"id", kStranger}})) == "confirmation_required");
    CHECK(codeOf(skill({{"action", "contact.rename"}, {"contact", "Mom"}, {"new_name", "Eve"}})) ==
          "confirmation_required");
    CHECK(codeOf(skill({{"action", "contact.remove"}, {"contact", "Mom"}})) == "confirmation_required");
    CHECK(dir.read("TOOLS.md") == text);
    // Raw account keys and removing an account too.
    CHECK(codeOf(skill({{"action", "account.create"}, {"details", {{"Account.autoAnswer", "true"}}}})) ==
          "confirmation_required");
    CHECK(codeOf(skill({{"action", "account.remove"}, {"account", "0123456789abcdef"}})) == "confirmation_required");
    // An id with a line break would have commented out the policy line below it.
    auto tricky =
        dir.write("TOOLS.md", "## Jami Configuration\n- Contacts:\n  - Mom: " + hexId(1) + "\n- Contacts only: yes\n");
    auto injected = skill({{"action", "contact.add"}, {"name", "Evil"}, {"id", "sip:x@y\n<!--"}, {"confirmed", true}});
    CHECK(codeOf(injected) == "invalid_argument");
    for (const char* name : {"Evil\n- Contacts only: no", "A<!--",
                             "Bidi\xE2\x80\xAE"
                             "x",
                             "Ctl\x01", "a,b"})
        CHECK_MESSAGE(
            codeOf(skill({{"action", "contact.add"}, {"name", name}, {"id", hexId(7)}, {"confirmed", true}})) ==
                "invalid_argument",
            name);
    CHECK(codeOf(skill({{"action", "call.start"}, {"contact", kStranger}, {"dry_run", true}})) == "not_allowed");
    (void)tricky;
    // A section without "- Contacts:": a stray note bullet is not adopted.
    const std::string notes =
        "## Jami Configuration\n- Notes:\n  - Spammer (blocked): sip:spam@198.18.0.9\n\n## Other\n";
    dir.write("TOOLS.md", notes);
    auto added = skill({{"action", "contact.add"}, {"name", "Carol"}, {"id", hexId(3)}, {"confirmed", true}});
    REQUIRE_MESSAGE(codeOf(added) == "ok", added.dump());
    auto list = skill({{"action", "contact.list"}});
    REQUIRE(list["contacts"].size() == 1);
    CHECK(list["contacts"][0]["name"] == "Carol");
    // An edit the parser would read differently is refused, not written.
    const std::string fenced = "# Notes\n```\nan unclosed code block\n";  // a new section would land inside it
    dir.write("TOOLS.md", fenced);
    CHECK(codeOf(skill({{"action", "contact.add"}, {"name", "Dan"}, {"id", hexId(4)}, {"confirmed", true}})) ==
          "invalid_argument");
    CHECK(dir.read("TOOLS.md") == fenced);
}

TEST_CASE("SIP user parts are case-sensitive, and the book's id is what is dialled") {
    TempDir dir("sip");
    auto tools = dir.write("TOOLS.md", book({{"Mom", "sip:mom@example.com"}}));
    Skill skill(options(dir, tools));
    CHECK(codeOf(skill({{"action", "call.start"}, {"contact", "sip:MOM@example.com"}, {"dry_run", true}})) ==
          "not_allowed");
    auto same = skill({{"action", "call.start"}, {"contact", "SIP:mom@EXAMPLE.COM"}, {"dry_run", true}});
    REQUIRE(codeOf(same) == "ok");
    CHECK(same["target"]["id"] == "sip:mom@example.com");
    CHECK(same["target"]["name"] == "Mom");
}

TEST_CASE("an answer with no call id is the user's to give: inbound text stays data") {
    // Without a ringing call this meets the missing bus; the caller check
    // itself runs on real jamid (jamid.trust). Here: events from peers are
    // marked untrusted by contract, documented in docs/abi.md.
    TempDir dir("inbound");
    auto tools = dir.write("TOOLS.md", book({{"Mom", hexId(1)}}, "- Auto-answer: " + hexId(1) + ", Mom\n"));
    Skill skill(options(dir, tools));
    auto shown = skill({{"action", "policy.show"}});
    CHECK(shown["policy"]["auto_answer"] == json::array({hexId(1)}));  // names are not ids: only the exact id counts
    auto list = skill({{"action", "contact.list"}});
    bool reported = false;
    for (const auto& p : list["tools_md"]["problems"])
        reported = reported || p["message"].get<std::string>().find("Auto-answer") != std::string::npos;
    CHECK(reported);
}

TEST_CASE("rate limits hold across two handles sharing a state dir, and say the rule and when to retry") {
    TempDir dir("rates");
    auto tools =
        dir.write("TOOLS.md", book({{"Mom", hexId(1)}, {"Dad", hexId(2)}}, "- Messages per minute per contact: 3\n"));
    Skill one(options(dir, tools)), two(options(dir, tools));
    const json to_mom{{"action", "message.send"}, {"contact", "Mom"}, {"message", "hi"}};
    // Each attempt counts, even one jamid never saw.
    CHECK(codeOf(one(to_mom)) == "daemon_unavailable");
    CHECK(codeOf(two(to_mom)) == "daemon_unavailable");
    CHECK(codeOf(one(to_mom)) == "daemon_unavailable");
    json dry = to_mom;
    dry["dry_run"] = true;
    CHECK(codeOf(two(dry)) == "rate_limited");  // the dry run sees the same decision...
    auto limited = two(to_mom);
    CHECK(codeOf(limited) == "rate_limited");
    CHECK(limited["rule"] == "messages_per_minute_per_contact");
    CHECK(limited["limit"] == 3);
    CHECK(limited["count"] == 3);
    CHECK(limited["retry_after_s"].get<int>() >= 1);
    CHECK(limited["retry_after_s"].get<int>() <= 60);
    CHECK(codeOf(one({{"action", "message.send"}, {"contact", "Dad"}, {"message", "hi"}})) == "daemon_unavailable");
    // ...and records nothing: still exactly three to Mom.
    auto audit = one({{"action", "audit.read"}, {"count", 100}});
    int refused = 0;
    for (const auto& e : audit["entries"]) refused += e["result"] == "rate_limited";
    CHECK(refused == 2);
}

TEST_CASE("the audit log: every effectful request and every refusal, one line each") {
    TempDir dir("audit");
    auto tools = dir.write("TOOLS.md", book({{"Mom", hexId(1)}}));
    Skill skill(options(dir, tools));
    skill({{"text", "call Bill"}});
    skill({{"action", "call.start"}, {"contact", "Mom"}, {"dry_run", true}});
    skill({{"action", "contact.add"}, {"name", "Eve"}, {"id", kStranger}});
    skill({{"action", "contact.list"}});  // reads only: not audited
    auto audit = skill({{"action", "audit.read"}});
    REQUIRE(audit["entries"].size() == 3);
    const json& newest = audit["entries"][0];
    CHECK(newest["action"] == "contact.add");
    CHECK(newest["result"] == "confirmation_required");
    CHECK(newest["decision"] == "refused");
    const json& planned = audit["entries"][1];
    CHECK(planned["dry_run"] == true);
    CHECK(planned["target"]["name"] == "Mom");
    CHECK(planned["match"] == "name");
    CHECK(planned["host"] == "test");
    const json& guess = audit["entries"][2];
    CHECK(guess["source"] == "text");
    CHECK(guess["text"] == "call Bill");
    CHECK(guess["result"] == "unknown_contact");
    CHECK(!guess["time"].get<std::string>().empty());
}

// Generated books of short names, common words and 2-3 character Chinese
// names; every near miss of every name (one letter changed, added, dropped
// or swapped; a Chinese character added or changed) is asked for through
// the ABI in a dry run. ok:true is allowed only when the asked spelling is
// exactly a contact's (then it must be that contact).
TEST_CASE("property: no similar-but-different name ever yields ok:true") {
    const std::vector<std::string> words = {"Will", "Bill", "Mom", "Tom",  "Dad", "Dan", "Mary", "Mark",
                                            "Meg",  "Kim",  "Ann", "Anna", "Bob", "Rob", "Sam",  "Pam",
                                            "Joe",  "Jo",   "Max", "Alex", "Eve", "Ivy"};
    const std::vector<std::string> surnames = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"};
    const std::vector<std::string> given = {"三", "四", "五", "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军"};
    std::mt19937 random(20261201);
    auto pick = [&](const std::vector<std::string>& from) { return from[random() % from.size()]; };
    int asked = 0, acted = 0;
    for (int round = 0; round < 6; ++round) {
        TempDir dir("property");
        std::vector<std::pair<std::string, std::string>> contacts;
        std::set<std::string> names;
        auto add = [&](const std::string& name) {
            if (names.insert(name).second) contacts.emplace_back(name, hexId(static_cast<int>(contacts.size()) + 1));
        };
        for (int i = 0; i < 6; ++i) add(pick(words));
        for (int i = 0; i < 5; ++i) add(pick(surnames) + pick(given) + (random() % 2 ? pick(given) : ""));
        auto tools = dir.write("TOOLS.md", book(contacts));
        Skill skill(options(dir, tools, {{"dry_run", true}}));
        for (const auto& [name, id] : contacts) {
            std::vector<std::string> variants;
            if (static_cast<unsigned char>(name[0]) < 0x80) {
                for (std::size_t i = 0; i < name.size(); ++i) {
                    variants.push_back(name.substr(0, i) + name.substr(i + 1));                              // dropped
                    variants.push_back(name.substr(0, i) + char('a' + random() % 26) + name.substr(i + 1));  // changed
                    variants.push_back(name.substr(0, i) + char('a' + random() % 26) + name.substr(i));      // added
                    if (i + 1 < name.size())
                        variants.push_back(name.substr(0, i) + name[i + 1] + name[i] + name.substr(i + 2));
                }
            } else {
                variants.push_back(name + pick(given));                             // a character added
                variants.push_back(pick(surnames) + name.substr(3));                // the surname changed
                variants.push_back(name.substr(0, name.size() - 3) + pick(given));  // the last character changed
            }
            for (const auto& v : variants) {
                if (v.size() < 2) continue;
                // A variant that is exactly some contact's name may act, as that contact.
                auto exact = std::find_if(contacts.begin(), contacts.end(), [&](const auto& c) {
                    std::string a = c.first, b = v;
                    for (auto& ch : a) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                    for (auto& ch : b) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                    return a == b;
                });
                auto r = skill({{"action", "call.start"}, {"contact", v}});
                ++asked;
                if (!r.value("ok", false)) continue;
                ++acted;
                REQUIRE_MESSAGE(exact != contacts.end(),
                                "\"" << v << "\" (near \"" << name << "\") acted as " << r["target"].dump());
                CHECK(r["target"]["id"] == exact->second);
            }
        }
    }
    MESSAGE(asked << " near misses asked, " << acted << " were exactly another contact's name");
    CHECK(asked > 300);
}

// Two people named where an action reaches one: the first must never be
// messaged (or called) with the rest as text ("text Ann and Joe" once sent
// Ann "and Joe"). Generated from every call and message case of the
// sentence tests (tests/intents/*.yaml), their contact joined to a second
// name, in the book or not, by each list word of its script.
TEST_CASE("property: a sentence naming two people never calls or messages one of them") {
    TempDir dir("two");
    auto tools = dir.write("TOOLS.md", book({{"Mom (mother, 妈妈, 老妈)", hexId(1)},
                                             {"Bob Smith", hexId(2)},
                                             {"Bob Jones", hexId(3)},
                                             {"张三", hexId(4)},
                                             {"李四", hexId(5)},
                                             {"Alice", hexId(6)}}));
    Skill skill(options(dir, tools, {{"dry_run", true}}));
    const std::regex case_line(R"(^\s*- (.+): \{contact: ([^,}]+)[,}])");
    int asked = 0, acted = 0;
    for (const char* file : {"en.yaml", "zh.yaml", "en_chat.yaml", "zh_chat.yaml"}) {
        std::ifstream in(std::string(TEST_INTENTS_DIR) + "/" + file);
        REQUIRE(in);
        std::string line, intent;
        while (std::getline(in, line)) {
            if (line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ' && line.back() == ':')
                intent = line.substr(2, line.size() - 3);  // "  message.send:"
            std::smatch m;
            if ((intent != "call.start" && intent != "message.send") || !std::regex_search(line, m, case_line))
                continue;
            const std::string sentence = m[1], contact = m[2];
            const auto at = sentence.find(contact);
            if (at == std::string::npos) continue;
            const bool han = static_cast<unsigned char>(contact[0]) >= 0x80;
            const std::vector<std::string> joins =
                han ? std::vector<std::string>{"和", "跟", "、"} : std::vector<std::string>{" and ", ", ", " & "};
            const std::vector<std::string> seconds =
                han ? std::vector<std::string>{"李四", "王五"} : std::vector<std::string>{"Alice", "Nick"};
            for (const auto& join : joins) {
                for (const auto& second : seconds) {
                    if (second == contact) continue;
                    const std::string two =
                        sentence.substr(0, at) + contact + join + second + sentence.substr(at + contact.size());
                    const json r = skill({{"text", two}});
                    ++asked;
                    if (r.value("ok", false) &&
                        (r.value("intent", "") == "call.start" || r.value("intent", "") == "message.send")) {
                        ++acted;
                        FAIL_CHECK(two << " -> " << r.dump());
                    }
                }
            }
        }
    }
    MESSAGE(asked << " two-name sentences, " << acted << " acted");
    CHECK(asked > 300);
    CHECK(acted == 0);
}

// The issue's own sentences (issue 21), word for word.
TEST_CASE("the quoted two-people and other-thing sentences never act") {
    TempDir dir("quoted");
    auto tools = dir.write(
        "TOOLS.md",
        book({{"Ann", hexId(1)}, {"Joe", hexId(2)}, {"Nick", hexId(3)}, {"张三", hexId(4)}, {"李四", hexId(5)}}));
    Skill skill(options(dir, tools, {{"dry_run", true}}));
    for (const char* several : {"text Ann and Joe", "message Ann, Joe hello", "call Ann and Joe",
                                "给张三和李四发消息说我晚点到", "给张三 和 李四打电话", "给张三跟李四打电话",
                                // The framing after "and" is not sent; who follows it is someone else.
                                "message Ann and ask Joe to come", "text Ann and tell Joe I'm late",
                                "message Ann and ask Bill when he leaves"}) {
        const json r = skill({{"text", several}});
        CHECK_MESSAGE(codeOf(r) == "several_recipients", several << " -> " << r.dump());
        CHECK_MESSAGE(r.value("recipients", json::array()).size() == 2, several << " -> " << r.dump());
    }
    // A relation before a name ("call my sister Ann") must not turn a list
    // into one name: "my mother & Ann" would be the contact "& Ann".
    for (const char* joined : {"call my mother & Ann", "call my mother and Ann", "call my mother, Ann"})
        CHECK_MESSAGE(codeOf(skill({{"text", joined}})) == "several_recipients", joined);
    for (const char* other : {"drop Ann from this call", "send Nick a call"})
        CHECK_MESSAGE(codeOf(skill({{"text", other}})) == "no_intent", other);
    // Framing between the contact and the text keeps it one message.
    CHECK(skill({{"text", "tell Ann that Joe is late"}})["slots"]["message"] == "Joe is late");
    CHECK(skill({{"text", "message Ann and ask when Joe leaves"}})["slots"]["message"] == "when Joe leaves");
    // The issue's own framing example, word for word.
    CHECK(skill({{"text", "message Ann and ask when her train leaves"}})["slots"]["message"] ==
          "when her train leaves");
    CHECK(skill({{"text", "message Ann and ask her if Joe is coming"}})["slots"]["message"] == "if Joe is coming");
}

TEST_CASE("the answering machine is off unless said; it answers only whom both sources allow, never strangers") {
    TempDir dir("answering-policy");
    auto machine = [&](const std::string& lines, json more = json::object()) {
        auto tools = dir.write("TOOLS.md", book({{"Mom", hexId(1)}}, lines));
        Skill skill(options(dir, tools, more));
        auto shown = skill({{"action", "policy.show"}});
        REQUIRE(codeOf(shown) == "ok");
        return shown["policy"]["answering_machine"];
    };
    CHECK(machine("")["callers"] == "off");
    auto on = machine(
        "- Answering machine: contacts after 15 s\n- Greeting: Leave it after the beep.\n"
        "- Voicemail length: 90 s\n- Voicemails kept: 7\n");
    CHECK(on["callers"] == "contacts");
    CHECK(on["after_s"] == 15);
    CHECK(on["max_s"] == 90);
    CHECK(on["kept"] == 7);
    CHECK(on["greeting"] == "Leave it after the beep.");
    CHECK(machine("- Answering machine: contacts\n")["after_s"] == 20);           // the default delay
    CHECK(machine("- Answering machine: contacts after 30\n")["after_s"] == 30);  // seconds, not minutes
    CHECK(machine("- Voicemail length: 3\n")["max_s"] == 180);                    // a length: minutes
    CHECK(machine("- Answering machine: " + hexId(1) + " after 5 s\n")["callers"] == json::array({hexId(1)}));
    CHECK(machine("- Answering machine: Mom\n")["callers"] == "off");  // a name is not an exact id: nobody
    // The pinned policy wins when stricter: off, a longer delay, fewer kept.
    CHECK(machine("- Answering machine: contacts\n", {{"policy", {{"answering_machine", "off"}}}})["callers"] == "off");
    auto pinned = machine("- Answering machine: contacts after 5 s\n- Voicemails kept: 100\n",
                          {{"policy", {{"answer_after_s", 40}, {"voicemails_kept", 10}}}});
    CHECK(pinned["callers"] == "contacts");
    CHECK(pinned["after_s"] == 40);
    CHECK(pinned["kept"] == 10);
    CHECK(machine("", {{"policy", {{"answering_machine", json::array({hexId(1)})}}}})["callers"] ==
          json::array({hexId(1)}));
    auto tools = dir.write("TOOLS.md", book({{"Mom", hexId(1)}}, "- Answering machine: sometimes\n"));
    bool reported = false;
    const json listed = Skill(options(dir, tools))({{"action", "contact.list"}});
    for (const auto& p : listed["tools_md"]["problems"])
        reported = reported || p["message"].get<std::string>().find("Answering machine") != std::string::npos;
    CHECK(reported);
    // Wrong types in the host's policy are refused at open, naming the field.
    for (const json& bad : {json{{"answering_machine", "everyone"}}, json{{"answer_after_s", -1}},
                            json{{"greeting", 3}}, json{{"voicemails_kept", "ten"}}}) {
        char* error = nullptr;
        auto* handle = jami_skill_open(options(dir, tools, {{"policy", bad}}).dump().c_str(), &error);
        CHECK(handle == nullptr);
        REQUIRE(error);
        CHECK(std::string(error).find("policy.") != std::string::npos);
        jami_skill_free_string(error);
    }
}

TEST_CASE("voicemails: listed from the state dir, shown and removed by id, never a path") {
    TempDir dir("voicemail-actions");
    auto tools = dir.write("TOOLS.md", book({{"Mom", hexId(1)}}, "- Answering machine: contacts\n- Voice: on\n"));
    // Two messages as the machine keeps them (skill/voice/voicemail_store.hpp).
    dir.write("state/voicemail/1000-7.wav", "RIFF");
    dir.write("state/voicemail/1000-7.json", json{{"peer", hexId(1)},
                                                  {"contact", "Mother"},
                                                  {"duration_s", 4.5},
                                                  {"time", "2026-12-05T04:00:00Z"},
                                                  {"transcript", "call me back"}}
                                                 .dump());
    dir.write("state/voicemail/999-7.wav", "RIFF");
    dir.write("state/voicemail/999-7.json", json{{"peer", kStranger}, {"duration_s", 2}}.dump());
    Skill skill(options(dir, tools));
    auto list = skill({{"action", "voicemail.list"}});
    REQUIRE(codeOf(list) == "ok");
    REQUIRE(list["voicemails"].size() == 2);
    CHECK(list["voicemails"][0]["id"] == "1000-7");     // newest first, by number
    CHECK(list["voicemails"][0]["contact"] == "Mom");   // the book's name now
    CHECK(list["voicemails"][0]["untrusted"] == true);  // a caller's words
    CHECK(list["answering_machine"]["callers"] == "contacts");
    auto shown = skill({{"action", "voicemail.show"}, {"id", "1000-7"}});
    CHECK(shown["voicemail"]["transcript"] == "call me back");
    CHECK(shown["voicemail"]["file"] == (dir.path / "state/voicemail/1000-7.wav").string());
    for (const char* bad : {"../audit", "1000-7.json", "/etc/passwd", "1000", "x-1"})
        CHECK(codeOf(skill({{"action", "voicemail.show"}, {"id", bad}})) == "unknown_voicemail");
    // A dry run removes nothing; the removal is audited.
    CHECK(skill({{"action", "voicemail.remove"}, {"id", "999-7"}, {"dry_run", true}})["dry_run"] == true);
    CHECK(fs::exists(dir.path / "state/voicemail/999-7.wav"));
    CHECK(skill({{"action", "voicemail.remove"}, {"id", "999-7"}})["removed"] == "999-7");
    CHECK_FALSE(fs::exists(dir.path / "state/voicemail/999-7.wav"));
    CHECK_FALSE(fs::exists(dir.path / "state/voicemail/999-7.json"));
    CHECK(codeOf(skill({{"action", "voicemail.remove"}, {"id", "999-7"}})) == "unknown_voicemail");
    CHECK(skill({{"action", "audit.read"}, {"count", 1}})["entries"][0]["action"] == "voicemail.remove");
}

TEST_CASE("a bridge needs an owner who is a contact, another contact, Voice on, and two calls at once") {
    TempDir dir("bridge-policy");
    auto bridge = [&](const std::string& lines, const std::string& contact = "Mom") {
        auto tools = dir.write("TOOLS.md", book({{"Ann", hexId(1)}, {"Mom", hexId(2)}}, lines));
        Skill skill(options(dir, tools));
        return skill({{"action", "call.bridge"}, {"contact", contact}});
    };
    CHECK(codeOf(bridge("- Voice: on\n")) == "invalid_argument");  // no owner
    CHECK(bridge("- Voice: on\n")["error"]["hint"].get<std::string>().find("Owner") != std::string::npos);
    CHECK(codeOf(bridge("- Voice: on\n- Owner: Me\n")) == "invalid_argument");  // a pronoun is no owner
    CHECK(codeOf(bridge("- Voice: on\n- Owner: Zed\n")) == "invalid_argument");
    CHECK(codeOf(bridge("- Voice: on\n- Owner: Ann\n", "Ann")) == "invalid_argument");  // nobody to connect
    CHECK(codeOf(bridge("- Owner: Ann\n")) == "voice_off");
    CHECK(codeOf(bridge("- Voice: on\n- Owner: Ann\n", "Zed")) == "unknown_contact");
    // Allowed by the policy: jamid is asked next (none on this bus).
    CHECK(codeOf(bridge("- Voice: on\n- Owner: Ann\n")) == "daemon_unavailable");
    auto tools = dir.write("TOOLS.md", book({{"Ann", hexId(1)}, {"Mom", hexId(2)}}, "- Voice: on\n- Owner: Ann\n"));
    Skill skill(options(dir, tools));
    auto plan = skill({{"text", "put me through to Mom"}, {"dry_run", true}});
    REQUIRE(codeOf(plan) == "ok");
    CHECK(plan["intent"] == "call.bridge");
    CHECK(plan["owner"]["name"] == "Ann");  // the dry run shows both legs
    CHECK(plan["target"]["name"] == "Mom");
    CHECK(skill({{"action", "policy.show"}})["policy"]["owner"] == "Ann");
    // A pinned owner wins over the workspace's.
    Skill pinned(options(dir, tools, {{"policy", {{"owner", "Mom"}}}}));
    CHECK(pinned({{"action", "policy.show"}})["policy"]["owner"] == "Mom");
}
