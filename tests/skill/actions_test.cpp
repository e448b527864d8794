// The actions against an in-memory jamid (tests/support/fake_jamid.hpp):
// which account, which call, what is sent where, what is read back, and how
// jamid's failures reach the result. Seconds, no daemon, no root; the same
// actions on real jamid are tests/jamid/, on newer interfaces tests/standin/.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <string>

#include "base/error.hpp"
#include "skill/skill.hpp"
#include "support/fake_jamid.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using test::FakeJamid;
using test::TempDir;

namespace {

const std::string kMe = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kBob = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const std::string kCarol = "cccccccccccccccccccccccccccccccccccccccc";
const std::string kStranger = "dddddddddddddddddddddddddddddddddddddddd";

// A skill on a TOOLS.md with Bob, Carol and a SIP desk, talking to `fake`.
struct Fixture {
    TempDir dir{"actions"};
    std::shared_ptr<FakeJamid> fake = std::make_shared<FakeJamid>();
    std::unique_ptr<jskill::Skill> skill;

    explicit Fixture(const std::string& extra_config = "") {
        dir.write("TOOLS.md", "## Jami Configuration\n" + extra_config + "- Contacts:\n  - Bob: " + kBob +
                                  "\n  - Carol: " + kCarol + "\n  - Desk: sip:desk@127.0.0.1\n");
        jskill::SkillOptions options;
        options.tools_md = (dir.path / "TOOLS.md").string();
        options.state_dir = (dir.path / "state").string();
        options.host = "test";
        options.timeout = std::chrono::milliseconds(500);
        options.jamid_factory = FakeJamid::factoryFor(fake);
        options.pulse_server = "unix:" + (dir.path / "no-sound-server").string();  // nothing here speaks
        skill = std::make_unique<jskill::Skill>(options);
    }
    // The result as the C ABI gives it.
    json operator()(const json& request) const {
        try {
            return skill->handle(request);
        } catch (const jskill::Error& e) {
            return e.toJson();
        }
    }
};

std::string codeOf(const json& r) { return r.value("ok", false) ? "ok" : r["error"].value("code", ""); }

}  // namespace

TEST_CASE("accounts: one is used; several need a name, an alias or a registered name") {
    Fixture f;
    CHECK(codeOf(f({{"action", "call.start"}, {"contact", "Bob"}})) == "no_account");

    f.fake->addJamiAccount("acc1", "Home", kMe, "me-at-home");
    auto placed = f({{"action", "call.start"}, {"contact", "Bob"}});
    REQUIRE_MESSAGE(codeOf(placed) == "ok", placed.dump());
    CHECK(f.fake->wasAsked("placeAudioCall acc1," + kBob));
    f({{"action", "call.hangup"}});

    f.fake->addJamiAccount("acc2", "Work", "dddddddddddddddddddddddddddddddddddddddd");
    auto which = f({{"action", "account.info"}});
    CHECK(codeOf(which) == "ambiguous_account");
    CHECK(which["candidates"].size() == 2);
    CHECK(f({{"action", "account.info"}, {"account", "work"}})["account"]["id"] == "acc2");
    CHECK(f({{"action", "account.info"}, {"account", "me-at-home"}})["account"]["id"] == "acc1");
    CHECK(f({{"action", "account.info"}, {"account", "jami:" + kMe}})["account"]["id"] == "acc1");
    CHECK(codeOf(f({{"action", "account.info"}, {"account", "nobody"}})) == "unknown_account");

    // TOOLS.md's account (jamid's 16-hex local id) settles it.
    Fixture pinned("- Account ID: 00000000000000a2\n");
    pinned.fake->addJamiAccount("00000000000000a1", "Home", kMe);
    pinned.fake->addJamiAccount("00000000000000a2", "Work", "dddddddddddddddddddddddddddddddddddddddd");
    auto via_work = pinned({{"action", "call.start"}, {"contact", "Bob"}});
    REQUIRE_MESSAGE(codeOf(via_work) == "ok", via_work.dump());
    CHECK(pinned.fake->wasAsked("placeAudioCall 00000000000000a2," + kBob));
}

