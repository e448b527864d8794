// Running a helper program (pactl, paplay, espeak-ng) from the library: by
// name on PATH, with arguments as given (never through a shell), its
// standard input from a string, its output captured (nothing reaches the
// host's stdout or stderr), bounded in time, and ended for good when its
// owner goes away (no zombie, no orphan still playing into a call).
// Thread-safe: posix_spawn and one waitpid per child.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace jskill::process {

struct Options {
    std::map<std::string, std::string> env;  // set on top of this process's environment
    std::string input;                       // written to its stdin, then closed
    std::chrono::milliseconds timeout{10000};
};

struct Result {
    bool started = false;  // false: not found on PATH, or could not be spawned (`error` says which)
    bool timed_out = false;
    int exit_code = -1;  // -1 when killed or never started
    std::string out, err, error;
    bool ok() const { return started && !timed_out && exit_code == 0; }
};

// Runs `argv` to its end (or the timeout, then SIGKILL) and returns what it said.
Result run(const std::vector<std::string>& argv, const Options& options = {});

// A child that runs while its owner waits for something else (paplay
// pacing speech into a call). The destructor kills it if it still runs.
class Child {
public:
    // Starts `argv` with stdin, stdout and stderr on /dev/null; check started().
    Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    bool started() const { return pid_ > 0; }
    const std::string& error() const { return error_; }
    // Waits at most `limit` for it to end; its exit code, or nullopt if it still runs.
    std::optional<int> wait(std::chrono::milliseconds limit);
    // SIGINT (a recorder then writes what it holds), at most 1 s, then kill().
    void interrupt();
    void kill();

private:
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
    std::string error_;
};

}  // namespace jskill::process
