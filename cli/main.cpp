// jamictl: the command-line host of the Jami skill. It builds a JSON request
// from the command line (cli/commands.hpp: one table of commands), hands it
// to the plugin through the C ABI and prints the result for a person
// (cli/print.hpp: one printer per action), or as JSON with --json (for
// agents and scripts).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/host.hpp"
#include "cli/output.hpp"
#include "cli/plugin_loader.hpp"
#include "cli/print.hpp"

using nlohmann::json;
using namespace jamictl;

namespace {

struct Options {
    bool json_output = false;
    bool dry_run = false;
    bool yes = false;
    std::optional<std::string> tools, bus, pulse, transcriber;
    std::optional<long> timeout_ms;
    std::vector<std::string> words;
};

// An argument that is not UTF-8 (Latin-1 text, a raw path) cannot go into a
// JSON request; it is refused clearly instead.
bool isUtf8(const std::string& text) {
    try {
        (void)json(text).dump();
        return true;
    } catch (const json::exception&) {
        return false;
    }
}

// `jamictl call guard CALL_ID`, detached (its own session, no terminal,
// outliving this process), for the call this process just placed.
void startWatchdog(const Options& o, const std::string& call_id) {
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0 || call_id.empty()) return;
    self[n] = '\0';
    std::vector<std::string> args{"jamictl", "--json"};
    if (o.bus) args.insert(args.end(), {"--bus", *o.bus});
    if (o.tools) args.insert(args.end(), {"--tools", *o.tools});
    if (o.timeout_ms) args.insert(args.end(), {"--dbus-timeout", std::to_string(*o.timeout_ms)});
    args.insert(args.end(), {"call", "guard", call_id});
    const pid_t child = ::fork();
    if (child < 0) return;
    if (child == 0) {
        ::setsid();
        if (::fork() != 0) ::_exit(0);
        const int null = ::open("/dev/null", O_RDWR);
        if (null >= 0) {
            ::dup2(null, 0);
            ::dup2(null, 1);
            ::dup2(null, 2);
        }
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(self, argv.data());
        ::_exit(127);
    }
    ::waitpid(child, nullptr, 0);
}

std::string joinedWords(const std::vector<std::string>& words) {
    std::string text;
    for (std::size_t i = 0; i < words.size(); ++i) text += (i ? " " : "") + words[i];
    return text;
}

