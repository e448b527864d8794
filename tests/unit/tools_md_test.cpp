#include <doctest/doctest.h>

#include "config/contact_book.hpp"
#include "config/tools_md.hpp"

using namespace jskill::config;

TEST_CASE("the section is found among other notes; fences and comments are skipped") {
    auto c = parseJamiConfig(
        "\xEF\xBB\xBF# Notes\r\n```\r\n## Jami Configuration\r\n- Contacts:\r\n  - Fake: 0000000000000000000000000000000000000000\r\n```\r\n"
        "## Jami Configuration\r\n<!--\r\n- Account ID: nonsense\r\n-->\r\n- Account ID: 0123456789abcdef\r\n- Contacts:\r\n"
        "\t- Mom (mother，妈妈): 1111111111111111111111111111111111111111\r\n  - Bob: sip:bob@host:5060\r\n## Other\r\n- Contacts:\r\n  - X: yyyyyy\r\n");
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
    auto c = parseJamiConfig("## Jami Configuration\n- Contacts:\n  - Ann: 1111111111111111111111111111111111111111\n"
                             "  - Bad: not an id!\n  - ann: 2222222222222222222222222222222222222222\n  - nocolon\n"
                             "  - Zoe: 3333333333333333333333333333333333333333\n");
    REQUIRE(c.contacts.size() == 2);
    CHECK(c.contacts[1].name == "Zoe");
    REQUIRE(c.problems.size() == 3);
    CHECK(c.problems[0].line == 4);
    CHECK(c.problems[1].line == 5);
    CHECK(c.problems[2].line == 6);
}

TEST_CASE("resolution: exact, alias, word, typo, ambiguous, unknown") {
    ContactBook book({{"Bob Smith", {}, "2222222222222222222222222222222222222222", 1},
                      {"Bob Jones", {}, "3333333333333333333333333333333333333333", 2},
                      {"Mom", {"mother", "妈妈"}, "1111111111111111111111111111111111111111", 3},
                      {"Alexander", {}, "alex_x", 4}});
    CHECK(book.resolve("bob smith").kind == Resolution::Kind::Found);
    CHECK(book.resolve("MOTHER").index == 2);
    CHECK(book.resolve("妈妈").match == "alias");
    CHECK(book.resolve("jami:1111111111111111111111111111111111111111").match == "id");
    CHECK(book.resolve("Jones").match == "word");
    auto typo = book.resolve("Alexandre");
    CHECK(typo.kind == Resolution::Kind::Found);
    CHECK(typo.match == "similar");
    auto bob = book.resolve("bob");
    CHECK(bob.kind == Resolution::Kind::Ambiguous);
    CHECK(bob.candidates.size() == 2);
    auto nobody = book.resolve("Zebediah");
    CHECK(nobody.kind == Resolution::Kind::Unknown);
}
