// A skill handle's state: built at open, the jamid connection made by the
// first request that needs it, and shut down before the handle goes.
#include "skill/state.hpp"

#include <cstdlib>

#include "base/file_io.hpp"
#include "skill/jamid/jamid_client.hpp"

namespace jskill {

using nlohmann::json;

namespace {

std::filesystem::path stateDirOf(const SkillOptions& o) {
    if (!o.state_dir.empty()) return o.state_dir;
    if (!o.call_log.empty()) return std::filesystem::path(o.call_log).parent_path();
    return defaultStateDir();
}

std::optional<CallLog> callLogOf(const SkillOptions& o, const std::filesystem::path& state_dir) {
    if (o.dry_run) return std::nullopt;  // a dry skill writes nothing
    return CallLog(o.call_log.empty() ? state_dir / "calls.jsonl" : std::filesystem::path(o.call_log));
}

}  // namespace

State::State(SkillOptions opts, ActionTable actions_)
    : options(std::move(opts)),
      state_dir(stateDirOf(options)),
      pinned_file(readPinnedPolicy(options.policy_file)),
      pinned(stricter(policyFromJson(options.policy), pinned_file.settings)),
      actions(std::move(actions_)),
      contacts(options.tools_md, pinned),  // checked now, parsed when first needed
      calls(callLogOf(options, state_dir)),
      audit(state_dir / "audit.jsonl"),
      ledger(state_dir / "outbound.jsonl"),
      voice(options.pulse_server, state_dir / "voice"),
      voicemail(state_dir / "voicemail"),
      guard([this](const std::string& call_id, const std::string& account) { endAtMaxDuration(call_id, account); }) {}

const intents::LanguageFacts& State::languages() {
    std::call_once(languages_built_, [this] {
        languages_ = std::make_unique<const intents::LanguageFacts>(intents::LanguageFacts::Builtin{});
    });
    return *languages_;
}

State::Bus State::bus() const {
    if (!options.bus.empty()) return {options.bus, "option"};
    if (const char* env = std::getenv("DBUS_SESSION_BUS_ADDRESS"); env && *env) return {"", "environment"};
    // One line, written by jamictl daemon start; a file that cannot be read
    // (or is empty) is no bus at all, and the session default is tried.
    std::string address = files::readWholeFile(busFile()).value_or(std::string());
    address = address.substr(0, address.find_first_of("\r\n"));
    if (!address.empty()) return {address, "bus file"};
    return {"", "session"};
}

std::shared_ptr<Jamid> State::jamid() {
    if (options.dry_run) {
        throw Error(code::kDryRun, "this skill was opened with dry_run: it never talks to jamid",
                    "open it without \"dry_run\" (jamictl: drop --dry-run) to act on jamid");
    }
    std::lock_guard lock(jamid_mutex_);
    if (client_ && !client_->healthy()) client_.reset();
    if (!client_) {
        // A bus that just failed is not tried again for a second: a host
        // polling events, or retrying in a loop, costs nothing meanwhile.
        const auto now = std::chrono::steady_clock::now();
        if (connect_failure_ && now < retry_connect_at_) throw *connect_failure_;
        JamidOptions o{bus().address, options.timeout, follow_events_};
        try {
            EventSink sink = arrive;
            client_ = options.jamid_factory ? options.jamid_factory(o, std::move(sink))
                                            : std::make_shared<JamidClient>(o, std::move(sink));
            connect_failure_.reset();
        } catch (const Error& e) {
            connect_failure_ = e;
            retry_connect_at_ = now + std::chrono::seconds(1);
            throw;
        }
    }
    return client_;
}

void State::followEvents() {
    std::shared_ptr<Jamid> client;
    {
        std::lock_guard lock(jamid_mutex_);
        follow_events_ = true;
        client = client_;
    }
    if (client) client->followEvents();  // its match rules are D-Bus calls: outside the lock
}

void State::shutDown() {
    guard.stop();  // it would reconnect to hang up
    std::lock_guard lock(jamid_mutex_);
    client_.reset();
}

void State::endAtMaxDuration(const std::string& call_id, const std::string& account) {
    calls.hangupRequested(call_id, "max_duration");
    jamid()->hangUp(account, call_id);
}

bool State::hangUpWhenDone(Jamid& jamid, const std::string& account, const std::string& call_id) {
    calls.hangupRequested(call_id);
    try {
        jamid.hangUp(account, call_id);
        return true;
    } catch (const Error& e) {
        if (e.code() != code::kDaemonUnavailable) throw;
        return false;
    }
}

}  // namespace jskill
