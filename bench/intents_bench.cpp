// Recognition time per utterance against contact books of 10 to 10,000
// names (English and Chinese). Plain harness: prints median, p99 and max
// microseconds per case. Run: build/bench/intents_bench
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "intents/src/engine.hpp"

using namespace jskill::intents;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::vector<std::string>> makeContacts(std::size_t n) {
    static const char* first[] = {"bob", "alice", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
                                  "mallory", "oscar", "peggy", "rupert", "sybil", "trent", "victor", "walter"};
    static const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
    static const char* given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳"};
    std::vector<std::vector<std::string>> contacts;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 3 == 2) {
            contacts.push_back({std::string(surnames[i % 10]) + given[(i / 10) % 12] + given[(i / 120) % 12] +
                                std::to_string(i)});
        } else {
            contacts.push_back({std::string(first[i % 18]) + " " + "smith" + std::to_string(i)});
        }
    }
    contacts.push_back({"Bob Smith"});
    contacts.push_back({"妈妈", "Mom"});
    return contacts;
}

struct Stats {
    double median, p99, max;
    double slowest;  // the slowest sentence's own median: the algorithmic worst case, without scheduler jitter
};

Stats measure(const Engine& engine, const ContactIndex& index, const std::vector<std::string>& sentences, int rounds) {
    std::vector<double> micros;
    std::vector<std::vector<double>> per_sentence(sentences.size());
    micros.reserve(sentences.size() * static_cast<std::size_t>(rounds));
    std::size_t recognized = 0;
    for (int r = 0; r < rounds; ++r) {
        for (std::size_t i = 0; i < sentences.size(); ++i) {
            auto start = Clock::now();
            auto result = engine.recognize(sentences[i], &index);
            auto stop = Clock::now();
            recognized += result.has_value();
            double us = std::chrono::duration<double, std::micro>(stop - start).count();
            micros.push_back(us);
            per_sentence[i].push_back(us);
        }
    }
    double slowest = 0;
    for (auto& v : per_sentence) {
        std::sort(v.begin(), v.end());
        slowest = std::max(slowest, v[v.size() / 2]);
    }
    if (recognized != sentences.size() * static_cast<std::size_t>(rounds)) std::fprintf(stderr, "warning: not all recognized\n");
    std::sort(micros.begin(), micros.end());
    return {micros[micros.size() / 2], micros[micros.size() * 99 / 100], micros.back(), slowest};
}

}  // namespace

int main() {
    auto t0 = Clock::now();
    Engine engine(builtinTemplates());
    std::printf("templates: %zu compiled in %.1f ms\n\n", engine.templateCount(),
                std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    const std::vector<std::string> short_commands{"hang up", "call mom", "给妈妈打电话", "挂了吧", "answer the call",
                                                  "set the volume to fifty", "音量调到50", "list my contacts"};
    const std::vector<std::string> contact_message{
        "send bob smith running late, see you at the station in ten minutes",
        "tell Bob Smith I'm on my way", "给妈妈发消息说我晚点到，别等我吃饭", "告诉妈妈明天见",
        "text mom saying the meeting moved to three"};
    std::printf("%8s  %-16s %9s %9s %9s %9s   (microseconds per utterance)\n", "contacts", "case", "median", "p99",
                "max", "slowest");
    for (std::size_t n : {10, 100, 1000, 10000}) {
        auto b0 = Clock::now();
        ContactIndex index(makeContacts(n));
        double build_ms = std::chrono::duration<double, std::milli>(Clock::now() - b0).count();
        for (auto [name, sentences] : {std::pair{"short command", &short_commands}, std::pair{"contact+message", &contact_message}}) {
            measure(engine, index, *sentences, 50);  // warm up
            Stats s = measure(engine, index, *sentences, 2000);
            std::printf("%8zu  %-16s %9.1f %9.1f %9.1f %9.1f\n", n, name, s.median, s.p99, s.max, s.slowest);
        }
        std::printf("%8zu  index built in %.1f ms\n", n, build_ms);
    }
    return 0;
}
