// Files the skill reads and edits: the contact book, the policy file, the
// JSONL logs. One place for the rules every one of them needs: only regular
// files, of bounded size, opened without blocking (a FIFO or /dev/zero must
// not hang or exhaust the host); edits under one lock, through a temporary
// file and rename(), to the target of a symlink, and never over a change
// another writer made meanwhile.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jskill::files {

// A contact book of 10,000 contacts is ~600 kB.
inline constexpr std::size_t kMaxTextFile = 8u << 20;

// The bytes of a regular file of at most `max_bytes`; nullopt when it is
// missing, not a regular file, larger, or unreadable (then `why`, if given,
// says which).
std::optional<std::string> readWholeFile(const std::filesystem::path& path, std::string* why = nullptr,
                                         std::size_t max_bytes = kMaxTextFile);
// The last `max_bytes` of a regular file, starting at a line start: a log
// of any size costs at most that. nullopt as readWholeFile.
std::optional<std::string> readTail(const std::filesystem::path& path, std::size_t max_bytes);

// Splits text into lines without their line endings ("\n" or "\r\n").
std::vector<std::string_view> splitLines(std::string_view text);

// Runs `body` holding an exclusive lock on "<path>.lock" (created if
// missing): the lock every writer of `path` takes. Throws std::runtime_error.
void withFileLock(const std::filesystem::path& path, const std::function<void()>& body);

// Replaces `path` with `bytes` through a temporary file and rename(),
// keeping the old file's permissions; the caller holds withFileLock.
// Throws std::runtime_error.
void replaceWith(const std::filesystem::path& path, const std::string& bytes);

// Replaces the file (the target, when `path` is a symlink) through a
// temporary file and rename(), keeping its permissions, under the lock of
// withFileLock held across read-modify-write by `edit`. A writer that does
// not take the lock (an editor) and changes the file meanwhile is detected
// before the rename: the edit is redone on the new text, at most three
// times. Throws std::runtime_error on I/O failure or a file that keeps
// changing; `edit`'s exceptions pass through. Nothing is written then.
void editFileAtomically(const std::filesystem::path& path, const std::function<std::string(const std::string&)>& edit);

}  // namespace jskill::files
