// TOOLS.md at 10,000 contacts: load time (read + parse + index) and
// resolution time per step. Plain harness: median, p99 and max microseconds.
// Run: build/bench/contacts_bench
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "jami_skill.h"

#include "contacts/contact_book.hpp"
#include "contacts/tools_md.hpp"
#include "intents/engine.hpp"

using namespace jskill;
using Clock = std::chrono::steady_clock;

namespace {

std::string hexId(std::size_t n) {
    std::string id(40, '0');
    for (std::size_t i = 0; i < 40 && n; ++i, n /= 16) id[39 - i] = "0123456789abcdef"[n % 16];
    return id;
}

// Pseudo names from syllables: 10,000 distinct full names over 120 given
// names and 90 family names (some accented, every fifth with an alias), one
// third Chinese. Contact i's name is name(i).
std::string latinName(std::size_t i) {
    static const char* syllables[] = {"ka", "lo", "mi", "ra", "to", "ne", "su", "vé", "de", "an", "jo", "el"};
    auto word = [](std::size_t k, std::size_t parts) {
        std::string w;
        for (std::size_t p = 0; p < parts; ++p, k /= 12) w += syllables[k % 12];
        w[0] = static_cast<char>(w[0] - 'a' + 'A');
        return w;
    };
    return word(i % 120 + 13, 2) + " " + word(i / 120 % 90 * 7 + 200, 3) + (i >= 10800 ? "x" : "");
}
std::string chineseName(std::size_t i) {
    static const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
    static const char* given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳"};
    return std::string(surnames[i % 10]) + given[(i / 10) % 12] + given[(i / 120) % 12] + std::to_string(i);
}
std::string name(std::size_t i) { return i % 3 == 2 ? chineseName(i) : latinName(i); }

std::string makeToolsMd(std::size_t n) {
    std::string text =
        "# TOOLS.md\n\nMy notes.\n\n## Jami Configuration\n- Account ID: 0123456789abcdef\n- Contacts:\n";
    for (std::size_t i = 0; i < n; ++i)
        text += "  - " + name(i) + (i % 5 == 0 ? " (buddy" + std::to_string(i) + ")" : "") + ": " + hexId(i) + "\n";
    return text + "\n## SSH\n- home: 192.168.1.100\n";
}

struct Stats {
    double median, p99, max;
};
template <class F>
Stats measure(int rounds, F&& f) {
    std::vector<double> us;
    for (int r = 0; r < rounds; ++r) {
        auto t = Clock::now();
        f();
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t).count());
    }
    std::sort(us.begin(), us.end());
    return {us[us.size() / 2], us[us.size() * 99 / 100], us.back()};
}

}  // namespace

