#include <doctest/doctest.h>

#include "contacts/contact_book.hpp"
#include "contacts/tools_md.hpp"
#include "support/files.hpp"

#include <unistd.h>

using namespace jskill::contacts;

TEST_CASE("the section is found among other notes; fences and comments are skipped") {
    auto c = parseJamiConfig(
        "\xEF\xBB\xBF# Notes\r\n```\r\n## Jami Configuration\r\n- Contacts:\r\n"
        "  - Fake: 0000000000000000000000000000000000000000\r\n```\r\n"
        "## Jami Configuration\r\n<!--\r\n- Account ID: nonsense\r\n-->\r\n"
        "- Account ID: 0123456789abcdef\r\n- Contacts:\r\n"
        "\t- Mom (mother，妈妈): 1111111111111111111111111111111111111111\r\n  - Bob: sip:bob@host:5060\r\n"
        "## Other\r\n- Contacts:\r\n  - X: yyyyyy\r\n");
    CHECK(c.section_found);
    REQUIRE(c.account);
    CHECK(*c.account == "0123456789abcdef");
    REQUIRE(c.contacts.size() == 2);
    CHECK(c.contacts[0].name == "Mom");
    CHECK(c.contacts[0].aliases == std::vector<std::string>{"mother", "妈妈"});
    CHECK(c.contacts[1].id == "sip:bob@host:5060");
    CHECK(c.problems.empty());
}

TEST_CASE("mistakes are reported with their line and the valid entries still load") {
    auto c = parseJamiConfig(
        "## Jami Configuration\n- Contacts:\n  - Ann: 1111111111111111111111111111111111111111\n"
        "  - Bad: not an id!\n  - ann: 2222222222222222222222222222222222222222\n  - nocolon\n"
        "  - Zoe: 3333333333333333333333333333333333333333\n");
    REQUIRE(c.contacts.size() == 2);
    CHECK(c.contacts[1].name == "Zoe");
    REQUIRE(c.problems.size() == 3);
    CHECK(c.problems[0].line == 4);
    CHECK(c.problems[1].line == 5);
    CHECK(c.problems[2].line == 6);
}

TEST_CASE("resolution: exact steps act; a shared word or a typo only suggests") {
    ContactBook book({{"Bob Smith", {}, "2222222222222222222222222222222222222222", 1},
                      {"Bob Jones", {}, "3333333333333333333333333333333333333333", 2},
                      {"Mom", {"mother", "妈妈"}, "1111111111111111111111111111111111111111", 3},
                      {"Alexander", {}, "alex_x", 4}});
    CHECK(book.resolve("bob smith").kind == Resolution::Kind::Found);
    CHECK(book.resolve("MOTHER").index == 2);
    CHECK(book.resolve("妈妈").match == "alias");
    CHECK(book.resolve("jami:1111111111111111111111111111111111111111").match == "id");
    auto jones = book.resolve("Jones");
    CHECK(jones.kind == Resolution::Kind::Unknown);
    CHECK(jones.match == "word");
    CHECK(jones.candidates == std::vector<std::size_t>{1});
    auto typo = book.resolve("Alexandre");
    CHECK(typo.kind == Resolution::Kind::Unknown);
    CHECK(typo.match == "similar");
    CHECK(typo.candidates == std::vector<std::size_t>{3});
    auto bob = book.resolve("bob");
    CHECK(bob.kind == Resolution::Kind::Unknown);
    CHECK(bob.candidates.size() == 2);
    auto nobody = book.resolve("Zebediah");
    CHECK(nobody.kind == Resolution::Kind::Unknown);
}

#include <filesystem>
#include <fstream>
#include <thread>

namespace {
using test::readFile;
const std::string kId = "0123456789abcdef0123456789abcdef01234567";
}  // namespace

TEST_CASE("edits change only our lines: add then remove gives the same bytes") {
    const std::string original =
        "\xEF\xBB\xBF# Notes\r\n\r\nMy own text, with trailing spaces   \r\n"
        "## Jami Configuration\r\n- Contacts:\r\n"
        "\t- Mom: 1111111111111111111111111111111111111111\r\n\r\n"
        "## Other\r\n```\r\n- Contacts:\r\n```\r\nno final newline";
    std::string added = withContactAdded(original, {"Zoë", {"z"}, kId, 0});
    CHECK(added.size() > original.size());
    auto parsed = parseJamiConfig(added);
    REQUIRE(parsed.contacts.size() == 2);
    CHECK(parsed.contacts[1].name == "Zoë");
    CHECK(added.find("Zoë (z): " + kId + "\r\n") != std::string::npos);  // the file's CRLF style
    CHECK(withContactRemoved(added, "Z") == original);                   // by alias
    CHECK_THROWS_WITH(withContactAdded(added, {"mom", {}, kId, 0}), doctest::Contains("already used"));
    CHECK_THROWS_WITH(withContactAdded(original, {"Bad", {}, "not an id!", 0}), doctest::Contains("not a 40-hex"));
    CHECK_THROWS(withContactRemoved(original, "nobody"));
}

TEST_CASE("a missing section is created at the end; a file without Contacts gets the list") {
    std::string text = "# My notes\nkeep me";
    std::string added = withContactAdded(text, {"Ann", {}, kId, 0});
    CHECK(added.starts_with(text));
    CHECK(parseJamiConfig(added).contacts.size() == 1);
    std::string no_list = "## Jami Configuration\n- Account ID: 0123456789abcdef\n\n## Next\n";
    auto with_list = parseJamiConfig(withContactAdded(no_list, {"Ann", {}, kId, 0}));
    CHECK(with_list.contacts.size() == 1);
    REQUIRE(with_list.account);
}

TEST_CASE("two writers at once: both contacts land, nothing is lost") {
    auto dir = std::filesystem::temp_directory_path() / ("jskill-edit-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto path = dir / "TOOLS.md";
    std::ofstream(path) << "# Mine\n\n## Jami Configuration\n- Contacts:\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto writer = [&](const std::string& prefix) {
        for (int i = 0; i < 25; ++i)
            jskill::files::editFileAtomically(path, [&](const std::string& text) {
                return withContactAdded(text, {prefix + std::to_string(i), {}, kId, 0});
            });
    };
    std::thread a(writer, "a"), b(writer, "b");
    a.join();
    b.join();
    auto config = parseJamiConfig(readFile(path));
    CHECK(config.contacts.size() == 50);
    CHECK(config.problems.empty());
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    std::filesystem::remove_all(dir);
}
