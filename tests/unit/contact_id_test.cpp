// Every form of contact id, through the one owner (contacts/contact_id.hpp):
// valid in TOOLS.md, an address, its canonical form, and what jamid's
// spellings of it reduce to. One row per form.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "contacts/contact_id.hpp"

using namespace jskill::contacts;

namespace {
const std::string kHex = "5904a1e87facfb8c581d09af4f0ec6e3e3b6def7";

struct Row {
    std::string id;
    bool valid, address;
    std::string canonical;
};
}  // namespace

TEST_CASE("contact ids: every form, valid, address, canonical") {
    const std::vector<Row> rows = {
        {kHex, true, true, kHex},
        {"5904A1E87FACFB8C581D09AF4F0EC6E3E3B6DEF7", true, true, kHex},
        {"jami:" + kHex, true, true, kHex},
        {"ring:" + kHex, true, true, kHex},
        {"alice_w", true, false, "alice_w"},
        {"Alice-W", true, false, "alice-w"},
        {"ab", false, false, "ab"},                                  // too short for a username
        {std::string(33, 'a'), false, false, std::string(33, 'a')},  // too long
        {"sip:bob@example.com", true, true, "sip:bob@example.com"},
        {"SIP:Bob@EXAMPLE.com:5060", true, true, "sip:Bob@example.com:5060"},  // user part exact
        {"sips:bob@example.com;transport=tls", true, true, "sips:bob@example.com;transport=tls"},
        {"sip:MOM@host", true, true, "sip:MOM@host"},  // not sip:mom@host
        {"sip:10.0.0.1", true, true, "sip:10.0.0.1"},  // host only
        {"sip:", false, true, "sip:"},
        {"sip:a b@host", false, true, "sip:ab@host"},  // spaces: never valid
        {"sip:x@y\n<!--", false, true, "sip:x@y\n<!--"},
        {"sip:x@y\"", false, true, "sip:x@y\""},
        {"sip:" + std::string(300, 'a'), false, true, "sip:" + std::string(300, 'a')},
        {"mailto:bob@example.com", false, false, "mailto:bob@example.com"},
    };
    for (const auto& row : rows) {
        INFO(row.id);
        CHECK(isValidContactId(row.id) == row.valid);
        CHECK(isAddress(row.id) == row.address);
        CHECK(canonicalId(row.id) == row.canonical);
    }
    CHECK(canonicalId("sip:MOM@host") != canonicalId("sip:mom@host"));
    CHECK(canonicalId("sip:mom@HOST") == canonicalId("SIP:mom@host"));
}

TEST_CASE("jamid's spellings of a peer reduce to the TOOLS.md id") {
    CHECK(peerId(kHex + "@ring.dht") == kHex);
    CHECK(peerId(kHex + "@jami.dht") == kHex);
    CHECK(peerId("jami:" + kHex) == kHex);
    CHECK(peerId("<" + kHex + ">") == kHex);
    CHECK(peerId("<sip:service@198.18.0.1:5070>") == "sip:service@198.18.0.1:5070");
    CHECK(peerId("sip:service@198.18.0.1") == "sip:service@198.18.0.1");
    CHECK(peerId("ben@vm") == "sip:ben@vm");  // jamid's peer of an incoming SIP call: From without its scheme
}
