// `jamictl daemon start|stop|status`: jamid as a service on a machine with
// or without a login session. jamid needs a D-Bus session bus; which one is
// decided in this order, and the result says which:
//   1. systemd: the user unit jami-skill-jamid.service (packaging/), on the
//      user's bus from dbus-user-session, kept running without a login by
//      lingering (loginctl enable-linger);
//   2. a bus named by --bus or DBUS_SESSION_BUS_ADDRESS: started there by
//      D-Bus activation (a desktop session);
//   3. neither (a container, a bare server): a private bus of our own,
//      dbus-daemon and jamid started detached, the bus's address written to
//      the skill's bus file (<state dir>/jamid.bus), where the library looks
//      when no bus is named (skill/state.hpp): jamictl and the OpenClaw
//      plugin find it with no setting.
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/daemon_service.hpp"
#include "cli/host.hpp"
#include "cli/output.hpp"
#include "cli/print.hpp"

namespace jamictl {

using nlohmann::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* kUnit = "jami-skill-jamid.service";

json failure(const std::string& code, const std::string& message, const std::string& hint, json extra = {}) {
    json out{{"ok", false}, {"error", {{"code", code}, {"message", message}, {"hint", hint}}}};
    if (extra.is_object()) out.update(extra);
    return out;
}

struct Ran {
    bool started = false;
    int status = -1;
    std::string output;  // stdout and stderr
};

// In a child: stdin from /dev/null, stdout and stderr to `out`, then the
// program (never through a shell); exit status 127 when it cannot start.
[[noreturn]] void becomeProgram(const std::vector<std::string>& argv, int out) {
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
}

// Runs a program and waits for it.
Ran run(const std::vector<std::string>& argv) {
    Ran ran;
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return ran;
    const pid_t child = ::fork();
    if (child < 0) return ran;
    if (child == 0) becomeProgram(argv, pipe_fds[1]);
    ::close(pipe_fds[1]);
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) ran.output.append(buffer, n);
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    ran.started = !(WIFEXITED(status) && WEXITSTATUS(status) == 127);
    ran.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return ran;
}

// Starts a program in its own session, detached from this one (it outlives
// jamictl), its output appended to `log`. Returns its pid, or -1.
pid_t spawnDetached(const std::vector<std::string>& argv, const std::vector<std::string>& env, const fs::path& log) {
    int pid_pipe[2];
    if (::pipe2(pid_pipe, O_CLOEXEC) != 0) return -1;
    const pid_t child = ::fork();
    if (child < 0) return -1;
    if (child == 0) {
        ::setsid();
        const pid_t grandchild = ::fork();
        if (grandchild != 0) {
            (void)!::write(pid_pipe[1], &grandchild, sizeof grandchild);
            ::_exit(0);
        }
        for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
        becomeProgram(argv, ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600));
    }
    ::close(pid_pipe[1]);
    pid_t pid = -1;
    if (::read(pid_pipe[0], &pid, sizeof pid) != sizeof pid) pid = -1;
    ::close(pid_pipe[0]);
    ::waitpid(child, nullptr, 0);
    return pid;
}

std::string programOn(const std::vector<std::string>& candidates) {
    for (const auto& c : candidates)
        if (!c.empty() && ::access(c.c_str(), X_OK) == 0) return c;
    return {};
}

// Debian's jami-daemon installs /usr/libexec/jamid; JAMI_SKILL_JAMID names another.
std::string jamidProgram() {
    const char* own = std::getenv("JAMI_SKILL_JAMID");
    return programOn({own ? own : "", "/usr/libexec/jamid", "/usr/lib/jamid", "/usr/bin/jamid"});
}

// systemd runs this machine and the user's manager knows our unit.
bool systemdUnitInstalled() {
    if (!fs::exists("/run/systemd/system")) return false;
    const Ran ran = run({"systemctl", "--user", "cat", kUnit});
    return ran.started && ran.status == 0;
}

