// The contact book through the skill's C ABI, without a daemon: edits from
// structured actions and from sentences, reload on change, keep-last-good.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/files.hpp"
#include "support/skill_handle.hpp"

using nlohmann::json;
using test::Skill;

namespace {

struct TempTools {
    std::filesystem::path dir, path;
    explicit TempTools(const std::string& text) {
        dir = std::filesystem::temp_directory_path() / ("jskill-skill-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        path = dir / "TOOLS.md";
        write(text);
    }
    ~TempTools() { std::filesystem::remove_all(dir); }
    void write(const std::string& text) const { test::writeFile(path, text); }
    std::string read() const { return test::readFile(path); }
};

const std::string kBob = "2222222222222222222222222222222222222222";
const std::string kMine =
    "# My notes\n\nKeep this line exactly.   \n\n## Jami Configuration\n- Contacts:\n  - Bob Smith: " + kBob +
    "\n\n## Other\n- x: y\n";

std::vector<std::string> names(const json& list) {
    std::vector<std::string> out;
    for (const auto& c : list["contacts"]) out.push_back(c["name"]);
    return out;
}

}  // namespace

TEST_CASE("a running skill sees TOOLS.md change on disk; a bad edit keeps the last good contacts") {
    TempTools tools(kMine);
    Skill skill({{"tools_md", tools.path.string()}, {"dry_run", true}});
    CHECK(names(skill({{"action", "contact.list"}})) == std::vector<std::string>{"Bob Smith"});

    tools.write("## Jami Configuration\n- Contacts:\n  - Bob Smith: " + kBob +
                "\n  - 张三: 4444444444444444444444444444444444444444\n");
    auto after = skill({{"action", "contact.list"}});
    CHECK(names(after) == std::vector<std::string>{"Bob Smith", "张三"});
    auto spoken = skill({{"text", "call zhang san"}});
    CHECK(spoken["contact"]["name"] == "张三");
    CHECK(spoken["contact"]["match"] == "pinyin");

    tools.write("## Jami Configuration\n- Contacts:\n  - Broken \xff\xfe: " + kBob + "\n");
    auto kept = skill({{"action", "contact.list"}});
    CHECK(kept["ok"] == true);
    CHECK(names(kept) == std::vector<std::string>{"Bob Smith", "张三"});
    CHECK(kept["tools_md"]["reload_error"].get<std::string>().find("UTF-8") != std::string::npos);
}

TEST_CASE("add, rename and remove, structured and spoken, change only our lines") {
    TempTools tools(kMine);
    Skill skill(
        json{{"tools_md", tools.path.string()}, {"state_dir", tools.dir.string()}, {"bus", "unix:path=/nonexistent"}});
    auto added = skill(
        {{"action", "contact.add"}, {"name", "Carol"}, {"id", "carol_c"}, {"aliases", {"caz"}}, {"confirmed", true}});
    REQUIRE(added["ok"] == true);
    CHECK(added["tools_md"] == tools.path.string());
    auto renamed = skill({{"text", "rename carol to Caroline"}, {"confirmed", true}});
    REQUIRE_MESSAGE(renamed["ok"] == true, renamed.dump());
    CHECK(renamed["intent"] == "contact.rename");
    CHECK(tools.read().find("  - Caroline (caz): carol_c\n") != std::string::npos);
    auto clash =
        skill({{"action", "contact.rename"}, {"contact", "Caroline"}, {"new_name", "bob smith"}, {"confirmed", true}});
    CHECK(clash["error"]["code"] == "invalid_argument");
    auto unknown = skill({{"action", "contact.rename"}, {"contact", "Nobody"}, {"new_name", "X"}, {"confirmed", true}});
    CHECK(unknown["error"]["code"] == "invalid_argument");
    auto removed = skill({{"text", "delete caz from my contacts"}, {"confirmed", true}});
    REQUIRE_MESSAGE(removed["ok"] == true, removed.dump());
    CHECK(tools.read() == kMine);
}

TEST_CASE("many threads at once: sentences, spellings, pinyin and list while an editor rewrites TOOLS.md") {
    std::string book = "## Jami Configuration\n- Contacts:\n  - Bob Smith: " + kBob +
                       "\n  - 张三: 4444444444444444444444444444444444444444\n";
    TempTools tools(book);
    Skill skill({{"tools_md", tools.path.string()}, {"dry_run", true}});
    std::atomic<int> failures{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    const std::vector<std::string> sentences = {"call bob smith", "call zhang san", "call BOB-SMITH", "给张三打电话",
                                                "list contacts"};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 150; ++i) {
                const std::string& text = sentences[static_cast<std::size_t>(t + i) % sentences.size()];
                json r = text == "list contacts" ? skill({{"action", "contact.list"}}) : skill({{"text", text}});
                if (r["ok"] != true || (text != "list contacts" && !r.contains("contact"))) {
                    if (failures++ < 3) MESSAGE(text << " -> " << r.dump());
                }
            }
        });
    }
    // Same contacts, different bytes, written in place (truncate, then
    // write) like many editors do: no reader may see the half-written file.
    std::thread writer([&] {
        for (int i = 0; !stop; ++i) {
            std::ofstream out(tools.path, std::ios::binary | std::ios::trunc);  // empty now...
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            out << book << std::string(static_cast<std::size_t>(i % 7), '\n');  // ...and whole again
            out.close();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    for (auto& t : threads) t.join();
    stop = true;
    writer.join();
    CHECK(failures == 0);
}

TEST_CASE("\"Contacts only\" is on unless TOOLS.md says no: anyone else is refused, in a dry run too") {
    TempTools tools("## Jami Configuration\n- Contacts only: yes\n- Contacts:\n  - Bob Smith: " + kBob + "\n");
    Skill skill({{"tools_md", tools.path.string()}, {"dry_run", true}, {"state_dir", tools.dir.string()}});
    const std::string stranger = "9999999999999999999999999999999999999999";
    auto call = skill({{"action", "call.start"}, {"contact", stranger}});
    CHECK(call["error"]["code"] == "not_allowed");
    // The hint never teaches a way around the refusal.
    const std::string hint = call["error"]["hint"];
    CHECK(hint.find("contact add") == std::string::npos);
    CHECK(hint.find("Contacts only: no") == std::string::npos);
    CHECK(skill({{"action", "message.send"}, {"contact", "sip:x@198.18.0.1"}, {"message", "hi"}})["error"]["code"] ==
          "not_allowed");
    // A contact passes the policy; the dry run says what would happen.
    auto planned = skill({{"action", "call.start"}, {"contact", "Bob Smith"}});
    CHECK(planned["ok"] == true);
    CHECK(planned["dry_run"] == true);
    CHECK(planned["target"]["match"] == "name");
    CHECK(planned["policy"]["decision"] == "allowed");
    CHECK(skill({{"action", "call.start"}, {"contact", kBob}})["target"]["name"] == "Bob Smith");  // its id
    // Without the line it is still on; only "no" turns it off.
    tools.write("## Jami Configuration\n- Contacts:\n  - Bob Smith: " + kBob + "\n");
    CHECK(skill({{"action", "call.start"}, {"contact", stranger}})["error"]["code"] == "not_allowed");
    tools.write("## Jami Configuration\n- Contacts only: no\n- Contacts:\n  - Bob Smith: " + kBob + "\n");
    auto open = skill({{"action", "call.start"}, {"contact", stranger}});
    CHECK(open["ok"] == true);
    CHECK(open["target"]["in_book"] == false);
    CHECK(open["target"]["match"] == "address");
}