// Which printer shows a result: the request's action, or for a sentence the
// intent it was read as (intents are named like actions).
std::string actionOf(const json& request, const json& result) {
    if (request.contains("action")) return request["action"].get<std::string>();
    return result.value("intent", "");
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    bool version = false, help = false, man = false;
    for (int i = 1; i < argc; ++i) {
        if (isUtf8(argv[i])) continue;
        const json error{{"ok", false},
                         {"error",
                          {{"code", "invalid_argument"},
                           {"message", "argument " + std::to_string(i) + " is not valid UTF-8"},
                           {"hint", "pass names and text as UTF-8 (check the terminal's locale)"}}}};
        bool as_json = false;
        for (int j = 1; j < argc; ++j) as_json = as_json || std::strcmp(argv[j], "--json") == 0;
        if (as_json)
            to_stdout << dump(error) << "\n";
        else
            to_stderr << "jamictl: " << error["error"]["message"].get<std::string>() << " [invalid_argument]\n";
        return 1;
    }
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](const char* name) {
            if (i + 1 >= argc) usageError(std::string(name) + " needs a value");
            return std::string(argv[++i]);
        };
        if (a == "--") {
            for (++i; i < argc; ++i) o.words.emplace_back(argv[i]);
        } else if (a == "--json")
            o.json_output = true;
        else if (a == "--dry-run")
            o.dry_run = true;
        else if (a == "--yes")
            o.yes = true;
        else if (a == "--tools")
            o.tools = value("--tools");
        else if (a == "--bus")
            o.bus = value("--bus");
        else if (a == "--pulse")
            o.pulse = value("--pulse");
        else if (a == "--transcriber")
            o.transcriber = value("--transcriber");
        else if (a == "--dbus-timeout") {
            try {
                o.timeout_ms = std::stol(value("--dbus-timeout"));
            } catch (...) {
                usageError("--dbus-timeout takes milliseconds");
            }
        } else if (a == "-h" || a == "--help")
            help = true;
        else if (a == "--version")
            version = true;
        else if (a == "--man")  // the package's manual page (packaging/CMakeLists.txt)
            man = true;
        else
            o.words.push_back(a);
    }

    if (man) {
        to_stdout << manPage(JAMICTL_VERSION);
        return 0;
    }
    if (help) {
        to_stdout << (o.json_output ? commandsJson().dump(2) + "\n" : usageText());
        return 0;
    }
    // The command line becomes a request before the plugin is loaded: wrong
    // usage costs nothing.
    const Command* command = version || o.words.empty() ? nullptr : findCommand(o.words);
    json request;
    if (!version && !o.words.empty() && !(command && command->carry_out)) {
        if (command)
            request = command->build(*command, o.words);
        else if (auto subcommands = subcommandsOf(o.words[0]))
            usageError(*subcommands);
        else
            request = {{"text", joinedWords(o.words)}};  // natural language: jamictl "call mom"
        if (o.yes) request["confirmed"] = true;
    }

    jamictl::Plugin plugin;
    std::string load_error;
    if (!plugin.load(load_error)) {
        if (o.json_output) {
            to_stdout << json{{"ok", false},
                              {"error",
                               {{"code", "plugin_unavailable"},
                                {"message", load_error},
                                {"hint", "reinstall jami-skill, or set JAMI_SKILL_PLUGIN to libjami-skill.so.1"}}}}
                             .dump()
                      << "\n";
        } else {
            to_stderr << "jamictl: " << load_error << "\n";
        }
        return 3;
    }
    if (version) {
        to_stdout << "jamictl " << JAMICTL_VERSION << "\nplugin " << plugin.path << " (ABI " << plugin.abi_version()
                  << ")\n";
        return 0;
    }
    if (o.words.empty()) {
        to_stdout << usageText();
        return 2;
    }

    // setup's --tools FILE may name the file it is to create.
    json options = json::object();
    options["host"] = "jamictl";
    // (in a dry run, setup says it would create it; the skill opens without it)
    const bool tools_to_make = command && command->makes_tools_md && o.tools && !std::filesystem::exists(*o.tools);
    if (o.tools && !tools_to_make) options["tools_md"] = *o.tools;
    if (o.bus) options["bus"] = *o.bus;
    if (o.pulse) options["pulse_server"] = *o.pulse;
    if (o.transcriber) {  // "PROGRAM ARG...": split at spaces, never run through a shell
        json argv = json::array();
        std::istringstream words(*o.transcriber);
        for (std::string w; words >> w;) argv.push_back(w);
        if (argv.empty()) usageError("--transcriber takes a program and its arguments");
        options["transcriber"] = argv;
    }
    // A command jamictl carries out itself reads jamid in a dry run and
    // changes nothing (its requests carry "dry_run").
    if (o.dry_run && !(command && command->carry_out)) options["dry_run"] = true;
    if (tools_to_make && !o.dry_run) {
        std::ofstream made(*o.tools, std::ios::app);
        if (!made) usageError("cannot create " + *o.tools);
        options["tools_md"] = *o.tools;
    }
    if (o.timeout_ms) options["timeout_ms"] = *o.timeout_ms;

    char* open_error = nullptr;
    jami_skill* skill = plugin.open(options.dump().c_str(), &open_error);
    if (!skill) {
        json result = json::parse(
            open_error ? open_error : R"({"ok":false,"error":{"code":"internal_error","message":"open failed"}})");
        plugin.free_string(open_error);
        return Host{plugin, nullptr, o.json_output, false, false, std::nullopt}.report("", result);
    }
    Host host{plugin, skill, o.json_output, o.yes, o.dry_run, o.tools};

    int status = 0;
    if (command && command->carry_out) {
        status = command->carry_out(host, o.words);
    } else {
        json result = host.ask(request);
        // "call Bob Smith" (unquoted) reads as account "Bob", contact "Smith":
        // when no such account exists, it was one contact name.
        if (request.value("action", "") == "call.start" && request.contains("account") && result.contains("error") &&
            str(result["error"], "code") == "unknown_account") {
            request["contact"] = request["account"].get<std::string>() + " " + request["contact"].get<std::string>();
            request.erase("account");
            result = host.ask(request);
        }
        status = host.report(actionOf(request, result), result);
        // This process ends now; the call's maximum duration must still hold.
        if (result.value("ok", false) && !result.value("dry_run", false) && result.contains("max_duration_s") &&
            result.contains("call") && result["call"].value("state", "") != "ended")
            startWatchdog(o, str(result["call"], "call_id"));
    }
    plugin.close(skill);
    // The process ends here. What exit() would still run (the C++ runtime's
    // and libsystemd's destructors, freeing memory the kernel takes back
    // anyway) was ~2.5% of a one-shot `account list` (bench/jamid_bench.sh):
    // flush what was printed and leave.
    std::fflush(nullptr);
    ::_exit(status);
}