// The private bus's own files, beside the bus file.
struct PrivateBus {
    fs::path bus_file;
    fs::path dir() const { return bus_file.parent_path() / "jamid"; }
    fs::path socket() const { return dir() / "bus.sock"; }
    fs::path pidFile(const char* name) const { return dir() / (std::string(name) + ".pid"); }
    fs::path log(const char* name) const { return dir() / (std::string(name) + ".log"); }
};

pid_t readPid(const fs::path& file) {
    std::ifstream in(file);
    long pid = 0;
    return in >> pid && pid > 1 ? static_cast<pid_t>(pid) : -1;
}

// The process still runs and is the program we started (not a reused pid).
bool runs(pid_t pid, const std::string& program) {
    if (pid <= 1 || ::kill(pid, 0) != 0) return false;
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(comm, name);
    return name == fs::path(program).filename().string().substr(0, 15);
}

void writeAtomically(const fs::path& file, const std::string& text) {
    const fs::path part = file.string() + ".part";
    std::ofstream(part) << text;
    fs::rename(part, file);
}

json askStatus(Host& host) { return host.ask({{"action", "daemon.status"}}); }

// daemon.status until jamid answers on the bus, at most `limit`.
json waitRunning(Host& host, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    json status;
    do {
        status = askStatus(host);
        if (status.value("running", false)) break;
        std::this_thread::sleep_for(500ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return status;
}

json startPrivate(Host& host, const PrivateBus& bus) {
    const std::string jamid = jamidProgram();  // there: startDaemon checked
    const std::string dbus = programOn({"/usr/bin/dbus-daemon", "/bin/dbus-daemon"});
    if (dbus.empty())
        return failure("daemon_unavailable", "dbus-daemon is not installed",
                       "install it (apt install dbus-daemon): jamid talks over a D-Bus bus");
    std::error_code ec;
    fs::create_directories(bus.dir(), ec);
    fs::permissions(bus.dir(), fs::perms::owner_all, ec);  // the bus is the user's alone
    const std::string address = "unix:path=" + bus.socket().string();
    if (!runs(readPid(bus.pidFile("dbus")), dbus)) {
        fs::remove(bus.socket(), ec);
        const pid_t pid =
            spawnDetached({dbus, "--session", "--nofork", "--nopidfile", "--address=" + address}, {}, bus.log("dbus"));
        if (pid < 0)
            return failure("daemon_unavailable", "could not start dbus-daemon", "see " + bus.log("dbus").string());
        writeAtomically(bus.pidFile("dbus"), std::to_string(pid) + "\n");
        for (int i = 0; i < 50 && !fs::exists(bus.socket()); ++i) std::this_thread::sleep_for(100ms);
        if (!fs::exists(bus.socket()))
            return failure("daemon_unavailable", "dbus-daemon did not open " + bus.socket().string(),
                           "see " + bus.log("dbus").string());
    }
    writeAtomically(bus.bus_file, address + "\n");
    if (!runs(readPid(bus.pidFile("jamid")), jamid)) {
        const pid_t pid = spawnDetached({jamid, "-c", "-p"}, {"DBUS_SESSION_BUS_ADDRESS=" + address}, bus.log("jamid"));
        if (pid < 0)
            return failure("daemon_unavailable", "could not start " + jamid, "see " + bus.log("jamid").string());
        writeAtomically(bus.pidFile("jamid"), std::to_string(pid) + "\n");
    }
    json status = waitRunning(host, 30s);
    if (!status.value("running", false))
        return failure("daemon_unavailable", "jamid did not answer on its private bus within 30 s",
                       "see " + bus.log("jamid").string());
    return status;
}

json startWithSystemd(Host& host) {
    const Ran ran = run({"systemctl", "--user", "enable", "--now", kUnit});
    if (ran.status != 0)
        return failure("daemon_unavailable", "systemctl --user enable --now " + std::string(kUnit) + " failed",
                       ran.output + "journalctl --user -u " + kUnit + " tells why");
    json status = waitRunning(host, 30s);
    // Without lingering, the user's manager (and jamid) stop at logout.
    const char* user = std::getenv("USER");
    const Ran linger = run({"loginctl", "show-user", user ? user : "", "--property=Linger"});
    if (linger.output.find("Linger=yes") == std::string::npos) {
        const Ran enable = run({"loginctl", "enable-linger"});
        status["linger"] = enable.status == 0;
        if (enable.status != 0)
            status["hint"] = "jamid stops when you log out: ask an administrator for loginctl enable-linger " +
                             std::string(user ? user : "$USER");
    } else {
        status["linger"] = true;
    }
    return status;
}

}  // namespace

Service serviceOf(const json& status) {
    if (systemdUnitInstalled()) return Service::kSystemd;
    const std::string from = str(status, "bus_from");
    if (from == "option" || from == "environment") return Service::kSessionBus;
    return Service::kPrivateBus;
}

std::string serviceName(Service service) {
    switch (service) {
    case Service::kSystemd: return "systemd user unit " + std::string(kUnit);
    case Service::kSessionBus: return "D-Bus activation on the session bus";
    case Service::kPrivateBus: return "a private bus (no systemd, no session bus)";
    }
    return {};
}

json startDaemon(Host& host) {
    json status = askStatus(host);
    const Service service = serviceOf(status);
    if (status.value("running", false)) {
        status["already"] = true;
        status["service"] = serviceName(service);
        return status;
    }
    if (service == Service::kPrivateBus && jamidProgram().empty())
        return failure("daemon_unavailable", "jamid is not installed",
                       "install Debian's jami-daemon (apt install jami-daemon), or set JAMI_SKILL_JAMID to jamid's "
                       "path");
    if (host.dry_run) return {{"ok", true}, {"dry_run", true}, {"would", "start jamid: " + serviceName(service)}};
    json started;
    switch (service) {
    case Service::kSystemd: started = startWithSystemd(host); break;
    case Service::kSessionBus: started = host.ask({{"action", "daemon.status"}, {"start", true}}); break;
    case Service::kPrivateBus: started = startPrivate(host, PrivateBus{str(status, "bus_file")}); break;
    }
    started["service"] = serviceName(service);
    if (started.value("ok", false)) started["started"] = started.value("running", false);
    return started;
}

int daemonStart(Host& host, Words&) { return host.report("daemon.start", startDaemon(host)); }

int daemonStatus(Host& host, Words&) {
    json status = askStatus(host);
    status["service"] = serviceName(serviceOf(status));
    return host.report("daemon.status", status);
}

int daemonStop(Host& host, Words&) {
    json status = askStatus(host);
    const Service service = serviceOf(status);
    json out{{"ok", true}, {"service", serviceName(service)}};
    if (host.dry_run) {
        out.update({{"dry_run", true}, {"would", "stop jamid"}});
        return host.report("daemon.stop", out);
    }
    switch (service) {
    case Service::kSystemd: {
        const Ran ran = run({"systemctl", "--user", "stop", kUnit});
        if (ran.status != 0)
            return host.report("daemon.stop",
                               failure("daemon_unavailable", "systemctl --user stop failed", ran.output));
        break;
    }
    case Service::kSessionBus:
        return host.report("daemon.stop",
                           failure("not_supported", "jamid on this session bus is not ours to stop",
                                   "it was started by D-Bus activation: it ends with the session (or quit the Jami "
                                   "app that uses it)"));
    case Service::kPrivateBus: {
        const PrivateBus bus{str(status, "bus_file")};
        std::error_code ec;
        fs::remove(bus.bus_file, ec);  // first: nobody connects to a bus that is going away
        for (const char* name : {"jamid", "dbus"}) {
            const pid_t pid = readPid(bus.pidFile(name));
            const std::string program = std::string(name) == "jamid" ? jamidProgram() : "dbus-daemon";
            if (!runs(pid, program)) continue;
            ::kill(pid, SIGTERM);
            for (int i = 0; i < 100 && runs(pid, program); ++i) std::this_thread::sleep_for(100ms);
            if (runs(pid, program)) ::kill(pid, SIGKILL);
            out["stopped"].push_back(name);
        }
        for (const char* name : {"jamid", "dbus"}) fs::remove(bus.pidFile(name), ec);
        fs::remove(bus.socket(), ec);
        break;
    }
    }
    out["running"] = false;
    return host.report("daemon.stop", out);
}

}  // namespace jamictl
