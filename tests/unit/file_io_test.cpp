// base/file_io and the JSONL files on top of it: the cases a hostile or
// unlucky file system brings (another writer mid-edit, a torn last line, a
// line far too long, a symlink).
#include <doctest/doctest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "base/file_io.hpp"
#include "base/jsonl_file.hpp"
#include "contacts/name_keys.hpp"
#include "support/files.hpp"

namespace fs = std::filesystem;
using jskill::JsonlFile;
using nlohmann::json;

namespace {
fs::path tempPath(const std::string& name) {
    auto dir = fs::temp_directory_path() / ("jskill-io-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}
using test::readFile;
}  // namespace

TEST_CASE("an edit that races a writer without the lock is redone on the writer's text, never lost") {
    const auto path = tempPath("race.md");
    std::ofstream(path, std::ios::binary) << "one\n";
    int calls = 0;
    jskill::files::editFileAtomically(path, [&](const std::string& text) {
        if (++calls == 1) std::ofstream(path, std::ios::binary | std::ios::app) << "two (an editor saved)\n";
        return text + "three (our edit)\n";
    });
    CHECK(calls == 2);
    CHECK(readFile(path) == "one\ntwo (an editor saved)\nthree (our edit)\n");
    // A file that never holds still: refused, and nothing of ours written.
    CHECK_THROWS_AS(jskill::files::editFileAtomically(path,
                                                      [&](const std::string& text) {
                                                          std::ofstream(path, std::ios::binary | std::ios::app)
                                                              << "again\n";
                                                          return text + "ours\n";
                                                      }),
                    std::runtime_error);
    CHECK(readFile(path).find("ours") == std::string::npos);
}

TEST_CASE("only regular files of bounded size are read") {
    std::string why;
    CHECK_FALSE(jskill::files::readWholeFile("/dev/zero", &why));
    CHECK(why.find("not a regular file") != std::string::npos);
    const auto big = tempPath("big.txt");
    std::ofstream(big, std::ios::binary) << std::string(2000, 'x');
    CHECK_FALSE(jskill::files::readWholeFile(big, &why, 1000));
    CHECK(jskill::files::readWholeFile(big, &why, 4000)->size() == 2000);
    std::ofstream(big, std::ios::binary | std::ios::trunc) << "cut line\nwhole one\nlast\n";
    CHECK(*jskill::files::readTail(big, 16) == "whole one\nlast\n");  // a whole line that fits stays
    CHECK(*jskill::files::readTail(big, 12) == "last\n");             // a cut one goes
}

TEST_CASE("JSONL: a torn last line does not swallow the next record; a huge line does not empty compaction") {
    const auto path = tempPath("log.jsonl");
    fs::remove(path);
    std::ofstream(path, std::ios::binary) << R"({"n":1})"
                                          << "\n"
                                          << R"({"n":2,"torn)";
    JsonlFile file(path, 4096);
    file.append({{"n", 3}});
    auto records = file.records();
    REQUIRE(records.size() == 2);
    CHECK(records[1]["n"] == 3);
    // A line far beyond any record, then more records: compaction keeps the records.
    std::ofstream(path, std::ios::binary | std::ios::app) << std::string(100000, 'z') << "\n";
    for (int i = 4; i < 200; ++i) file.append({{"n", i}});
    CHECK(fs::file_size(path) <= 4096);
    records = file.records();
    REQUIRE(!records.empty());
    CHECK(records.back()["n"] == 199);
}

TEST_CASE("the pinyin cache is bounded") {
    jskill::contacts::PinyinKeys keys;
    const char* han[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴",
                         "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
    std::size_t asked = 0;
    for (const char* a : han)
        for (const char* b : han)
            for (const char* c : han)
                for (const char* d : {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}) {
                    keys.of(std::string(a) + b + c + d);
                    ++asked;
                }
    CHECK(asked > jskill::contacts::PinyinKeys::kMaxCached);
    CHECK(keys.size() <= jskill::contacts::PinyinKeys::kMaxCached);
}
