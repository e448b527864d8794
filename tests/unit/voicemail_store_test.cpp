// The voicemail store: bounded in count and bytes with the oldest removed
// first, ids in time order, and no id that reaches outside its folder.
#include <doctest/doctest.h>

#include <fstream>

#include "skill/voice/voicemail_store.hpp"
#include "support/temp_dir.hpp"

using jskill::VoicemailStore;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A recording of `bytes` in the state dir, as the answering machine leaves it.
fs::path recording(const test::TempDir& dir, int n, std::size_t bytes) {
    const auto file = dir.path / ("recording-" + std::to_string(n) + ".wav");
    std::ofstream(file, std::ios::binary) << std::string(bytes, 'x');
    return file;
}

}  // namespace

TEST_CASE("the store keeps at most `kept` messages, the newest, and removes the oldest's files") {
    test::TempDir dir("voicemail-store");
    VoicemailStore store(dir.path / "voicemail");
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) {
        auto record = store.add(recording(dir, i, 100), {{"n", i}}, 5);
        CHECK(record["n"] == i);
        CHECK(fs::exists(record["file"].get<std::string>()));
        CHECK_FALSE(fs::exists(dir.path / ("recording-" + std::to_string(i) + ".wav")));  // moved in
        ids.push_back(record["id"]);
        CHECK(store.list().size() == std::min(i + 1, 5));
    }
    auto kept = store.list();
    REQUIRE(kept.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) CHECK(kept[i]["n"] == 11 - static_cast<int>(i));  // newest first
    CHECK_FALSE(store.find(ids[0]));
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(store.dir())) files += entry.path().extension() == ".wav";
    CHECK(files == 5);  // no orphan recording
}

TEST_CASE("the store keeps within its bytes, but never removes the message just taken") {
    test::TempDir dir("voicemail-bytes");
    VoicemailStore store(dir.path / "voicemail");
    for (int i = 0; i < 4; ++i) store.add(recording(dir, i, 1000), {{"n", i}}, 50, 2500);
    CHECK(store.list().size() == 2);
    store.add(recording(dir, 9, 5000), {{"n", 9}}, 50, 2500);  // larger than the bound alone
    REQUIRE(store.list().size() == 1);
    CHECK(store.list()[0]["n"] == 9);
}

TEST_CASE("ids: made here, in time order as numbers; anything else finds nothing and removes nothing") {
    test::TempDir dir("voicemail-ids");
    VoicemailStore store(dir.path / "voicemail");
    auto record = store.add(recording(dir, 1, 10), json::object(), 5);
    CHECK(VoicemailStore::isId(record["id"]));
    std::ofstream(dir.path / "secret.json") << "{}";
    for (const char* bad : {"", "../secret", "1-2/../../secret", "12", "-1", "1-", "a-1", "1-2.json", "1-2-3"}) {
        CHECK_FALSE(VoicemailStore::isId(bad));
        CHECK_FALSE(store.find(bad));
        CHECK_FALSE(store.remove(bad));
    }
    CHECK(fs::exists(dir.path / "secret.json"));
    store.update(record["id"], {{"transcript", "hello"}});
    CHECK(store.find(record["id"])->value("transcript", "") == "hello");
    CHECK(store.remove(record["id"]));
    CHECK(store.list().empty());
}
