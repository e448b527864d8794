// Contact resolution (ICU keys, pinyin, 10,000 contacts), AGENTS.md, and
// round-trip properties of TOOLS.md edits on generated files.
#include <doctest/doctest.h>

#include "contacts/contact_book.hpp"
#include "contacts/locate.hpp"
#include "contacts/tools_md.hpp"

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

using namespace jskill::contacts;

namespace {

std::string hexId(std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string id(40, '0');
    for (std::size_t i = 0; i < 40 && n; ++i, n /= 16) id[39 - i] = digits[n % 16];
    return id;
}

// Lines of `text` (terminators dropped) except the contact lines `config`
// reports: what an edit must leave untouched.
std::vector<std::string> otherLines(const std::string& text) {
    std::set<int> ours;
    for (const auto& c : parseJamiConfig(text).contacts) ours.insert(c.line);
    std::vector<std::string> out;
    std::size_t start = 0;
    for (int line = 1; start <= text.size(); ++line) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (!ours.count(line)) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace

TEST_CASE("names compare NFKC case-folded, accent-free, and Chinese by toneless pinyin") {
    ContactBook book({{"José María", {}, hexId(1), 1},
                      {"张三", {}, hexId(2), 2},
                      {"单田芳", {"单老师"}, hexId(3), 3},
                      {"Bob Smith", {}, hexId(4), 4},
                      {"曾小贤", {}, hexId(5), 5}});
    CHECK(book.resolve("ＢＯＢ ＳＭＩＴＨ").match == "name");  // full-width
    CHECK(book.resolve("josé maría").match == "name");
    auto jose = book.resolve("jose-maria");
    CHECK(jose.match == "normalized");
    CHECK(jose.index == 0);
    auto zhang = book.resolve("zhang san");
    CHECK(zhang.kind == Resolution::Kind::Found);
    CHECK(zhang.match == "pinyin");
    CHECK(zhang.index == 1);
    CHECK(book.resolve("Zhangsan").index == 1);
    CHECK(book.resolve("shan tian fang").index == 2);  // 单 as a surname reads shan, not dan
    CHECK(book.resolve("zeng xiaoxian").index == 4);   // 曾 as a surname reads zeng, not ceng
    CHECK(book.resolve("单老师").match == "alias");
    CHECK(book.resolve("zhang shan").kind == Resolution::Kind::Unknown);  // one letter off: a suggestion only
    CHECK(book.resolve("zhang shan").match == "similar");
    CHECK(book.resolve("zhang shan").candidates.front() == 1);
    CHECK(book.resolve("章三").kind == Resolution::Kind::Unknown);  // another character that reads the same
    CHECK(book.resolve("章三").match == "homophone");
    CHECK(book.resolve("张三丰").kind == Resolution::Kind::Unknown);  // a character added
    CHECK(book.resolve("wang wu").kind == Resolution::Kind::Unknown);
}

TEST_CASE("two contacts that read the same in pinyin are ambiguous, never a guess") {
    ContactBook book({{"张三", {}, hexId(1), 1}, {"章三", {}, hexId(2), 2}});
    CHECK(book.resolve("张三").kind == Resolution::Kind::Found);
    auto spoken = book.resolve("zhang san");
    CHECK(spoken.kind == Resolution::Kind::Ambiguous);
    CHECK(spoken.candidates.size() == 2);
}

TEST_CASE("10,000 contacts: every name resolves to itself; near misses suggest") {
    std::string text = "# Notes\n\n## Jami Configuration\n- Account ID: 0123456789abcdef\n- Contacts:\n";
    const char* first[] = {"Ann", "Bob", "Chen", "Dana", "Emil", "Fatima", "Gus", "Hana", "Ivan", "José"};
    for (std::size_t i = 0; i < 10000; ++i)
        text += "  - " + std::string(first[i % 10]) + " Person" + std::to_string(i) + ": " + hexId(i) + "\n";
    auto config = parseJamiConfig(text);
    REQUIRE(config.contacts.size() == 10000);
    CHECK(config.problems.empty());
    ContactBook book(config.contacts);
    for (std::size_t i = 0; i < 10000; i += 97) {
        auto r = book.resolve(config.contacts[i].name);
        REQUIRE(r.kind == Resolution::Kind::Found);
        CHECK(r.index == i);
        CHECK(book.resolve(hexId(i)).index == i);
    }
    CHECK(book.resolve("bob person11").index == 11);
    auto near = book.resolve("Bob Persn11");
    CHECK(near.kind == Resolution::Kind::Unknown);
    CHECK(near.match == "similar");
    CHECK(near.candidates.front() == 11);
    CHECK(book.resolve("Ann").kind == Resolution::Kind::Unknown);  // a first name shared by 1,000: suggestions
    CHECK(book.resolve("Ann").candidates.size() == 5);
    // Edits on the big file keep every other line.
    auto added = withContactAdded(text, {"Zed", {}, hexId(99999), 0});
    CHECK(parseJamiConfig(added).contacts.size() == 10001);
    CHECK(withContactRemoved(added, "zed") == text);
    auto renamed = withContactRenamed(text, "Chen Person5002", "陈五千");
    CHECK(withContactRenamed(renamed, "陈五千", "Chen Person5002") == text);
}

TEST_CASE("AGENTS.md: the section under ## Tools is read, and created there when missing") {
    const std::string agents =
        "# AGENTS.md\n\n## Tools\nUse the tools with care.\n\n### Jami Configuration\n- Contacts:\n"
        "  - Mom: " +
        hexId(1) + "\n\n## Memory\n- remember things\n";
    auto config = parseJamiConfig(agents);
    REQUIRE(config.contacts.size() == 1);
    CHECK(config.contacts[0].name == "Mom");

    const std::string without =
        "# AGENTS.md\n\n## Tools\nUse the tools with care.\n\n\n## Memory\n- Contacts: not ours\n";
    auto added = withContactAdded(without, {"Ann", {}, hexId(2), 0});
    CHECK(added ==
          "# AGENTS.md\n\n## Tools\nUse the tools with care.\n\n### Jami Configuration\n- Contacts:\n  - Ann: " +
              hexId(2) + "\n\n\n## Memory\n- Contacts: not ours\n");
    REQUIRE(parseJamiConfig(added).contacts.size() == 1);

    // Found in a workspace without TOOLS.md.
    auto dir = std::filesystem::temp_directory_path() / ("jskill-agents-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "AGENTS.md") << agents;
    ::unsetenv("JAMI_SKILL_TOOLS");
    ::setenv("OPENCLAW_WORKSPACE", dir.c_str(), 1);
    auto lookup = findToolsFile(std::nullopt);
    ::unsetenv("OPENCLAW_WORKSPACE");
    if (!std::filesystem::exists("TOOLS.md") && !std::filesystem::exists("AGENTS.md")) {
        REQUIRE(lookup.path);
        CHECK(*lookup.path == dir / "AGENTS.md");
        CHECK(lookup.source == "OPENCLAW_WORKSPACE");
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("rename: only the name's bytes change; duplicates and unknown names are refused") {
    const std::string text =
        "## Jami Configuration\r\n- Contacts:\r\n\t* Mom (mother, 妈妈): `" + hexId(1) + "`\r\n  - Bob: bob_b\r\n";
    auto renamed = withContactRenamed(text, "mother", "Mama");
    CHECK(renamed ==
          "## Jami Configuration\r\n- Contacts:\r\n\t* Mama (mother, 妈妈): `" + hexId(1) + "`\r\n  - Bob: bob_b\r\n");
    CHECK_THROWS_WITH(withContactRenamed(text, "Mom", "BOB"), doctest::Contains("already used"));
    CHECK_THROWS_WITH(withContactRenamed(text, "Mom", "Mother"), doctest::Contains("already an alias"));
    CHECK_THROWS_WITH(withContactRenamed(text, "Nobody", "X"), doctest::Contains("no contact named"));
    CHECK_THROWS_WITH(withContactRenamed(text, "Bob", "a: b"), doctest::Contains("cannot contain"));
    CHECK_THROWS_WITH(withContactRenamed(text, "Bob", "  "), doctest::Contains("needs a name"));
}

TEST_CASE("setup's settings: one line each, before the contacts, never twice, every other byte kept") {
    const std::string text = "# Notes\r\nmine\r\n\r\n## Jami Configuration\r\n- Contacts:\r\n  - Mom: " + hexId(1) +
                             "\r\n\r\n## Later\r\n- Contacts only: no\r\n";
    auto with_account = withSettingAdded(text, "Account ID", "0123456789abcdef");
    CHECK(with_account ==
          "# Notes\r\nmine\r\n\r\n## Jami Configuration\r\n- Account ID: 0123456789abcdef\r\n- Contacts:\r\n"
          "  - Mom: " +
              hexId(1) + "\r\n\r\n## Later\r\n- Contacts only: no\r\n");
    auto both = withSettingAdded(with_account, "Contacts only", "yes");
    auto config = parseJamiConfig(both);
    CHECK(config.account == "0123456789abcdef");
    CHECK(config.policy.contacts_only == true);  // the "no" under another heading is not ours
    CHECK(config.contacts.size() == 1);
    CHECK_THROWS_WITH(withSettingAdded(both, "Contacts only", "no"), doctest::Contains("already sets"));
    CHECK_THROWS_WITH(withSettingAdded(both, "contacts ONLY", "yes"), doctest::Contains("already sets"));
    CHECK_THROWS_WITH(withSettingAdded(both, "Account ID", hexId(7)), doctest::Contains("already names"));
    CHECK_THROWS_WITH(withSettingAdded(text, "Account ID", "nope"), doctest::Contains("neither"));
    CHECK_THROWS_WITH(withSettingAdded(text, "Favourite colour", "blue"), doctest::Contains("not a setting"));
    CHECK_THROWS(withSettingAdded(text, "Contacts only", "perhaps"));
    // No section: made at the end, or under AGENTS.md's "## Tools".
    CHECK(withSettingAdded("", "Owner", "Ann") == "## Jami Configuration\n- Owner: Ann\n");
    CHECK(withSettingAdded("# Me\nhello", "Owner", "Ann") == "# Me\nhello\n\n## Jami Configuration\n- Owner: Ann\n");
    CHECK(withSettingAdded("## Tools\nx\n\n## Memory\n", "Owner", "Ann") ==
          "## Tools\nx\n\n### Jami Configuration\n- Owner: Ann\n\n## Memory\n");
}

TEST_CASE("malformed sections: every mistake has a line, the rest still loads") {
    auto c = parseJamiConfig("## Jami Configuration\n- Account ID: xyz\n- Contacts:\n  - : " + hexId(1) +
                             "\n  - NoId:\n"
                             "  - ＢＯＢ: " +
                             hexId(2) + "\n  - bob: " + hexId(3) +
                             "\n  - Ok: sip:ok@example.org\n  - Bad: sip:\n"
                             "  - Shorty: ab\n");
    CHECK(c.contacts.size() == 2);  // ＢＯＢ and Ok
    std::vector<int> lines;
    for (const auto& p : c.problems) lines.push_back(p.line);
    CHECK(lines == std::vector<int>{2, 4, 5, 7, 9, 10});
}

TEST_CASE("round trip on 300 generated files: parse -> edit -> parse keeps the model and every other byte") {
    std::mt19937 rng(20261125);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const std::vector<std::string> filler = {"Some prose, with ünïcödé and emoji 🎉",
                                             "",
                                             "   ",
                                             "\tindented with a tab",
                                             "- Contacts: not in our section",
                                             "```",
                                             "- Account ID: 0123456789abcdef",
                                             "<!-- a comment -->",
                                             "## SSH",
                                             "### Sub heading",
                                             "* a bullet",
                                             "~~~",
                                             "# Top",
                                             "- home-server: 192.168.1.100",
                                             "  - Fake: " + hexId(7)};
    for (int file = 0; file < 300; ++file) {
        const std::string eol = pick(3) == 0 ? "\r\n" : "\n";
        std::string text = pick(4) == 0 ? "\xEF\xBB\xBF" : "";
        auto addFiller = [&] {
            for (std::size_t n = pick(6); n > 0; --n) {
                std::string line = filler[pick(filler.size())];
                if (line == "```" || line == "~~~") line += eol + "## Jami Configuration" + eol + line;  // fenced decoy
                text += line + eol;
            }
        };
        addFiller();
        // A section with a few contacts, so that a removal can give the bytes back.
        std::set<std::string> model;
        text += "## Jami Configuration" + eol + "- Contacts:" + eol;
        const std::string indent = pick(2) ? "  " : "\t";
        for (std::size_t n = pick(4); n > 0; --n) {
            std::string name = "Person" + std::to_string(file) + "_" + std::to_string(n);
            text += indent + "- " + name + ": " + hexId(n) + eol;
            model.insert(exactKey(name));
        }
        if (pick(2)) text += eol;
        text += "## After" + eol;
        addFiller();
        if (pick(3) == 0 && text.ends_with(eol)) text.resize(text.size() - eol.size());  // no final newline
        const std::string original = text;
        REQUIRE(parseJamiConfig(original).contacts.size() == model.size());

        // A random sequence of edits, checked against the model after each.
        std::string current = original;
        for (int op = 0; op < 6; ++op) {
            const std::string name = "New" + std::to_string(op) + (pick(2) ? " Ünï" : " 李");
            switch (pick(3)) {
            case 0:
                current = withContactAdded(current, {name, {}, hexId(100 + op), 0});
                model.insert(exactKey(name));
                break;
            case 1:
                if (model.empty()) break;
                {
                    auto victim = parseJamiConfig(current).contacts.front().name;
                    current = withContactRemoved(current, victim);
                    model.erase(exactKey(victim));
                }
                break;
            case 2:
                if (model.empty()) break;
                {
                    auto target = parseJamiConfig(current).contacts.back().name;
                    current = withContactRenamed(current, target, name);
                    model.erase(exactKey(target));
                    model.insert(exactKey(name));
                }
                break;
            }
            auto parsed = parseJamiConfig(current);
            std::set<std::string> names;
            for (const auto& c : parsed.contacts) names.insert(exactKey(c.name));
            REQUIRE(names == model);
            REQUIRE(parsed.problems.empty());
        }
        // Everything but our contact lines is byte-identical.
        CHECK(otherLines(current) == otherLines(original));
        // And an add followed by its removal gives the exact bytes back.
        auto added = withContactAdded(original, {"Round Trip", {"rt"}, hexId(4242), 0});
        CHECK(withContactRemoved(added, "rt") == original);
    }
}
