#include "base/file_io.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <stdexcept>

namespace jskill::files {
namespace {

// An open, regular, bounded file, or nullopt with why.
struct Opened {
    int fd = -1;
    off_t size = 0;
    ~Opened() {
        if (fd >= 0) ::close(fd);
    }
};

bool openRegular(const std::filesystem::path& path, std::size_t max_bytes, Opened& out, std::string* why,
                 bool any_size = false) {
    auto fail = [&](std::string reason) {
        if (why) *why = path.string() + " " + reason;
        return false;
    };
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    out.fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (out.fd < 0) return fail(errno == ENOENT ? "does not exist" : "cannot be opened");
    struct stat info {};
    if (::fstat(out.fd, &info) != 0) return fail("cannot be read");
    if (!S_ISREG(info.st_mode)) return fail("is not a regular file");
    if (!any_size && static_cast<std::uintmax_t>(info.st_size) > max_bytes)
        return fail("is larger than " + std::to_string(max_bytes >> 20) + " MiB");
    out.size = info.st_size;
    return true;
}

bool readAll(int fd, std::size_t limit, std::string& text) {
    char buffer[65536];
    while (text.size() < limit) {
        const ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, limit - text.size()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

std::optional<std::string> readWholeFile(const std::filesystem::path& path, std::string* why, std::size_t max_bytes) {
    Opened file;
    if (!openRegular(path, max_bytes, file, why)) return std::nullopt;
    std::string text;
    text.reserve(static_cast<std::size_t>(file.size));
    // One byte more than allowed tells a file that grew since fstat.
    if (!readAll(file.fd, max_bytes + 1, text) || text.size() > max_bytes) {
        if (why) *why = path.string() + " cannot be read whole (at most " + std::to_string(max_bytes >> 20) + " MiB)";
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> readTail(const std::filesystem::path& path, std::size_t max_bytes) {
    Opened file;
    if (!openRegular(path, max_bytes, file, nullptr, true)) return std::nullopt;
    if (file.size <= static_cast<off_t>(max_bytes)) {
        std::string text;
        if (!readAll(file.fd, max_bytes, text)) return std::nullopt;
        return text;
    }
    // One byte before the window too: the window's first line is whole
    // only when that byte ends a line. Everything up to the first line end
    // is dropped.
    const off_t start = file.size - static_cast<off_t>(max_bytes) - 1;
    if (::lseek(file.fd, start, SEEK_SET) < 0) return std::nullopt;
    std::string text;
    if (!readAll(file.fd, max_bytes + 1, text)) return std::nullopt;
    const auto newline = text.find('\n');
    text.erase(0, newline == std::string::npos ? text.size() : newline + 1);
    return text;
}

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (line.ends_with('\r')) line.remove_suffix(1);
        lines.push_back(line);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

void withFileLock(const std::filesystem::path& path, const std::function<void()>& body) {
    const std::string lock_path = path.string() + ".lock";
    int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (lock < 0) throw std::runtime_error("cannot create the lock file " + lock_path);
    struct Unlock {
        int fd;
        ~Unlock() {
            ::flock(fd, LOCK_UN);
            ::close(fd);
        }
    } unlock{lock};
    if (::flock(lock, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + lock_path);
    body();
}

namespace {

// The current bytes, "" for a missing file. Throws for anything else.
std::string currentText(const std::filesystem::path& path, bool& exists) {
    std::error_code ec;
    exists = std::filesystem::exists(path, ec);
    if (!exists) return {};
    std::string why;
    auto text = readWholeFile(path, &why);
    if (!text) throw std::runtime_error(why);
    return std::move(*text);
}

void writeTemp(const std::string& temp, const std::string& bytes, const struct stat* like) {
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw std::runtime_error("cannot write " + temp);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            ::unlink(temp.c_str());
            throw std::runtime_error("cannot write " + temp);
        }
        done += static_cast<std::size_t>(n);
    }
    if (like) ::fchmod(fd, like->st_mode & 07777);
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

void replaceWith(const std::filesystem::path& path, const std::string& bytes) {
    struct stat info {};
    const bool have_info = ::stat(path.c_str(), &info) == 0;
    const std::string temp = path.string() + ".tmp-" + std::to_string(::getpid());
    writeTemp(temp, bytes, have_info ? &info : nullptr);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        ::unlink(temp.c_str());
        throw std::runtime_error("cannot replace " + path.string());
    }
}

void editFileAtomically(const std::filesystem::path& given,
                        const std::function<std::string(const std::string&)>& edit) {
    // Through a symlink to its target: replacing the link itself would
    // leave the file the user edits unchanged.
    std::error_code ec;
    const std::filesystem::path path =
        std::filesystem::is_symlink(given, ec) ? std::filesystem::canonical(given, ec) : given;
    if (ec) throw std::runtime_error("cannot follow the symlink " + given.string());
    withFileLock(path, [&] {
        for (int attempt = 0; attempt < 3; ++attempt) {
            bool exists = false;
            const std::string original = currentText(path, exists);
            struct stat info {};
            const bool have_info = exists && ::stat(path.c_str(), &info) == 0;
            const std::string updated = edit(original);
            const std::string temp = path.string() + ".tmp-" + std::to_string(::getpid());
            writeTemp(temp, updated, have_info ? &info : nullptr);
            // Another writer (one that does not lock) may have saved meanwhile.
            bool still_exists = false;
            std::string now;
            try {
                now = currentText(path, still_exists);
            } catch (...) {
                ::unlink(temp.c_str());
                throw;
            }
            if (now != original || still_exists != exists) {
                ::unlink(temp.c_str());
                continue;  // redo the edit on what is there now
            }
            if (::rename(temp.c_str(), path.c_str()) != 0) {
                ::unlink(temp.c_str());
                throw std::runtime_error("cannot replace " + path.string());
            }
            return;
        }
        throw std::runtime_error(path.string() +
                                 " kept changing while it was being edited (another program is writing it)");
    });
}

}  // namespace jskill::files
