// account.* and daemon.*: list, info, create, remove, enable, register a
// name; whether jamid runs, and starting it.
#include "skill/actions/accounts.hpp"
#include "skill/event_types.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "skill/actions/registry.hpp"
#include "skill/arguments.hpp"
#include "skill/request.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

// What a user (or an agent) wants to know about an account, in our words.
json summaryOf(const AccountInfo& a) {
    json out{{"id", a.id},
             {"type", a.type},
             {"alias", a.alias},
             {"display_name", a.display_name},
             {"username", a.username},
             {"enabled", a.enabled},
             {"active", a.active},
             {"status", a.registration_status}};
    if (a.jami) {
        out["jami_id"] = a.username;
        out["registered_name"] = a.registered_name;
        out["device_announced"] = a.device_announced;
    } else {
        out["hostname"] = a.hostname;
    }
    return out;
}

json accountSummary(Jamid& jamid, const std::string& id) { return summaryOf(jamid.account(id)); }

bool isJamiAccount(Jamid& jamid, const std::string& id) { return jamid.account(id).jami; }

std::string resolveAccount(State& state, Jamid& jamid, const std::string& ref) {
    auto ids = jamid.accountIds();
    if (ids.empty()) {
        throw Error(code::kNoAccount, "jamid has no account yet",
                    "create one: jamictl account create --type jami --alias <name>");
    }
    std::string wanted = ref;
    if (wanted.empty()) {
        auto contacts = state.contacts.current();
        if (contacts->config.account) wanted = *contacts->config.account;
    }
    if (wanted.empty()) {
        if (ids.size() == 1) return ids.front();
        json candidates = json::array();
        for (const auto& id : ids) candidates.push_back(accountSummary(jamid, id));
        throw Error(code::kAmbiguousAccount, "jamid has " + std::to_string(ids.size()) + " accounts; which one?",
                    "name one by id or alias, or set \"- Account ID: <id>\" in the Jami Configuration section of "
                    "TOOLS.md",
                    {{"candidates", candidates}});
    }
    const std::string key = lower(wanted);
    std::vector<std::string> hits;
    for (const auto& id : ids) {
        if (lower(id) == key) return id;
    }
    for (const auto& id : ids) {
        const AccountInfo a = jamid.account(id);
        const std::string username = lower(a.username);
        if (key == lower(a.alias) || key == username || key == "jami:" + username ||
            (!a.registered_name.empty() && key == lower(a.registered_name)))
            hits.push_back(id);
    }
    if (hits.size() == 1) return hits.front();
    if (hits.empty()) {
        throw Error(code::kUnknownAccount, "no account \"" + wanted + "\" on jamid",
                    "jamictl account list shows the accounts jamid has");
    }
    json candidates = json::array();
    for (const auto& id : hits) candidates.push_back(accountSummary(jamid, id));
    throw Error(code::kAmbiguousAccount, "\"" + wanted + "\" names several accounts", "use the account id",
                {{"candidates", candidates}});
}

