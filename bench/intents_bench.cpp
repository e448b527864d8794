// Recognition time per utterance against contact books of 10 to 10,000
// names (English and Chinese). Plain harness: prints median, p99 and max
// microseconds per case. Run: build/bench/intents_bench
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "intents/engine.hpp"

using namespace jskill::intents;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::vector<std::string>> makeContacts(std::size_t n) {
    static const char* first[] = {"bob",  "alice",   "carol", "dave",  "erin",   "frank", "grace", "heidi",  "ivan",
                                  "judy", "mallory", "oscar", "peggy", "rupert", "sybil", "trent", "victor", "walter"};
    static const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
    static const char* given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳"};
    std::vector<std::vector<std::string>> contacts;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 3 == 2) {
            contacts.push_back(
                {std::string(surnames[i % 10]) + given[(i / 10) % 12] + given[(i / 120) % 12] + std::to_string(i)});
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
    if (recognized != sentences.size() * static_cast<std::size_t>(rounds))
        std::fprintf(stderr, "warning: not all recognized\n");
    std::sort(micros.begin(), micros.end());
    return {micros[micros.size() / 2], micros[micros.size() * 99 / 100], micros.back(), slowest};
}

// `intents_bench --each N`: one sentence per line on stdin, each sentence's
// median microseconds (2,000 rounds after a warm-up) with N contacts, as
// "median<TAB>intent<TAB>sentence" lines: bench/hassil_compare.py runs
// hassil on the same sentences beside it.
int eachSentence(std::size_t contacts) {
    const Engine engine = Engine::builtin(Engine::Compile::Now);
    const ContactIndex index(makeContacts(contacts));
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) continue;
        std::vector<double> micros;
        std::optional<Recognition> result;
        for (int r = 0; r < 2050; ++r) {
            auto start = Clock::now();
            result = engine.recognize(line, &index);
            if (r >= 50) micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        }
        std::sort(micros.begin(), micros.end());
        std::printf("%.2f\t%s\t%s\n", micros[micros.size() / 2], result ? result->intent.c_str() : "-", line.c_str());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--each") return eachSentence(std::stoul(argv[2]));
    // Cold start as a one-shot process sees it: the engine from the
    // build-time data, then the first English and the first Chinese
    // sentence (each compiles its language).
    auto t0 = Clock::now();
    Engine cold = Engine::builtin(Engine::Compile::WhenUsed);
    const double open_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    t0 = Clock::now();
    cold.recognize("call mom");
    const double first_en_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    const std::size_t en_compiled = cold.compiledTemplateCount();
    t0 = Clock::now();
    cold.recognize("给妈妈打电话");
    const double first_zh_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    std::printf(
        "cold start: engine %.2f ms, first English sentence %.2f ms (compiles %zu of %zu templates), "
        "first Chinese sentence %.2f ms (%zu more)\n",
        open_ms, first_en_ms, en_compiled, cold.templateCount(), first_zh_ms,
        cold.compiledTemplateCount() - en_compiled);
    t0 = Clock::now();
    Engine engine = Engine::builtin(Engine::Compile::Now);
    std::printf("templates: %zu compiled in %.1f ms\n\n", engine.templateCount(),
                std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    const std::vector<std::string> short_commands{"hang up",    "call mom",        "给妈妈打电话",
                                                  "挂了吧",     "answer the call", "set the volume to fifty",
                                                  "音量调到50", "list my contacts"};
    const std::vector<std::string> contact_message{"send bob smith running late, see you at the station in ten minutes",
                                                   "tell Bob Smith I'm on my way", "给妈妈发消息说我晚点到，别等我吃饭",
                                                   "告诉妈妈明天见", "text mom saying the meeting moved to three"};
    // What people really type: chat around the command, Traditional
    // characters, numbers in words, a second sentence, keyword typos (the
    // typo pass runs only after nothing matched).
    const std::vector<std::string> chat{"hey clawd, could you call mom for me thanks",
                                        "请问能帮我给妈妈打个电话吗，谢谢",
                                        "給媽媽打電話",
                                        "press one two three pound",
                                        "Running late. Tell mom I'll be there at 8",
                                        "cal mom",
                                        "给妈妈打点话"};
    std::printf("%8s  %-16s %9s %9s %9s %9s   (microseconds per utterance)\n", "contacts", "case", "median", "p99",
                "max", "slowest");
    for (std::size_t n : {10, 100, 1000, 10000}) {
        auto b0 = Clock::now();
        ContactIndex index(makeContacts(n));
        double build_ms = std::chrono::duration<double, std::milli>(Clock::now() - b0).count();
        for (auto [name, sentences] :
             {std::pair{"short command", &short_commands}, std::pair{"contact+message", &contact_message},
              std::pair{"chat and typos", &chat}}) {
            measure(engine, index, *sentences, 50);  // warm up
            Stats s = measure(engine, index, *sentences, 2000);
            std::printf("%8zu  %-16s %9.1f %9.1f %9.1f %9.1f\n", n, name, s.median, s.p99, s.max, s.slowest);
        }
        std::printf("%8zu  index built in %.1f ms\n", n, build_ms);
    }
    return 0;
}
