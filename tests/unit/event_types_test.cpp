// Every event type the skill can send a host is named once
// (skill/event_types.hpp) and documented in docs/abi.md, and the document
// names no type the skill does not send: a typo in either fails here.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>

#include "skill/event_types.hpp"
#include "support/files.hpp"

TEST_CASE("every event type is documented in docs/abi.md, and only those") {
    const std::string abi = test::readFile(std::string(TEST_DOCS_DIR) + "/abi.md");
    const auto start = abi.find("## Events");
    REQUIRE(start != std::string::npos);
    const auto end = abi.find("\n## ", start + 1);
    const std::string section = abi.substr(start, end == std::string::npos ? std::string::npos : end - start);

    std::set<std::string> sent;
    for (auto type : jskill::event::kAllEventTypes) sent.insert(std::string(type));
    // Every `a.b` in backticks names a type; a single word (`error`,
    // `voicemail`) does when it is one (`contact` is a field).
    std::set<std::string> documented;
    const std::regex quoted("`([a-z]+(\\.[a-z_]+)?)`");
    for (auto it = std::sregex_iterator(section.begin(), section.end(), quoted); it != std::sregex_iterator(); ++it)
        if ((*it)[2].matched || sent.count((*it)[1])) documented.insert((*it)[1]);
    for (const auto& type : sent) CHECK_MESSAGE(documented.count(type) == 1, type << " is sent but not in docs/abi.md");
    for (const auto& type : documented)
        CHECK_MESSAGE(sent.count(type) == 1, type << " is in docs/abi.md but never sent");
}