TEST_CASE("calls: the one call an action means, or a question") {
    Fixture f;
    f.fake->addJamiAccount("acc1", "Home", kMe);
    CHECK(codeOf(f({{"action", "call.hangup"}})) == "no_call");

    f.fake->addCall("c1", "acc1", "jami:" + kBob, "CURRENT");
    f.fake->addCall("c2", "acc1", "jami:" + kCarol, "HOLD");
    // Two calls: hanging up needs to know which, and names them.
    auto which = f({{"action", "call.hangup"}});
    CHECK(codeOf(which) == "ambiguous_call");
    REQUIRE(which["candidates"].size() == 2);
    CHECK(which["candidates"][0]["contact"] == "Bob");
    // Only one is on hold: resume means that one.
    auto resumed = f({{"action", "call.resume"}});
    REQUIRE_MESSAGE(codeOf(resumed) == "ok", resumed.dump());
    CHECK(f.fake->wasAsked("resume acc1,c2"));
    CHECK(resumed["call"]["state"] == "active");
    CHECK_FALSE(resumed.contains("pending"));
    CHECK(codeOf(f({{"action", "call.hangup"}, {"call_id", "c9"}})) == "unknown_call");
    CHECK(codeOf(f({{"action", "call.hangup"}, {"call_id", "c1"}})) == "ok");
    CHECK(f({{"action", "call.list"}})["calls"].size() == 1);
}

TEST_CASE("calls: a sentence that names whose call acts on that person's call only") {
    Fixture f;
    f.fake->addJamiAccount("acc1", "Home", kMe);
    f.fake->addCall("c1", "acc1", "jami:" + kBob, "INCOMING");
    f.fake->addCall("c2", "acc1", "jami:" + kCarol, "INCOMING");
    CHECK(codeOf(f({{"action", "call.decline"}})) == "ambiguous_call");  // two ring: which?
    auto declined = f({{"text", "send Bob to voicemail"}});
    REQUIRE_MESSAGE(codeOf(declined) == "ok", declined.dump());
    CHECK(f.fake->wasAsked("refuse acc1,c1"));
    CHECK_FALSE(f.fake->wasAsked("refuse acc1,c2"));
    auto answered = f({{"text", "answer Carol's call"}});
    REQUIRE_MESSAGE(codeOf(answered) == "ok", answered.dump());
    CHECK(f.fake->wasAsked("accept acc1,c2"));
    // Nobody named rings: no call, never the nearest one.
    f.fake->addCall("c3", "acc1", "jami:" + kBob, "INCOMING");
    auto none = f({{"text", "decline the call from Carol"}});
    CHECK(codeOf(none) == "no_call");
    CHECK_FALSE(f.fake->wasAsked("refuse acc1,c3"));
}

TEST_CASE("calls: a video call asked for is placed as audio, and the result says so") {
    Fixture f;
    f.fake->addJamiAccount("acc1", "Home", kMe);
    for (const char* video : {"video call Bob", "跟Bob视频", "FaceTime Carol"}) {
        auto r = f({{"text", video}});
        if (std::string(video) == "FaceTime Carol") {  // not a call verb: nothing understood
            CHECK(codeOf(r) == "no_intent");
            continue;
        }
        REQUIRE_MESSAGE(codeOf(r) == "ok", video << " -> " << r.dump());
        CHECK_MESSAGE(r.value("note", "").find("without video") != std::string::npos, r.dump());
        f({{"action", "call.hangup"}});
    }
    auto plain = f({{"text", "call Bob"}});
    REQUIRE(codeOf(plain) == "ok");
    CHECK_FALSE(plain.contains("note"));
    f({{"action", "call.hangup"}});
    // Video in what the call says is not a video call (a notify call needs Voice on).
    Fixture voice("- Voice: on\n");
    auto dry = voice({{"text", "call Bob and tell him the video is up"}, {"dry_run", true}});
    REQUIRE_MESSAGE(codeOf(dry) == "ok", dry.dump());
    CHECK(dry["slots"]["say"] == "the video is up");
    CHECK_FALSE(dry.contains("note"));
    CHECK(voice({{"text", "video call Bob and tell him the build is broken"}, {"dry_run", true}}).contains("note"));
}