namespace {

json accountList(State& state, const Request&) {
    auto jamid = state.jamid();
    json accounts = json::array();
    for (const auto& id : jamid->accountIds()) accounts.push_back(accountSummary(*jamid, id));
    return {{"ok", true}, {"accounts", accounts}};
}

json accountInfo(State& state, const Request& request) {
    const json& args = request.args;
    auto jamid = state.jamid();
    std::string id = resolveAccount(state, *jamid, stringArg(args, "account", false));
    json out{{"ok", true}, {"account", accountSummary(*jamid, id)}};
    auto contacts = state.contacts.current();
    out["tools_md"] = {{"path", contacts->path ? contacts->path->string() : ""},
                       {"found_by", contacts->source},
                       {"contacts", contacts->book.contacts().size()},
                       {"problems", contacts->config.problems.size()}};
    return out;
}

// account.create {type: "jami"|"sip", alias, details: {jamid keys}}. Extra
// details are passed to jamid as they are (tests use them to keep a Jami
// account off the public network).
json accountCreate(State& state, const Request& request) {
    const json& args = request.args;
    std::string type = lower(stringArg(args, "type", false));
    if (type.empty()) type = "jami";
    if (type != "jami" && type != "ring" && type != "sip")
        throw Error(code::kInvalidArgument, "unknown account type \"" + type + "\"", "use \"jami\" or \"sip\"");
    NewAccount wanted;
    wanted.type = type == "sip" ? "sip" : "jami";
    wanted.alias = stringArg(args, "alias", false);
    if (wanted.alias.empty()) wanted.alias = stringArg(args, "name", false);  // "create an account called work"
    auto& details = wanted.raw_details;
    if (auto extra = args.find("details"); extra != args.end() && !extra->is_null()) {
        for (auto it = extra->begin(); it != extra->end(); ++it) {
            if (it->is_string())
                details[it.key()] = it->get<std::string>();
            else if (it->is_boolean())
                details[it.key()] = it->get<bool>() ? "true" : "false";
            else if (it->is_number_integer())
                details[it.key()] = std::to_string(it->get<long long>());
            else
                throw Error(code::kInvalidArgument, "detail \"" + it.key() + "\" must be a string");
        }
    }
    auto jamid = state.jamid();
    std::string id = jamid->addAccount(wanted);
    if (id.empty()) {
        throw Error(code::kAccountCreateFailed, "jamid refused to create the account",
                    "check the account type and details");
    }
    return {{"ok", true}, {"account", accountSummary(*jamid, id)}};
}

json accountRemove(State& state, const Request& request) {
    const json& args = request.args;
    std::string ref = stringArg(args, "account");  // checked before jamid is asked
    auto jamid = state.jamid();
    std::string id = resolveAccount(state, *jamid, ref);
    jamid->removeAccount(id);
    return {{"ok", true}, {"removed", id}};
}

// account.enable / account.disable: persistent (Account.enable), like the
// Jami app's switch; jamid answers once the DHT has stopped or started.
json accountEnable(State& state, const Request& request, bool enable) {
    const json& args = request.args;
    auto jamid = state.jamid();
    const std::string id = resolveAccount(state, *jamid, stringArg(args, "account", false));
    jamid->setAccountEnabled(id, enable);
    return {{"ok", true}, {"account", accountSummary(*jamid, id)}};
}

// account.register {name, password?}: a username on the account's name
// server; the outcome arrives as a signal, so this waits for it.
json accountRegister(State& state, const Request& request) {
    const json& args = request.args;
    const std::string name = stringArg(args, "name");
    if (name.size() < 3 || name.size() > 32 || !std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        }))
        throw Error(code::kInvalidArgument, "\"" + name + "\" is not a valid Jami username",
                    "3 to 32 letters, digits, '-' or '_'");
    auto jamid = state.jamid();
    const std::string id = resolveAccount(state, *jamid, stringArg(args, "account", false));
    const auto mark = state.recent.mark();
    if (!jamid->registerName(id, stringArg(args, "password", false), name))
        throw Error(code::kNameRegistrationFailed, "account " + id + " cannot register names", "use a Jami account");
    auto done = state.recent.waitFor(
        mark,
        [&](const json& e) {
            return event::typeOf(e) == event::kAccountNameRegistration && e.value("account", "") == id;
        },
        std::max(state.options.timeout, std::chrono::milliseconds(30000)));
    if (!done) throw Error(code::kTimeout, "the name server did not answer in time", "try again later");
    const int status = done->value("status", -1);
    if (status != 0) {
        static const char* reasons[] = {"", "wrong password", "invalid name", "name already taken", "network error"};
        const std::string reason = status >= 1 && status <= 4 ? reasons[status] : "error " + std::to_string(status);
        throw Error(code::kNameRegistrationFailed, "could not register \"" + name + "\": " + reason,
                    status == 3   ? "choose another name"
                    : status == 1 ? "pass the account's archive password"
                    : status == 4 ? "the account's name server (RingNS.uri) must be reachable"
                                  : "",
                    {{"status", status}});
    }
    return {{"ok", true}, {"registered", name}, {"account", accountSummary(*jamid, id)}};
}

