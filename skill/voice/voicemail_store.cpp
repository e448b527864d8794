#include "skill/voice/voicemail_store.hpp"

#include <unistd.h>

#include <algorithm>

#include "base/error.hpp"
#include "base/file_io.hpp"
#include "base/jsonl_file.hpp"

namespace jskill {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Ids sort by time as numbers, never as strings ("999-1" < "1000-1").
std::pair<std::int64_t, std::int64_t> orderOf(const std::string& id) {
    const auto dash = id.find('-');
    return {std::stoll(id.substr(0, dash)), std::stoll(id.substr(dash + 1))};
}

// The ids in the folder, oldest first.
std::vector<std::string> idsIn(const fs::path& dir) {
    std::vector<std::string> ids;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& p = it->path();
        if (p.extension() == ".json" && VoicemailStore::isId(p.stem().string())) ids.push_back(p.stem().string());
    }
    std::sort(ids.begin(), ids.end(), [](const auto& a, const auto& b) { return orderOf(a) < orderOf(b); });
    return ids;
}

std::uintmax_t sizeOf(const fs::path& file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    return ec ? 0 : size;
}

void removeMessage(const fs::path& dir, const std::string& id) {
    std::error_code ignored;
    fs::remove(dir / (id + ".wav"), ignored);
    fs::remove(dir / (id + ".json"), ignored);  // last: a message without its record is not listed
}

}  // namespace

bool VoicemailStore::isId(const std::string& id) {
    const auto dash = id.find('-');
    auto digits = [](std::string_view s) {
        return !s.empty() && s.size() <= 18 &&
               std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    return dash != std::string::npos && digits(std::string_view(id).substr(0, dash)) &&
           digits(std::string_view(id).substr(dash + 1));
}

json VoicemailStore::add(const fs::path& wav, json record, std::size_t kept, std::uintmax_t max_bytes) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    try {
        files::withFileLock(dir_ / "store", [&] {
            // After every message kept: the newest must never be taken for the oldest.
            std::int64_t ms = nowMs();
            if (auto before = idsIn(dir_); !before.empty()) ms = std::max(ms, orderOf(before.back()).first + 1);
            const std::string id = std::to_string(ms) + "-" + std::to_string(::getpid());
            const fs::path file = dir_ / (id + ".wav");
            fs::rename(wav, file);  // throws: then nothing was added
            record["id"] = id;
            record["file"] = file.string();
            files::replaceWith(dir_ / (id + ".json"), record.dump() + "\n");
            // The bounds, oldest first; the new message stays.
            auto ids = idsIn(dir_);
            std::uintmax_t bytes = 0;
            for (const auto& each : ids) bytes += sizeOf(dir_ / (each + ".wav"));
            for (std::size_t i = 0;
                 i + 1 < ids.size() && (ids.size() - i > std::max<std::size_t>(kept, 1) || bytes > max_bytes); ++i) {
                bytes -= std::min(bytes, sizeOf(dir_ / (ids[i] + ".wav")));
                removeMessage(dir_, ids[i]);
            }
        });
    } catch (const std::exception& e) {
        throw Error(code::kVoiceUnavailable, std::string("cannot keep the voicemail: ") + e.what(),
                    "the state dir " + dir_.parent_path().string() + " must be writable");
    }
    return record;
}

std::vector<json> VoicemailStore::list() const {
    std::vector<json> out;
    auto ids = idsIn(dir_);
    for (auto it = ids.rbegin(); it != ids.rend(); ++it)
        if (auto record = find(*it)) out.push_back(std::move(*record));
    return out;
}

std::optional<json> VoicemailStore::find(const std::string& id) const {
    if (!isId(id)) return std::nullopt;
    auto text = files::readWholeFile(dir_ / (id + ".json"), nullptr, 1u << 20);
    if (!text) return std::nullopt;
    auto record = json::parse(*text, nullptr, false);
    if (!record.is_object()) return std::nullopt;
    record["id"] = id;
    record["file"] = (dir_ / (id + ".wav")).string();  // never a path the record says
    return record;
}

void VoicemailStore::update(const std::string& id, const json& more) {
    if (!isId(id)) return;
    try {
        files::withFileLock(dir_ / "store", [&] {
            auto record = find(id);
            if (!record) return;  // removed meanwhile
            record->update(more);
            files::replaceWith(dir_ / (id + ".json"), record->dump() + "\n");
        });
    } catch (const std::exception&) {
        // The message stays as it was; the event still carries what was added.
    }
}

bool VoicemailStore::remove(const std::string& id) {
    if (!isId(id)) return false;
    bool found = false;
    try {
        files::withFileLock(dir_ / "store", [&] {
            found = fs::exists(dir_ / (id + ".json"));
            if (found) removeMessage(dir_, id);
        });
    } catch (const std::exception& e) {
        throw Error(code::kVoiceUnavailable, std::string("cannot remove the voicemail: ") + e.what(),
                    "the state dir " + dir_.parent_path().string() + " must be writable");
    }
    return found;
}

}  // namespace jskill
