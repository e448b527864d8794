// account.* actions: list, info, create, remove.
#include <algorithm>

#include "skill/error.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string get(const StringMap& m, const char* key) {
    auto it = m.find(key);
    return it == m.end() ? std::string() : it->second;
}

// What a user (or an agent) wants to know about an account, in our words.
json accountSummary(JamidClient& jamid, const std::string& id) {
    StringMap details = jamid.accountDetails(id);
    StringMap status = jamid.volatileAccountDetails(id);
    const bool jami = get(details, "Account.type") == "RING";
    json out{{"id", id},
             {"type", jami ? "jami" : lower(get(details, "Account.type"))},
             {"alias", get(details, "Account.alias")},
             {"display_name", get(details, "Account.displayName")},
             {"username", get(details, "Account.username")},
             {"enabled", get(details, "Account.enable") == "true"},
             {"active", get(status, "Account.active") != "false"},
             {"status", get(status, "Account.registrationStatus")}};
    if (jami) {
        out["jami_id"] = get(details, "Account.username");
        out["registered_name"] = get(status, "Account.registeredName");
        out["device_announced"] = get(status, "Account.deviceAnnounced") == "true";
    } else {
        out["hostname"] = get(details, "Account.hostname");
    }
    return out;
}

// An account named by id, alias, username / Jami ID or registered name; or,
// when none is named, the TOOLS.md account, else the only account.
std::string resolveAccount(Skill::State& state, JamidClient& jamid, const std::string& ref) {
    auto ids = jamid.accountList();
    if (ids.empty()) {
        throw Error(code::kNoAccount, "jamid has no account yet",
                    "create one: jamictl account create --type jami --alias <name>");
    }
    std::string wanted = ref;
    if (wanted.empty()) {
        auto contacts = state.contactBook();
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
        StringMap d = jamid.accountDetails(id);
        std::string username = lower(get(d, "Account.username"));
        if (key == lower(get(d, "Account.alias")) || key == username || key == "jami:" + username) {
            hits.push_back(id);
            continue;
        }
        StringMap v = jamid.volatileAccountDetails(id);
        if (!get(v, "Account.registeredName").empty() && key == lower(get(v, "Account.registeredName")))
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

json accountList(Skill::State& state, const json&) {
    auto jamid = state.jamid();
    json accounts = json::array();
    for (const auto& id : jamid->accountList()) accounts.push_back(accountSummary(*jamid, id));
    return {{"ok", true}, {"accounts", accounts}};
}

json accountInfo(Skill::State& state, const json& args) {
    auto jamid = state.jamid();
    std::string id = resolveAccount(state, *jamid, stringArg(args, "account", false));
    json out{{"ok", true}, {"account", accountSummary(*jamid, id)}};
    auto contacts = state.contactBook();
    out["tools_md"] = {{"path", contacts->path ? contacts->path->string() : ""},
                       {"found_by", contacts->source},
                       {"contacts", contacts->book.contacts().size()},
                       {"problems", contacts->config.problems.size()}};
    return out;
}

// account.create {type: "jami"|"sip", alias, details: {jamid keys}}. Extra
// details are passed to jamid as they are (tests use them to keep a Jami
// account off the public network).
json accountCreate(Skill::State& state, const json& args) {
    std::string type = lower(stringArg(args, "type", false));
    if (type.empty()) type = "jami";
    if (type != "jami" && type != "ring" && type != "sip")
        throw Error(code::kInvalidArgument, "unknown account type \"" + type + "\"", "use \"jami\" or \"sip\"");
    StringMap details{{"Account.type", type == "sip" ? "SIP" : "RING"}};
    std::string alias = stringArg(args, "alias", false);
    if (!alias.empty()) {
        details["Account.alias"] = alias;
        details["Account.displayName"] = alias;
    }
    if (type != "sip") details["Account.archivePassword"] = "";
    if (auto extra = args.find("details"); extra != args.end() && !extra->is_null()) {
        if (!extra->is_object()) throw Error(code::kInvalidArgument, "\"details\" must be an object of strings");
        for (auto it = extra->begin(); it != extra->end(); ++it) {
            if (it->is_string()) details[it.key()] = it->get<std::string>();
            else if (it->is_boolean()) details[it.key()] = it->get<bool>() ? "true" : "false";
            else if (it->is_number_integer()) details[it.key()] = std::to_string(it->get<long long>());
            else throw Error(code::kInvalidArgument, "detail \"" + it.key() + "\" must be a string");
        }
    }
    auto jamid = state.jamid();
    std::string id = jamid->addAccount(details);
    if (id.empty()) {
        throw Error(code::kAccountCreateFailed, "jamid refused to create the account",
                    "check the account type and details");
    }
    return {{"ok", true}, {"account", accountSummary(*jamid, id)}};
}

json accountRemove(Skill::State& state, const json& args) {
    auto jamid = state.jamid();
    std::string ref = stringArg(args, "account");
    std::string id = resolveAccount(state, *jamid, ref);
    jamid->removeAccount(id);
    return {{"ok", true}, {"removed", id}};
}

}  // namespace

void addAccountActions(ActionTable& table) {
    table["account.list"] = {accountList, "accounts on jamid"};
    table["account.info"] = {accountInfo, "one account (account: id, alias or Jami ID; default: TOOLS.md's)"};
    table["account.create"] = {accountCreate, "create an account (type: jami|sip, alias, details)"};
    table["account.remove"] = {accountRemove, "remove an account (account)"};
}

}  // namespace jskill
