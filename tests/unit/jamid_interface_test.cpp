// Which form of each changed feature a jamid offers, from its introspection
// (skill/jamid/interface.hpp). The fixtures are upstream's interface files at
// each release that changed something we call (tests/data/jamid/, made by
// extract.py from savoirfairelinux/jami-daemon): one row per release.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "skill/jamid/interface.hpp"
#include "support/files.hpp"

using namespace jskill::jamid;

namespace {

std::string fixture(const std::string& release, const char* object) {
    const std::string path = std::string(TEST_JAMID_DIR) + "/" + release + "/" + object + ".xml";
    REQUIRE_MESSAGE(std::filesystem::is_regular_file(path), "missing fixture " << release << "/" << object);
    return test::readFile(path);
}

struct Row {
    std::string release;
    Form resume, send_text, register_name, history, message_signal, incoming_call;
};

}  // namespace

TEST_CASE("jamid interface: the forms each release offers") {
    const std::vector<Row> rows = {
        {"13.7-20230206", Form::kUnhold, Form::kSendTextPlain, Form::kRegisterPasswordName,
         Form::kLoadConversationMessages, Form::kMessageReceived, Form::kIncomingCallWithMedia},
        {"13.11-20231101", Form::kUnhold, Form::kSendTextWithFlag, Form::kRegisterPasswordName,
         Form::kLoadConversationMessages, Form::kMessageReceived, Form::kIncomingCallWithMedia},
        {"14.0-20240109", Form::kUnhold, Form::kSendTextWithFlag, Form::kRegisterNameSchemePassword,
         Form::kLoadConversation, Form::kSwarmMessageReceived, Form::kIncomingCallWithMedia},
        {"15.2-20240219", Form::kUnhold, Form::kSendTextWithFlag, Form::kRegisterNameSchemePassword,
         Form::kLoadConversation, Form::kSwarmMessageReceived, Form::kIncomingCallWithMedia},
        {"20251205", Form::kUnhold, Form::kSendTextWithFlag, Form::kRegisterNameSchemePassword, Form::kLoadConversation,
         Form::kSwarmMessageReceived, Form::kIncomingCallMedia},
        {"20260818", Form::kResume, Form::kSendTextWithFlag, Form::kRegisterNameSchemePassword, Form::kLoadConversation,
         Form::kSwarmMessageReceived, Form::kIncomingCallMedia},
    };
    for (const Row& row : rows) {
        CAPTURE(row.release);
        const auto found = DaemonInterface::fromIntrospection(fixture(row.release, "CallManager"),
                                                              fixture(row.release, "ConfigurationManager"));
        CHECK(found.known());
        CHECK(found.form(Feature::kResume) == row.resume);
        CHECK(found.form(Feature::kSendText) == row.send_text);
        CHECK(found.form(Feature::kRegisterName) == row.register_name);
        CHECK(found.form(Feature::kHistory) == row.history);
        CHECK(found.form(Feature::kMessageSignal) == row.message_signal);
        CHECK(found.form(Feature::kIncomingCall) == row.incoming_call);
        CHECK(found.describe()["missing"].empty());
    }
}

TEST_CASE("jamid interface: the parser reads what introspection gives, and nothing else") {
    const std::string xml = R"(<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN">
<node name="/cx/ring/Ring/CallManager">
  <!-- <method name="commented"><arg type="s"/></method> -->
  <interface name="cx.ring.Ring.CallManager">
    <method name='resume'>
      <tp:docstring>Resumes a call. <p>Unlike <code>hold</code></p></tp:docstring>
      <arg type="s" name="accountId" direction="in"/>
      <arg type="s" name="callId"/>
      <arg type="b" direction="out"/>
    </method>
    <method name="ping"/>
    <signal name="incomingCall">
      <arg type="s"/><arg type="s"/><arg type="s"/><arg type="aa{ss}"/>
    </signal>
  </interface>
</node>)";
    const Members members = parseIntrospection(xml);
    REQUIRE(members.size() == 3);
    CHECK(members.at("method resume").in == "ss");
    CHECK(members.at("method resume").out == "b");
    CHECK(members.at("method resume").interface_name == "cx.ring.Ring.CallManager");
    CHECK(members.at("method ping").in.empty());
    CHECK(members.at("signal incomingCall").in == "sssaa{ss}");
    CHECK_FALSE(members.contains("method commented"));

    // A daemon with none of a feature's forms says so.
    const auto bare = DaemonInterface::fromIntrospection(xml, "<node/>");
    CHECK(bare.form(Feature::kResume) == Form::kResume);
    CHECK(bare.form(Feature::kSendText) == Form::kNone);
    CHECK(bare.form(Feature::kIncomingCall) == Form::kIncomingCallMedia);
    CHECK(bare.describe()["missing"].size() == 4);
    CHECK(bare.describe()["features"]["resume"] == "resume(ss)");

    // Cut or broken text never throws.
    for (std::size_t cut = 0; cut < xml.size(); cut += 7) CHECK_NOTHROW(parseIntrospection(xml.substr(0, cut)));
    CHECK_FALSE(DaemonInterface().known());
}
