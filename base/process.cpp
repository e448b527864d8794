#include "base/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace jskill::process {
namespace {

std::vector<std::string> environmentWith(const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> out;
    for (char** e = environ; e && *e; ++e) {
        const std::string entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string::npos && overrides.count(entry.substr(0, eq))) continue;
        out.push_back(entry);
    }
    for (const auto& [key, value] : overrides) out.push_back(key + "=" + value);
    return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// Spawns argv with the three descriptors as its stdin, stdout and stderr.
pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env, int in, int out,
            int err, std::string& error) {
    if (argv.empty()) {
        error = "no program";
        return -1;
    }
    std::vector<std::string> args = argv, environment = environmentWith(env);
    auto arg_pointers = pointers(args), env_pointers = pointers(environment);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in, 0);
    posix_spawn_file_actions_adddup2(&actions, out, 1);
    posix_spawn_file_actions_adddup2(&actions, err, 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // The child starts with default signal handling and no blocked signal,
    // whatever the host set up (node blocks some in its threads).
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attributes, arg_pointers.data(), env_pointers.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) {
        error = argv[0] + ": " + std::strerror(rc);
        return -1;
    }
    return pid;
}

int exitCodeOf(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

}  // namespace

Result run(const std::vector<std::string>& argv, const Options& options) {
    Result result;
    // stdin is a socket, so that writing to a child that already exited
    // fails with EPIPE (MSG_NOSIGNAL) instead of raising SIGPIPE in the host.
    int in[2], out[2], err[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) {
        result.error = std::string("socketpair: ") + std::strerror(errno);
        return result;
    }
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
        result.error = std::string("pipe: ") + std::strerror(errno);
        ::close(in[0]), ::close(in[1]);
        return result;
    }
    const pid_t pid = spawn(argv, options.env, in[0], out[1], err[1], result.error);
    ::close(in[0]), ::close(out[1]), ::close(err[1]);
    if (pid < 0) {
        ::close(in[1]), ::close(out[0]), ::close(err[0]);
        return result;
    }
    result.started = true;
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    std::size_t written = 0;
    int to_child = in[1];
    if (options.input.empty()) ::close(to_child), to_child = -1;
    int from_child[2] = {out[0], err[0]};
    std::string* into[2] = {&result.out, &result.err};
    while (to_child >= 0 || from_child[0] >= 0 || from_child[1] >= 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            break;
        }
        pollfd fds[3] = {{to_child, POLLOUT, 0}, {from_child[0], POLLIN, 0}, {from_child[1], POLLIN, 0}};
        if (::poll(fds, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
        if (to_child >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
            const ssize_t n =
                ::send(to_child, options.input.data() + written, options.input.size() - written, MSG_NOSIGNAL);
            if (n > 0) written += static_cast<std::size_t>(n);
            if (n < 0 || written == options.input.size()) ::close(to_child), to_child = -1;
        }
        for (int i = 0; i < 2; ++i) {
            if (from_child[i] < 0 || !(fds[i + 1].revents & (POLLIN | POLLERR | POLLHUP))) continue;
            char buffer[4096];
            const ssize_t n = ::read(from_child[i], buffer, sizeof buffer);
            if (n > 0 && into[i]->size() < (1u << 20))
                into[i]->append(buffer, static_cast<std::size_t>(n));
            else if (n <= 0 && !(n < 0 && errno == EINTR))
                ::close(from_child[i]), from_child[i] = -1;
        }
    }
    for (int fd : {to_child, from_child[0], from_child[1]})
        if (fd >= 0) ::close(fd);
    // Its output is closed; it ends by the deadline too, or is killed then.
    int status = 0;
    while (!result.timed_out) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            result.exit_code = exitCodeOf(status);
            return result;
        }
        if (done < 0 && errno != EINTR) return result;
        if (std::chrono::steady_clock::now() >= deadline) result.timed_out = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return result;
}

Child::Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) {
        error_ = std::string("/dev/null: ") + std::strerror(errno);
        return;
    }
    pid_ = spawn(argv, env, null, null, null, error_);
    ::close(null);
}

Child::~Child() { kill(); }

std::optional<int> Child::wait(std::chrono::milliseconds limit) {
    if (pid_ <= 0 || exit_code_) return exit_code_;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            exit_code_ = exitCodeOf(status);
            return exit_code_;
        }
        if (done < 0 && errno != EINTR) {
            exit_code_ = -1;
            return exit_code_;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void Child::interrupt() {
    if (pid_ <= 0 || exit_code_) return;
    ::kill(pid_, SIGINT);
    if (!wait(std::chrono::seconds(1))) kill();
}

void Child::kill() {
    if (pid_ <= 0 || exit_code_) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {}
    exit_code_ = -1;
}

}  // namespace jskill::process
