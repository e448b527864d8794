// `events` (every event, JSON lines) and `message listen` (what arrives, for
// a person): both read the skill's event queue until a count or a time.
#include <chrono>

#include "cli/commands.hpp"
#include "cli/host.hpp"
#include "cli/output.hpp"
#include "cli/print.hpp"

namespace jamictl {

using nlohmann::json;

namespace {

long wholeNumber(const std::optional<std::string>& text, long fallback, const char* name) {
    if (!text) return fallback;
    try {
        std::size_t used = 0;
        long value = std::stol(*text, &used);
        if (used == text->size() && value >= 0) return value;
    } catch (...) {}
    usageError(std::string(name) + " takes a whole number");
}

// Returns the exit status: 0, or 1 when the skill reported a failure.
int readEvents(Host& host, Words& words, bool listen) {
    long remaining = wholeNumber(takeOption(words, "--count"), -1, "--count");
    const long seconds = wholeNumber(takeOption(words, "--for"), 3600L * 24 * 365, "--for");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (remaining != 0 && std::chrono::steady_clock::now() < deadline) {
        char* raw = host.plugin.next_event(host.skill, 500);
        if (!raw) continue;
        json e = json::parse(raw, nullptr, false);
        host.plugin.free_string(raw);
        if (str(e, "type") == "error") {  // the handle failed: say so and stop, rather than spin
            if (host.json_output)
                to_stdout << dump(e) << "\n" << flush;
            else
                to_stderr << "jamictl: " << str(e["error"], "message") << " [" << str(e["error"], "code") << "]\n";
            return 1;
        }
        if (listen && !worthListening(e)) continue;
        if (host.json_output || !listen)
            to_stdout << dump(e) << "\n" << flush;
        else
            printEvent(e);
        if (remaining > 0) --remaining;
    }
    return 0;
}

}  // namespace

int streamEvents(Host& host, Words& words) { return readEvents(host, words, false); }
int listenMessages(Host& host, Words& words) { return readEvents(host, words, true); }

}  // namespace jamictl