int main() {
    const std::size_t n = 10000;
    auto path = std::filesystem::temp_directory_path() / ("jskill-bench-" + std::to_string(::getpid()) + ".md");
    std::ofstream(path) << makeToolsMd(n);
    std::printf("TOOLS.md with %zu contacts, e.g. \"%s\", \"%s\"; ", n, name(0).c_str(), name(2).c_str());
    std::printf("%zu contacts, %ju bytes\n\n", n, static_cast<std::uintmax_t>(std::filesystem::file_size(path)));

    contacts::ContactBook book;
    Stats load = measure(30, [&] {
        auto text = files::readWholeFile(path);
        auto parsed = contacts::parseJamiConfig(*text);
        book = contacts::ContactBook(std::move(parsed.contacts));
    });
    Stats load_all = measure(10, [&] {  // what the skill does on (re)load: also the sentence prefilter
        auto parsed = contacts::parseJamiConfig(*files::readWholeFile(path));
        contacts::ContactBook b(std::move(parsed.contacts));
        intents::ContactIndex index(b.spellings());
    });
    std::printf("%-44s %9s %9s %9s  (milliseconds)\n", "load", "median", "p99", "max");
    std::printf("%-44s %9.2f %9.2f %9.2f\n", "read + parse + contact index", load.median / 1000, load.p99 / 1000,
                load.max / 1000);
    std::printf("%-44s %9.2f %9.2f %9.2f\n", "  + sentence prefilter (skill reload)", load_all.median / 1000,
                load_all.p99 / 1000, load_all.max / 1000);
    // What a host pays to open the plugin on this book (it is read and
    // checked, not parsed: a structured request that needs no contact never
    // parses it), and then contact.list, which parses it and lists it all.
    const std::string options = "{\"tools_md\":\"" + path.string() + "\",\"dry_run\":true}";
    Stats open = measure(30, [&] { jami_skill_close(jami_skill_open(options.c_str(), nullptr)); });
    Stats open_list = measure(10, [&] {
        jami_skill* skill = jami_skill_open(options.c_str(), nullptr);
        jami_skill_free_string(jami_skill_handle(skill, R"({"action":"contact.list"})"));
        jami_skill_close(skill);
    });
    std::printf("%-44s %9.2f %9.2f %9.2f\n", "jami_skill_open (the plugin, this book)", open.median / 1000,
                open.p99 / 1000, open.max / 1000);
    std::printf("%-44s %9.2f %9.2f %9.2f\n", "  + contact.list (parses it, lists 10,000)", open_list.median / 1000,
                open_list.p99 / 1000, open_list.max / 1000);

    // The first typo builds the fuzzy (bigram) index; the first query that
    // could be pinyin builds the pinyin keys of the ~3,300 Chinese names and
    // creates ICU's transliterator (once per process). Both are cached.
    auto once = [&](const char* label, const char* query) {
        auto t = Clock::now();
        auto r = book.resolve(query);
        std::printf("%-44s %9.2f  (once; result: %s)\n", label,
                    std::chrono::duration<double, std::milli>(Clock::now() - t).count(),
                    r.kind != contacts::Resolution::Kind::Unknown ? r.match.c_str()
                    : r.match.empty()                             ? "unknown"
                                                                  : ("suggests: " + r.match).c_str());
    };
    once("first typo (builds fuzzy + pinyin indexes)", "Lolo Detolx");
    once("then a first pinyin query", "zhang wei wei 2");
    std::printf("\n");

    auto typo = name(4000);  // drop one letter of the family name
    typo.erase(typo.size() - 2, 1);
    auto accentless = name(4086);  // "Vé..."
    for (auto at = accentless.find("\xC3\xA9"); at != std::string::npos; at = accentless.find("\xC3\xA9"))
        accentless.replace(at, 2, "e");
    const std::vector<std::pair<const char*, std::string>> cases{
        {"id", hexId(7777)},
        {"name", name(6000)},
        {"alias", "buddy5000"},
        {"normalized (no accents)", accentless},
        {"pinyin", "zhang yang yang 9812"},
        {"word (family name)", name(4002).substr(name(4002).find(' ') + 1)},
        {"similar (typo)", typo},
        {"unknown", "Zebediah Quux"}};
    std::printf("%-44s %9s %9s %9s  (microseconds per resolve)\n", "resolve at 10,000 contacts", "median", "p99",
                "max");
    for (const auto& [label, query] : cases) {
        auto r = book.resolve(query);
        // Only the first five steps find; a word or a typo only suggests.
        const std::string got = r.kind == contacts::Resolution::Kind::Found       ? r.match
                                : r.kind == contacts::Resolution::Kind::Ambiguous ? "ambiguous"
                                : r.match.empty()                                 ? "unknown"
                                                                                  : "suggests " + r.match;
        Stats s = measure(3000, [&] { (void)book.resolve(query); });
        std::printf("%-26s -> %-18s %9.2f %9.2f %9.2f\n", label, got.c_str(), s.median, s.p99, s.max);
    }
    std::filesystem::remove(path);
    return 0;
}
