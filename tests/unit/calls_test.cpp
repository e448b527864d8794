// Call states and end reasons from jamid's signal sequences (as seen in the
// lab, jamid-lab.md), and the call log: torn lines, restarts, compaction,
// concurrent writers.
#include <doctest/doctest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <thread>

#include "skill/call_tracker.hpp"

using namespace jskill;
using nlohmann::json;

namespace {

json state(const std::string& id, const char* jamid_state, int code = 0) {
    return {{"type", "call.state"}, {"account", "acc"}, {"call_id", id}, {"jamid_state", jamid_state}, {"code", code}};
}
json incoming(const std::string& id) {
    return {{"type", "call.incoming"},
            {"account", "acc"},
            {"call_id", id},
            {"from", "0123456789abcdef0123456789abcdef01234567@ring.dht"}};
}

// Feeds a sequence; `before` runs after the first event (what the skill did).
CallRecord play(
    CallTracker& t, const std::string& id, std::vector<json> events, const std::function<void()>& between = [] {}) {
    bool first = true;
    for (auto& e : events) {
        t.onEvent(e);
        if (first) between();
        first = false;
    }
    return *t.get(id);
}

}  // namespace

TEST_CASE("end reasons from jamid's sequences") {
    CallTracker t(std::nullopt);
    auto placed = [&](const std::string& id) { return [&t, id] { t.placed(id, "acc", "peer"); }; };

    auto by_us = play(t, "1", {state("1", "CONNECTING"), state("1", "RINGING"), state("1", "CURRENT")}, placed("1"));
    CHECK(by_us.state == "active");
    CHECK(by_us.answered);
    t.hangupRequested("1");
    by_us = play(t, "1", {state("1", "HUNGUP"), state("1", "OVER")});
    CHECK(by_us.state == "ended");
    CHECK(by_us.end_reason == "hung_up_by_us");

    CHECK(play(t, "2", {state("2", "CONNECTING"), state("2", "CURRENT"), state("2", "HUNGUP", 103), state("2", "OVER")},
               placed("2"))
              .end_reason == "hung_up_by_peer");
    // A Jami callee that refuses: HUNGUP before CURRENT.
    CHECK(play(t, "3", {state("3", "CONNECTING"), state("3", "RINGING"), state("3", "HUNGUP", 103), state("3", "OVER")},
               placed("3"))
              .end_reason == "busy");
    CHECK(
        play(t, "4", {state("4", "CONNECTING"), state("4", "PEER_BUSY"), state("4", "OVER")}, placed("4")).end_reason ==
        "busy");
    auto failed = play(t, "5", {state("5", "CONNECTING"), state("5", "FAILURE", 5), state("5", "OVER")}, placed("5"));
    CHECK(failed.end_reason == "failed");
    CHECK(failed.code == 5);
    // Never rang, only OVER (e.g. unreachable and then removed).
    CHECK(play(t, "6", {state("6", "CONNECTING"), state("6", "OVER")}, placed("6")).end_reason == "failed");
    // We stopped ringing.
    play(t, "7", {state("7", "CONNECTING"), state("7", "RINGING")}, placed("7"));
    t.hangupRequested("7");
    CHECK(play(t, "7", {state("7", "HUNGUP"), state("7", "OVER")}).end_reason == "no_answer");

    // Incoming: CONNECTING, INACTIVE, INCOMING, then the incoming signal.
    auto ringing =
        play(t, "8", {state("8", "CONNECTING"), state("8", "INACTIVE"), state("8", "INCOMING"), incoming("8")});
    CHECK(ringing.state == "incoming");
    CHECK(ringing.direction == "incoming");
    CHECK(ringing.peer == "0123456789abcdef0123456789abcdef01234567");
    CHECK(play(t, "8", {state("8", "HUNGUP", 103), state("8", "OVER")}).end_reason == "missed");
    play(t, "9", {state("9", "CONNECTING"), state("9", "INCOMING"), incoming("9")});
    t.declined("9");
    CHECK(play(t, "9", {state("9", "INACTIVE"), state("9", "OVER")}).end_reason == "declined");
    play(t, "10", {state("10", "INCOMING"), incoming("10"), state("10", "CURRENT"), state("10", "HOLD")});
    CHECK(t.get("10")->state == "on_hold");
    CHECK(play(t, "10", {state("10", "CURRENT"), state("10", "HUNGUP", 103)}).end_reason == "hung_up_by_peer");
    // The first end decides: OVER after HUNGUP changes nothing.
    CHECK(play(t, "10", {state("10", "OVER")}).end_reason == "hung_up_by_peer");
}

TEST_CASE("jamid states map to ours") {  // peer spellings: contact_id_test.cpp
    CHECK(stateOf("RINGING") == "ringing");
    CHECK(stateOf("HOLD") == "on_hold");
    CHECK(stateOf("PEER_BUSY") == "ended");
    CHECK(stateOf("SOMETHING_NEW") == "connecting");
}

TEST_CASE("the call log: survives restarts, skips torn lines, compacts, takes concurrent writers") {
    auto dir = std::filesystem::temp_directory_path() / ("jskill-calllog-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const auto path = dir / "sub" / "calls.jsonl";
    {
        CallTracker t{CallLog(path)};
        t.placed("1", "acc", "peer");
        t.onEvent(state("1", "CURRENT"));
        t.hangupRequested("1");
        t.onEvent(state("1", "HUNGUP"));
    }
    std::ofstream(path, std::ios::app) << "{\"call_id\": \"torn\n"
                                       << "[1,2]\n"
                                       << "{\"call_id\": 7}\n";
    CallLog reopened(path);
    auto last = reopened.last("1");
    REQUIRE(last);
    CHECK(last->end_reason == "hung_up_by_us");
    CHECK(last->answered);
    CHECK(reopened.recent(10).size() == 1);
    CHECK_FALSE(reopened.last("torn"));

    // Two writers, then past 1 MiB: the newest records stay, the file bounded.
    auto writer = [&](const std::string& prefix) {
        CallLog log(path);
        CallRecord r;
        r.account = std::string(400, 'a');  // big records reach 1 MiB sooner
        for (int i = 0; i < 1500; ++i) {
            r.call_id = prefix + std::to_string(i);
            log.append(r);
        }
    };
    std::thread a(writer, "a"), b(writer, "b");
    a.join();
    b.join();
    CHECK(std::filesystem::file_size(path) <= (1u << 20) + 1000);
    // The newest half MiB stays: the last record of the writer that finished
    // last for sure (the other's may be older than that, if it ran first).
    CHECK((reopened.last("a1499") || reopened.last("b1499")));
    CHECK_FALSE(reopened.last("1"));  // compacted away
    auto recent = reopened.recent(5000);
    CHECK(recent.size() >= 900);  // half a MiB of ~560-byte records at least
    CHECK(recent.size() < 3000);
    std::filesystem::remove_all(dir);
}
