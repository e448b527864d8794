// The answering machine's messages (docs/voice.md): in <state_dir>/voicemail,
// each message a WAV file and its record beside it (<id>.wav, <id>.json).
// Bounded: past `kept` messages or kMaxBytes, the oldest go first. Ids are
// made here ("<epoch ms>-<pid>") and checked on every use, so no request can
// name a file outside the folder. Every change holds the folder's lock, so
// the Gateway adding a message and `jamictl voicemail remove` do not cross.
// Each call reads the folder (~0.1 ms for 50 messages).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace jskill {

class VoicemailStore {
public:
    static constexpr std::uintmax_t kMaxBytes = 256u << 20;  // ~70 min of 16 kHz speech

    explicit VoicemailStore(std::filesystem::path dir) : dir_(std::move(dir)) {}
    const std::filesystem::path& dir() const { return dir_; }

    // Moves the recording `wav` (a file on the same file system) in as a
    // new message, with `record` (+ "id", "file"), then removes the oldest
    // until at most `kept` messages and `max_bytes` remain (the new one
    // stays). Returns the record. Throws Error{io_error}.
    nlohmann::json add(const std::filesystem::path& wav, nlohmann::json record, std::size_t kept,
                       std::uintmax_t max_bytes = kMaxBytes);
    // Every message's record, newest first.
    std::vector<nlohmann::json> list() const;
    // One message's record; nullopt when there is none (or the id is not one of ours).
    std::optional<nlohmann::json> find(const std::string& id) const;
    // Adds to a message's record (a transcript that came later).
    void update(const std::string& id, const nlohmann::json& more);
    // Removes a message; false when there is none.
    bool remove(const std::string& id);
    // What an id made here looks like: digits, '-', digits.
    static bool isId(const std::string& id);

private:
    std::filesystem::path dir_;
};

}  // namespace jskill
