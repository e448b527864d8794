// In-process cost of requests through the C ABI on an open skill (no
// process start, templates already compiled): what a long-running host such
// as Clawdbot pays per request. Run by bench/jamid_bench.sh:
//   skill_bench BUS SIP_ACCOUNT SIP_TARGET [N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ask.hpp"
#include "jami_skill.h"

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// Median of `runs` timings of f(); then() runs after each, untimed.
template <class F>
double medianMs(
    int runs, F&& f, const std::function<void()>& then = [] {}) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        auto start = Clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        then();
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

// Every timed answer must be ok: a median of errors (jamid gone, as 13.7
// can go at a call's end) would be a figure that means nothing.
json must(jami_skill* skill, const json& request) {
    json answer = ask(skill, request);
    if (answer.value("ok", false)) return answer;
    std::fprintf(stderr, "skill_bench: %s answered %s\n", request.dump().c_str(), answer.dump().c_str());
    std::fflush(nullptr);  // the figures printed so far, then this
    std::_Exit(1);         // the skill's threads still run: no static destructors under them
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: skill_bench BUS SIP_ACCOUNT SIP_TARGET [N]\n");
        return 2;
    }
    const std::string bus = argv[1], account = argv[2], target = argv[3];
    const int runs = argc > 4 ? std::stoi(argv[4]) : 30;
    char* error = nullptr;
    auto open_start = Clock::now();
    // The contact book comes from $JAMI_SKILL_TOOLS (jamid_bench.sh: one
    // that allows 30 calls to an address in a row).
    jami_skill* skill = jami_skill_open(json{{"bus", bus}}.dump().c_str(), &error);
    const double open_ms = std::chrono::duration<double, std::milli>(Clock::now() - open_start).count();
    if (!skill) {
        std::fprintf(stderr, "open failed: %s\n", error ? error : "?");
        return 1;
    }
    must(skill, {{"action", "account.list"}});  // connects
    std::printf("%-44s %9.2f\n", "in-process: jami_skill_open", open_ms);
    std::printf("%-44s %9.2f\n", "in-process: account.list", medianMs(runs, [&] {
                    must(skill, {{"action", "account.list"}});
                }));
    std::printf("%-44s %9.2f\n", "in-process: call.list", medianMs(runs, [&] {
                    must(skill, {{"action", "call.list"}});
                }));
    std::printf("%-44s %9.2f\n", "in-process: intent.parse \"call mom\"", medianMs(runs, [&] {
                    must(skill, {{"action", "intent.parse"}, {"text", "call mom"}});
                }));
    std::vector<std::string> placed;
    std::printf("%-44s %9.2f\n", "in-process: call.start (SIP, placed)",
                medianMs(
                    runs,
                    [&] {
                        auto r = must(skill, {{"action", "call.start"}, {"account", account}, {"contact", target}});
                        placed.push_back(r["call"]["call_id"]);
                    },
                    [&] {
                        for (const auto& id : placed) ask(skill, {{"action", "call.hangup"}, {"call_id", id}});
                        placed.clear();
                    }));
    jami_skill_close(skill);
    return 0;
}