TEST_CASE("calls: a jamid that lacks a method says so, by name") {
    Fixture f;
    f.fake->addJamiAccount("acc1", "Home", kMe);
    f.fake->addCall("c1", "acc1", "jami:" + kBob, "HOLD");
    f.fake->failNext("resume", jskill::Error(jskill::code::kDaemonUnsupported, "this jamid does not offer resume",
                                             "see jamictl daemon"));
    auto r = f({{"action", "call.resume"}});
    CHECK(codeOf(r) == "daemon_unsupported");
    CHECK(r["error"]["message"].get<std::string>().find("resume") != std::string::npos);
    // jamid gone mid-way: a clear error, and the next request works again.
    f.fake->setRunning(false);
    CHECK(codeOf(f({{"action", "call.list"}})) == "daemon_unavailable");
    f.fake->setRunning(true);
    CHECK(codeOf(f({{"action", "call.list"}})) == "ok");
}

TEST_CASE("messages: a conversation for Jami, a text message for SIP; read back oldest first") {
    Fixture f;
    f.fake->addJamiAccount("acc1", "Home", kMe);
    f.fake->addConversation("acc1", kBob, "conv-bob");
    f.fake->addMessage("conv-bob", kBob, "are you coming?");

    auto sent = f({{"text", "send Bob running late"}});
    REQUIRE_MESSAGE(codeOf(sent) == "ok", sent.dump());
    CHECK(sent["via"] == "conversation");
    CHECK(sent["status"] == "committed");
    CHECK(sent["peer_joined"] == true);
    CHECK(f.fake->wasAsked("sendMessage acc1,conv-bob,running late"));

    auto read = f({{"action", "message.read"}, {"contact", "Bob"}});
    REQUIRE_MESSAGE(codeOf(read) == "ok", read.dump());
    REQUIRE(read["messages"].size() == 2);
    CHECK(read["messages"][0]["body"] == "are you coming?");
    CHECK(read["messages"][0]["from"] == "Bob");
    CHECK(read["messages"][1]["body"] == "running late");

    // No conversation with Carol yet: one is made (contact + invitation), and
    // the answer says she has not joined.
    auto to_carol = f({{"action", "message.send"}, {"contact", "Carol"}, {"message", "hello"}});
    CHECK(f.fake->wasAsked("addContact acc1," + kCarol));
    CHECK(f.fake->wasAsked("sendTrustRequest acc1," + kCarol));
    CHECK(codeOf(to_carol) == "ok");
    CHECK(to_carol["via"] == "text_message");  // jamid gave no conversation: the plain message still goes

    auto sip = f({{"action", "message.send"}, {"contact", "Desk"}, {"message", "on my way"}, {"wait_s", 0}});
    REQUIRE_MESSAGE(codeOf(sip) == "ok", sip.dump());
    CHECK(sip["via"] == "text_message");
    CHECK(f.fake->wasAsked("sendTextMessage acc1,sip:desk@127.0.0.1,on my way"));
}

TEST_CASE("messages: to a peer who has not joined, the answer says so") {
    Fixture f;
    f.fake->addJamiAccount("acc1", "Home", kMe);
    f.fake->addConversation("acc1", kBob, "conv-bob", /*joined=*/false);
    auto sent = f({{"action", "message.send"}, {"contact", "Bob"}, {"message", "hi"}});
    REQUIRE_MESSAGE(codeOf(sent) == "ok", sent.dump());
    CHECK(sent["peer_joined"] == false);
    CHECK(sent["hint"].get<std::string>().find("Bob") != std::string::npos);
}

TEST_CASE("contact requests: listed with the TOOLS.md name, answered by name") {
    Fixture f;
    f.fake->addJamiAccount("acc1", "Home", kMe);
    f.fake->addTrustRequest("acc1", kBob, "conv-1");
    f.fake->addTrustRequest("acc1", "9999999999999999999999999999999999999999", "conv-2");
    auto listed = f({{"action", "contact.requests"}});
    REQUIRE_MESSAGE(codeOf(listed) == "ok", listed.dump());
    REQUIRE(listed["requests"].size() == 2);
    CHECK(listed["requests"][0]["contact"] == "Bob");
    CHECK(listed["requests"][0]["conversation_id"] == "conv-1");
    auto accepted = f({{"action", "contact.accept"}, {"contact", "Bob"}});
    REQUIRE_MESSAGE(codeOf(accepted) == "ok", accepted.dump());
    CHECK(f.fake->wasAsked("acceptTrustRequest acc1," + kBob));
    CHECK(f({{"action", "contact.requests"}})["requests"].size() == 1);
}