// daemon.status {start?}: is jamid on the bus; start it by D-Bus activation.
json daemonStatus(State& state, const Request& request) {
    const json& args = request.args;
    const State::Bus bus = state.bus();
    json out{{"ok", true},
             {"bus", bus.address.empty() ? "session" : bus.address},
             {"bus_from", bus.from},
             {"bus_file", state.busFile().string()}};
    std::shared_ptr<Jamid> jamid;
    try {
        jamid = state.jamid();
    } catch (const Error& e) {  // no bus at all: which one was tried, and where a private one is found
        json extra = e.extra();
        extra.update({{"bus", out["bus"]}, {"bus_from", out["bus_from"]}, {"bus_file", out["bus_file"]}});
        throw Error(e.code(), e.what(), e.hint(), extra);
    }
    bool running = jamid->daemonRunning();
    if (!running && boolMember(args, "start").value_or(false) && !request.dry_run) {
        jamid->startDaemon();
        running = jamid->daemonRunning();
        out["started"] = running;
    }
    out["running"] = running;
    if (running) {
        out["accounts"] = jamid->accountIds().size();
        // Which form of each changed method and signal this jamid offers.
        out["interface"] = jamid->daemonInterface();
    } else
        out["hint"] = "start it with: jamictl daemon start (a systemd user service, else a private bus)";
    return out;
}

// Raw jamid account keys are passed as they are, so any of them may change
// who can reach the user (Account.autoAnswer, DHT.PublicInCalls ...): the
// user confirms them all.
std::string confirmRawDetails(const Request& r) {
    auto details = r.args.find("details");
    if (details == r.args.end() || !details->is_object() || details->empty()) return {};
    std::string keys;
    for (auto it = details->begin(); it != details->end(); ++it) keys += (keys.empty() ? "" : ", ") + it.key();
    return "create an account with the raw jamid settings " + keys;
}

}  // namespace

void addAccountActions(ActionTable& table) {
    const auto account = arg::text("account");
    table["account.enable"] = {.run = [](State& s, const Request& r) { return accountEnable(s, r, true); },
                               .summary = "enable an account (account?)",
                               .effects = Effect::kChangesJamid,
                               .args = {account}};
    table["account.disable"] = {.run = [](State& s, const Request& r) { return accountEnable(s, r, false); },
                                .summary = "disable an account (account?)",
                                .effects = Effect::kChangesJamid,
                                .args = {account}};
    table["account.register"] = {.run = accountRegister,
                                 .summary = "register a Jami username (name, account?, password?)",
                                 .effects = Effect::kChangesJamid,
                                 .args = {arg::text("name", arg::kRequired), account, arg::text("password")}};
    table["daemon.status"] = {.run = daemonStatus,
                              .summary = "whether jamid runs (start?: start it by D-Bus activation)",
                              .args = {arg::flag("start")},
                              .follows_events = false};
    table["daemon.start"] = {.run =
                                 [](State& s, const Request& r) {
                                     Request start = r;
                                     start.args = {{"start", true}};
                                     return daemonStatus(s, start);
                                 },
                             .summary = "start jamid by D-Bus activation when it is not running",
                             .effects = Effect::kChangesJamid};
    table["account.list"] = {.run = accountList, .summary = "accounts on jamid", .follows_events = false};
    table["account.info"] = {.run = accountInfo,
                             .summary = "one account (account: id, alias or Jami ID; default: TOOLS.md's)",
                             .args = {account},
                             .follows_events = false};
    table["account.create"] = {
        .run = accountCreate,
        .summary = "create an account (type: jami|sip, alias, details; raw details need confirmed)",
        .effects = Effect::kChangesJamid,
        .args = {arg::text("type"), arg::text("alias"), arg::text("name"), arg::object("details")},
        .needs_confirmation = confirmRawDetails};
    table["account.remove"] = {
        .run = accountRemove,
        .summary = "remove an account (account); needs confirmed",
        .effects = Effect::kChangesJamid,
        .args = {arg::text("account", arg::kRequired)},
        .needs_confirmation = [](const Request& r) { return "remove the account " + shownArg(r.args, "account"); }};
}

}  // namespace jskill