TEST_CASE("contact invite: sent to a Jami contact; refused with its reason otherwise") {
    Fixture f;
    f.fake->addJamiAccount("acc1", "Home", kMe);
    auto sent = f({{"action", "contact.invite"}, {"contact", "Bob"}});
    REQUIRE_MESSAGE(codeOf(sent) == "ok", sent.dump());
    CHECK(sent["jami"]["trust_request"] == "sent");
    CHECK(f.fake->wasAsked("sendTrustRequest acc1," + kBob));
    // A sip: contact gets no contact request: said as such, not as a JSON dump.
    auto sip = f({{"action", "contact.invite"}, {"contact", "Desk"}});
    CHECK(codeOf(sip) == "invalid_argument");
    CHECK(sip["error"]["message"] == "no contact request was sent: not a 40-hex Jami ID");
    // jamid not running: its own code and a hint (was invalid_argument).
    f.fake->setRunning(false);
    auto down = f({{"action", "contact.invite"}, {"contact", "Carol"}});
    CHECK(codeOf(down) == "daemon_unavailable");
    CHECK_FALSE(down["error"].value("hint", "").empty());
    // contact.add still reports the same as a skip beside the added contact.
    auto added = f({{"action", "contact.add"}, {"name", "Dan"}, {"id", std::string(40, 'd')}, {"confirmed", true}});
    REQUIRE_MESSAGE(codeOf(added) == "ok", added.dump());
    CHECK(added["jami"]["trust_request"] == "skipped");
    CHECK(added["jami"]["reason"] == "jamid is not running");
}

TEST_CASE("events: a read answered by methods does not follow jamid's signals; an act or a listener does") {
    // Following costs a one-shot its match rules and loop thread (~0.4 ms),
    // and a read needs neither; an action that waits for an outcome, or a
    // host that listens, must have the signals from the start.
    Fixture f;
    f.fake->addJamiAccount("acc1", "Home", kMe);
    auto followed = [&] { return f.fake->wasAsked("followEvents"); };
    for (const char* read : {"account.list", "account.info", "call.list", "call.status", "daemon.status"}) {
        CHECK_MESSAGE(codeOf(f({{"action", read}})) == "ok", read);
        CHECK_MESSAGE(!followed(), read << " made the client follow jamid's signals");
    }
    CHECK(codeOf(f({{"action", "call.start"}, {"contact", "Bob"}, {"dry_run", true}})) == "ok");
    CHECK_MESSAGE(!followed(), "a dry run followed jamid's signals");
    CHECK(codeOf(f({{"action", "call.start"}, {"contact", "Bob"}})) == "ok");
    CHECK(followed());

    Fixture listener;
    CHECK_FALSE(listener.skill->nextEvent(std::chrono::milliseconds(0)));
    CHECK(listener.fake->wasAsked("followEvents"));
}

// The answering machine's decisions on a fake jamid: whom it takes, and a
// machine that cannot speak telling the host why (no sound server here:
// jamid.answering is the real thing, busy callers included).
TEST_CASE("answering machine: a contact is taken, a stranger is not, a failure is told, Voice off is said") {
    Fixture f("- Voice: on\n- Contacts only: yes\n- Answering machine: contacts after 1 s\n");
    f.fake->addJamiAccount("acc1", "Home", kMe, "");
    auto next = [&](const char* type) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline)
            if (auto e = f.skill->nextEvent(std::chrono::milliseconds(200)); e && e->value("type", "") == type)
                return *e;
        return json();
    };
    (void)f.skill->nextEvent(std::chrono::milliseconds(0));  // a host listens: jamid's events flow
    f.fake->ring("in1", "acc1", kStranger);
    auto stranger = next("call.incoming");
    CHECK_FALSE(stranger.contains("answering_machine"));  // never answered, whatever the delay
    f.fake->ring("in2", "acc1", kBob);
    auto bob = next("call.incoming");
    CHECK(bob["contact"] == "Bob");
    CHECK(bob["answering_machine"]["will_answer_after_s"] == 1);
    // No sound server to speak through: the host is told why at once, and
    // Bob's call rings on for a person.
    auto failed = next("voicemail");
    REQUIRE(failed.is_object());
    CHECK(failed["call_id"] == "in2");
    CHECK(failed["contact"] == "Bob");
    CHECK(failed["error"]["code"] == "voice_unavailable");
    CHECK(failed["notable"] == true);
    CHECK_FALSE(f.fake->wasAsked("accept"));

    Fixture off("- Answering machine: contacts after 1 s\n");
    off.fake->addJamiAccount("acc1", "Home", kMe, "");
    (void)off.skill->nextEvent(std::chrono::milliseconds(0));
    off.fake->ring("in1", "acc1", kBob);
    auto e = off.skill->nextEvent(std::chrono::seconds(5));
    REQUIRE(e);
    CHECK((*e)["answering_machine"]["skipped"] == "voice_off");
}

TEST_CASE("message.reply: answers who wrote first, under Contacts only too; nobody else") {
    Fixture f("- Contacts only: yes\n");
    f.fake->addJamiAccount("acc1", "Home", kMe);
    const std::string paired = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
    f.fake->addConversation("acc1", paired, "conv-paired");  // a stranger whose request the host accepted
    f.fake->addTrustRequest("acc1", kStranger, "conv-s");    // a stranger still waiting

    // Into the conversation the peer joined, though no contact of the book.
    auto joined = f({{"action", "message.reply"}, {"peer", paired}, {"message", "hello again"}, {"wait_s", 0}});
    REQUIRE_MESSAGE(codeOf(joined) == "ok", joined.dump());
    CHECK(joined["via"] == "conversation");
    CHECK(f.fake->wasAsked("sendMessage acc1,conv-paired,hello again"));
    // While the request waits: a plain message, and nothing accepted or opened.
    auto waiting = f({{"action", "message.reply"}, {"peer", kStranger}, {"message", "your code: 1234"}});
    REQUIRE_MESSAGE(codeOf(waiting) == "ok", waiting.dump());
    CHECK(waiting["via"] == "text_message");
    CHECK(f.fake->wasAsked("sendTextMessage acc1," + kStranger + ",your code: 1234"));
    CHECK_FALSE(f.fake->wasAsked("acceptTrustRequest acc1," + kStranger));
    CHECK_FALSE(f.fake->wasAsked("addContact acc1," + kStranger));
    // Someone who never wrote: refused before anything is sent; message.send
    // to the same stranger is refused by Contacts only.
    const std::string nobody = "9999999999999999999999999999999999999999";
    // Before the ledger counts it: refused as often as asked, never rate_limited.
    for (int i = 0; i < 12; ++i) {
        auto refused = f({{"action", "message.reply"}, {"peer", nobody}, {"message", "hi"}});
        CHECK(codeOf(refused) == "not_allowed");
    }
    CHECK_FALSE(f.fake->wasAsked("sendTextMessage acc1," + nobody + ",hi"));
    CHECK(codeOf(f({{"action", "message.send"}, {"contact", paired}, {"message", "hi"}})) == "not_allowed");
}

TEST_CASE("text beside action: the sentence decides; an unknown action is ignored, a different one refused") {
    Fixture f;
    f.fake->addJamiAccount("acc1", "Home", kMe);
    // What a model sent in the real OpenClaw: "call" is no action.
    auto followed = f({{"action", "call"}, {"text", "call Bob"}, {"dry_run", true}});
    REQUIRE_MESSAGE(codeOf(followed) == "ok", followed.dump());
    CHECK(followed["intent"] == "call.start");
    CHECK(followed["action_ignored"] == "call");
    CHECK(codeOf(f({{"action", "call.start"}, {"text", "call Bob"}, {"dry_run", true}})) == "ok");
    auto conflict = f({{"action", "message.send"}, {"text", "call Bob"}, {"message", "hi"}, {"contact", "Bob"}});
    CHECK(codeOf(conflict) == "conflicting_request");
    CHECK_FALSE(f.fake->wasAsked("sendMessage acc1,conv-bob,hi"));
    // intent.parse reads "text" as its argument: no sentence request.
    auto parsed = f({{"action", "intent.parse"}, {"text", "call Bob"}});
    REQUIRE_MESSAGE(codeOf(parsed) == "ok", parsed.dump());
    CHECK(parsed["intent"] == "call.start");
}
