// jamictl: the command-line host of the Jami skill. It builds a JSON request
// from the command line, hands it to the plugin through the C ABI and prints
// the result for a person, or as JSON with --json (for agents and scripts).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <chrono>
#include <map>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/plugin_loader.hpp"

using nlohmann::json;

namespace {

constexpr const char* kUsage = R"(jamictl - call and message people over Jami, from the command line or an AI agent

Usage: jamictl [options] <command> [arguments]
       jamictl [options] "<what you want, in English or Chinese>"

Accounts
  account list                         accounts jamid has, with their status
  account info [ACCOUNT]               one account (id, alias or Jami ID; default:
                                       the TOOLS.md account, else the only one)
  account create [--type jami|sip] [--alias NAME] [--detail KEY=VALUE]...
                                       create an account on jamid
  account remove ACCOUNT               remove an account (asks jamid; may take seconds)

Contacts (from the "## Jami Configuration" section of TOOLS.md)
  contact list                         your contacts, and where they were read from
  contact add NAME ID [--alias ALIAS]... --yes
                                       add a contact (ID: 40-hex Jami ID, username or sip: URI);
                                       only that line of TOOLS.md changes
  contact remove NAME --yes            remove a contact from TOOLS.md
  contact rename OLD NEW --yes         rename a contact (its aliases and ID stay)
                                       (without --yes these say what they would do, and stop)

Safety (docs/policy.md)
  policy                               who may be reached, and the limits in force
  audit [--count N]                    the newest audit log entries: what was done or refused

Calls (CALL_ID: optional when there is only one call it can mean)
  call CONTACT [--wait answered|ended] [--timeout S]
  call ACCOUNT CONTACT                 call a contact from TOOLS.md (or a Jami ID / sip: URI);
                                       with --wait, wait boundedly (unanswered calls are hung up)
  call list                            calls in progress
  call status [CALL_ID]                one call, even after it ended (call log); no id: all
  call guard CALL_ID                   end a call the skill placed at its maximum duration
                                       (jamictl starts one, detached, for every call it places)
  hangup [CALL_ID]   accept [CALL_ID]   decline [CALL_ID]
  hold [CALL_ID]     resume [CALL_ID]   mute [CALL_ID]   unmute [CALL_ID]
  dtmf DIGITS                          touch tones (0-9 * # A-D) to the active call
  audio volume 0-100 [--device speaker|mic]

Messages
  message send CONTACT TEXT...         send through the contact's Jami conversation
  message read [CONTACT] [--count N]   recent messages (default 10)
  message listen [--count N] [--for SECONDS]
                                       incoming messages, calls and contact requests, as they come

Contacts on jamid
  contact requests                     pending contact (trust) requests
  contact accept NAME|ID               accept one;  contact decline NAME|ID  refuse one
  contact invite NAME                  (re)send a contact request to a TOOLS.md contact

Daemon and accounts
  daemon [start]                       is jamid reachable; start: start it by D-Bus activation
  account enable|disable [ACCOUNT]     switch an account on or off (persistent)
  account register NAME [--account ACCOUNT] [--password P]
                                       register a Jami username on the name server

Language
  intent "TEXT"                        show how TEXT is understood; never acts
  say "TEXT"                           understand TEXT and do it
  help                                 every intent the skill understands, with examples

Events
  events [--count N] [--for SECONDS]
                                       print jamid events (calls, messages) as JSON lines

Options
  --json              print the result as one JSON object (errors too, on stdout)
  --tools PATH        the TOOLS.md (or AGENTS.md) with your contacts
                      (default: $JAMI_SKILL_TOOLS, ./TOOLS.md, the OpenClaw/Clawdbot workspace)
  --bus ADDRESS       D-Bus address of jamid's bus (default: the session bus)
  --dry-run           say what would be done (to whom, and whether the policy allows it);
                      change nothing: neither TOOLS.md nor jamid
  --yes               the user confirmed: needed to add, rename or remove contacts, remove an
                      account, give raw account settings, or answer a caller who is no contact
  --dbus-timeout MS   D-Bus call timeout in milliseconds (default 10000)
  -h, --help          this help;  --version  versions of jamictl and the plugin

Examples
  jamictl account list
  jamictl call mom --wait answered --timeout 30
  jamictl message send "Bob Smith" running late, sorry
  jamictl --json message listen
  jamictl --json account info
  jamictl intent "send Bob running late"
  jamictl --dry-run "给妈妈打电话"
  jamictl contact add "Carol Chen" 0123456789abcdef0123456789abcdef01234567 --yes
  jamictl "hang up"

Exit status: 0 success, 1 the skill reported an error (see "error.code"),
2 wrong usage, 3 the plugin (libjami-skill.so.1) could not be loaded.
Environment: JAMI_SKILL_TOOLS (contact book), JAMI_SKILL_POLICY (pinned policy file,
default ~/.config/jami-skill/policy.md), JAMI_SKILL_PLUGIN (plugin path), XDG_STATE_HOME
(call log, audit log, outbound ledger under jami-skill/).
)";

struct Options {
    bool json_output = false;
    bool dry_run = false;
    bool yes = false;
    std::optional<std::string> tools, bus;
    std::optional<long> timeout_ms;
    std::vector<std::string> words;
};

// Never throws on invalid UTF-8 (it is replaced): jamictl must not abort.
std::string dump(const json& value, int indent = -1) {
    return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

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

[[noreturn]] void usageError(const std::string& message) {
    std::cerr << "jamictl: " << message << "\nTry 'jamictl --help'.\n";
    std::exit(2);
}

std::string joinWords(const std::vector<std::string>& words, std::size_t from) {
    std::string text;
    for (std::size_t i = from; i < words.size(); ++i) text += (i > from ? " " : "") + words[i];
    return text;
}

// Pulls the command-specific "--name value" out of the words.
std::optional<std::string> takeOption(std::vector<std::string>& words, const std::string& name) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (words[i] == name) {
            if (i + 1 >= words.size()) usageError(name + " needs a value");
            std::string value = words[i + 1];
            words.erase(words.begin() + static_cast<long>(i), words.begin() + static_cast<long>(i) + 2);
            return value;
        }
    }
    return std::nullopt;
}

// A whole decimal number ("30", "2.5"); nullopt for anything else, NaN and
// infinities included (JSON has no NaN: it would reach the skill as null).
std::optional<double> finiteNumber(const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno != 0 || !std::isfinite(value)) return std::nullopt;
    return value;
}

// "--count N" into the request's "count".
void takeCount(std::vector<std::string>& words, json& request) {
    if (auto c = takeOption(words, "--count")) {
        try {
            request["count"] = std::stoi(*c);
        } catch (...) {
            usageError("--count takes a number");
        }
    }
}

// What a terminal is shown: text from peers (names, messages) may carry
// escape sequences that clear the screen or set its title, and bidi
// overrides that make it read otherwise. Those become visible escapes.
std::string printable(const std::string& text) {
    std::string out;
    char escape[16];
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        unsigned code = 0;
        std::size_t width = 1;
        if (c < 0x20 || c == 0x7f) code = c;
        else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0)
            code = static_cast<unsigned char>(text[i + 1]), width = 2;
        else if (c == 0xE2 && i + 2 < text.size()) {
            const auto b = static_cast<unsigned char>(text[i + 1]), d = static_cast<unsigned char>(text[i + 2]);
            if ((b == 0x80 && (d == 0x8E || d == 0x8F || (d >= 0xAA && d <= 0xAE))) || (b == 0x81 && d >= 0xA6 && d <= 0xA9))
                code = 0x2000u + ((b & 0x3Fu) << 6) + (d & 0x3Fu), width = 3;
        }
        if (width == 1 && code == 0 && c >= 0x20) {
            out += text[i];
            continue;
        }
        if (c == '\t') {
            out += '\t';
            continue;
        }
        std::snprintf(escape, sizeof escape, code == '\n' ? "\\n" : "\\u{%04X}", code);
        out += escape;
        i += width - 1;
    }
    return out;
}

std::string str(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return "";
    return printable(it->is_string() ? it->get<std::string>() : dump(*it));
}

void printContact(const json& c, const char* indent) {
    std::cout << indent << str(c, "name");
    if (c.contains("aliases")) {
        std::string aliases;
        for (const auto& a : c["aliases"]) aliases += (aliases.empty() ? "" : ", ") + a.get<std::string>();
        std::cout << " (" << aliases << ")";
    }
    std::cout << ": " << str(c, "id") << "\n";
}

void printHuman(const json& r) {
    if (r.value("dry_run", false) && r.contains("would") && !r.contains("added") && !r.contains("removed") &&
        !r.contains("renamed")) {
        std::cout << "Dry run: would " << str(r, "would");
        if (r.contains("target")) std::cout << " (matched by " << str(r["target"], "match") << ")";
        std::cout << ". The policy allows it. Nothing was done.\n";
        if (r.contains("intent")) std::cout << "  understood as " << str(r, "intent") << " (" << str(r, "language") << ")\n";
        return;
    }
    if (r.value("dry_run", false) && (r.contains("added") || r.contains("removed") || r.contains("renamed"))) {
        std::cout << "Dry run: " << str(r, "tools_md") << " would change like this (it was not changed):\n  ";
        if (r.contains("added")) printContact(r["added"], "+ ");
        else if (r.contains("removed")) std::cout << "- " << str(r, "removed") << "\n";
        else std::cout << str(r["renamed"], "from") << " -> " << str(r["renamed"], "to") << "\n";
        return;
    }
    if (r.contains("pinned_file") && r.contains("policy")) {
        const json& p = r["policy"];
        std::cout << "Contacts only: " << (p.value("contacts_only", true) ? "yes" : "no") << "\n"
                  << "Max calls at once: " << str(p, "max_calls_at_once") << "\n"
                  << "Max call duration: " << str(p, "max_call_duration_s") << " s\n"
                  << "Calls per hour: " << str(p, "calls_per_hour") << " (" << str(p, "calls_per_hour_per_contact")
                  << " per contact)\n"
                  << "Messages per minute: " << str(p, "messages_per_minute") << " ("
                  << str(p, "messages_per_minute_per_contact") << " per contact)\n"
                  << "Auto-answer: " << (p["auto_answer"].empty() ? std::string("nobody") : p["auto_answer"].dump()) << "\n"
                  << "From: " << (str(r["pinned_file"], "path").empty() ? std::string("no pinned policy file") : "pinned " + str(r["pinned_file"], "path"))
                  << (r.value("pinned_option", false) ? ", the host's policy option" : "") << ", "
                  << (str(r, "tools_md").empty() ? std::string("no TOOLS.md") : str(r, "tools_md"))
                  << (r.value("tools_md_policy_kept", false) ? " (its last good policy: the file now says nothing)" : "")
                  << "\nAudit log: " << str(r, "audit_log") << "\n";
        return;
    }
    if (r.contains("entries") && r.contains("path")) {
        if (r["entries"].empty()) std::cout << "The audit log is empty.\n";
        for (const auto& e : r["entries"]) {
            std::string target = e.contains("target") ? (str(e["target"], "name").empty() ? str(e["target"], "id")
                                                                                         : str(e["target"], "name"))
                                                      : std::string();
            if (target.empty() && e.contains("target")) target = str(e["target"], "said");
            std::cout << str(e, "time") << " " << str(e, "host") << " " << str(e, "action") << " "
                      << (target.empty() ? "" : target + " ") << str(e, "decision") << " (" << str(e, "result") << ")"
                      << (e.value("dry_run", false) ? " [dry run]" : "") << "\n";
        }
        return;
    }
    if (r.contains("accounts")) {
        if (r["accounts"].empty()) std::cout << "No accounts. Create one: jamictl account create --alias NAME\n";
        for (const auto& a : r["accounts"]) {
            std::printf("%-18s %-5s %-16s %-12s %s\n", str(a, "id").c_str(), str(a, "type").c_str(),
                        str(a, "alias").c_str(), str(a, "status").c_str(), str(a, "username").c_str());
        }
        return;
    }
    if (r.contains("account") && r["account"].is_object()) {
        for (const auto& [key, value] : r["account"].items())
            std::cout << key << ": " << printable(value.is_string() ? value.get<std::string>() : dump(value)) << "\n";
        if (r.contains("tools_md")) std::cout << "tools_md: " << str(r["tools_md"], "path") << "\n";
        return;
    }
    if (r.contains("contacts") && r["contacts"].is_array()) {
        const auto& source = r["tools_md"];
        std::cout << "Contacts from " << (str(source, "path").empty() ? "(no TOOLS.md found)" : str(source, "path"))
                  << ":\n";
        for (const auto& c : r["contacts"]) printContact(c, "  ");
        for (const auto& p : source.value("problems", json::array()))
            std::cout << "  line " << str(p, "line") << ": " << str(p, "message") << "\n";
        if (r.contains("hint")) std::cout << str(r, "hint") << "\n";
        return;
    }
    if (r.contains("intent") && r.contains("slots")) {
        std::cout << "intent: " << str(r, "intent") << " (" << str(r, "language") << ")"
                  << (r.value("dry_run", false) ? ", dry run: nothing was done" : "") << "\n";
        if (r.contains("corrected")) std::cout << "  read as a typo: " << printable(str(r, "corrected")) << "\n";
        for (const auto& [key, value] : r["slots"].items())
            std::cout << "  " << key << ": " << printable(value.is_string() ? value.get<std::string>() : dump(value)) << "\n";
        if (r.contains("contact")) {
            std::cout << "  resolved contact: ";
            printContact(r["contact"], "");
        }
        return;
    }
    auto callLine = [](const json& c) {
        std::string name = str(c, "contact").empty() ? str(c, "peer") : str(c, "contact");
        return "call " + str(c, "call_id") + " " + (str(c, "direction") == "incoming" ? "from " : "to ") + name + ": " +
               str(c, "state") + (c.contains("end_reason") ? " (" + str(c, "end_reason") + ")" : "") +
               (c.value("muted", false) ? ", muted" : "");
    };
    if (r.contains("call") && r["call"].is_object()) {
        std::cout << callLine(r["call"]) << (r.contains("digits") ? ", sent tones " + str(r, "digits") : "")
                  << (r.contains("max_duration_s") ? " (the skill ends it after " + str(r, "max_duration_s") + " s)" : "")
                  << "\n";
        return;
    }
    if (r.contains("calls")) {
        if (r["calls"].empty()) std::cout << "No call in progress.\n";
        for (const auto& c : r["calls"]) std::cout << callLine(c) << "\n";
        if (r.contains("recent") && !r["recent"].empty()) {
            std::cout << "Recent:\n";
            for (const auto& c : r["recent"]) std::cout << "  " << callLine(c) << "\n";
        }
        return;
    }
    if (r.contains("messages")) {
        if (r["messages"].empty()) std::cout << "No messages." << (r.contains("hint") ? " " + str(r, "hint") : "") << "\n";
        for (const auto& m : r["messages"]) {
            std::string from = str(m, "from").empty() ? str(m, "author") : str(m, "from");
            std::cout << from << ": " << str(m, "body") << "\n";
        }
        return;
    }
    if (r.contains("requests")) {
        if (r["requests"].empty()) std::cout << "No pending contact requests.\n";
        for (const auto& q : r["requests"])
            std::cout << (str(q, "contact").empty() ? "" : str(q, "contact") + " ") << str(q, "from") << "\n";
        return;
    }
    if (r.contains("via") && r.contains("to")) {
        std::string to = str(r["to"], "name").empty() ? str(r["to"], "id") : str(r["to"], "name");
        std::cout << "Sent to " << to << " (" << str(r, "status") << ")\n";
        return;
    }
    if (r.contains("running")) {
        std::cout << "jamid is " << (r["running"].get<bool>() ? "running" : "not running") << " on the "
                  << str(r, "bus") << " bus" << (r.contains("accounts") ? ", " + str(r, "accounts") + " account(s)" : "")
                  << "\n";
        if (r.contains("hint")) std::cout << str(r, "hint") << "\n";
        // Which form of each changed method or signal this jamid offers (docs/jamid.md).
        if (r.contains("interface") && r["interface"].value("known", false)) {
            for (const auto& [feature, form] : r["interface"]["features"].items())
                std::cout << "  " << feature << ": " << form.get<std::string>() << "\n";
            for (const auto& missing : r["interface"]["missing"])
                std::cout << "  " << missing.get<std::string>() << ": none this skill knows (daemon_unsupported)\n";
        }
        return;
    }
    if (r.contains("volume") && r.contains("device")) {
        std::cout << str(r, "device") << " volume " << str(r, "volume") << "\n" << str(r, "note") << "\n";
        return;
    }
    for (const char* verb : {"accepted", "declined"}) {
        if (r.contains(verb) && r[verb].is_object()) {
            std::string name = str(r[verb], "name").empty() ? str(r[verb], "id") : str(r[verb], "name");
            std::cout << (std::string(verb) == "accepted" ? "Accepted" : "Declined") << " the contact request from " << name
                      << "\n";
            return;
        }
    }
    if (r.contains("added")) {
        std::cout << "Added " << str(r["added"], "name") << " (" << str(r["added"], "id") << ") to " << str(r, "tools_md") << "\n";
        return;
    }
    if (r.contains("renamed")) {
        std::cout << "Renamed " << str(r["renamed"], "from") << " to " << str(r["renamed"], "to") << " in "
                  << str(r, "tools_md") << "\n";
        return;
    }
    if (r.contains("removed") && r.contains("tools_md")) {
        std::cout << "Removed " << str(r, "removed") << " from " << str(r, "tools_md") << "\n";
        return;
    }
    if (r.contains("intents")) {
        std::cout << "I understand (one example each, in every language):\n";
        for (const auto& [language, examples] : r["examples"].items())
            for (const auto& e : examples) std::cout << "  " << e.get<std::string>() << "\n";
        return;
    }
    json rest = r;
    rest.erase("ok");
    std::cout << (rest.empty() ? std::string("ok") : printable(dump(rest, 2))) << "\n";
}

void printError(const json& r) {
    const json& e = r["error"];
    std::cerr << "jamictl: " << str(e, "message") << " [" << str(e, "code") << "]\n";
    for (const char* list : {"candidates", "suggestions"}) {
        if (!r.contains(list) || r[list].empty()) continue;
        std::cerr << "  " << list << ":\n";
        for (const auto& c : r[list]) {
            std::cerr << "    " << (c.contains("name") ? str(c, "name") + ": " + str(c, "id")
                                                       : str(c, "id") + " " + str(c, "alias"))
                      << "\n";
        }
    }
    if (r.contains("retry_after_s")) std::cerr << "  rule: " << str(r, "rule") << " (" << str(r, "count") << " of "
                                               << str(r, "limit") << "), retry after " << str(r, "retry_after_s") << " s\n";
    if (!str(e, "hint").empty()) std::cerr << "  hint: " << str(e, "hint") << "\n";
}

json buildRequest(std::vector<std::string> w) {
    if (w.empty()) usageError("no command given");
    const std::string& command = w[0];
    auto sub = [&](std::size_t i) { return i < w.size() ? w[i] : std::string(); };
    if (command == "account") {
        std::string what = sub(1);
        if (what == "list") return {{"action", "account.list"}};
        if (what == "info" || what == "enable" || what == "disable") {
            json r{{"action", "account." + what}};
            if (!sub(2).empty()) r["account"] = sub(2);
            return r;
        }
        if (what == "create") {
            json r{{"action", "account.create"}};
            if (auto t = takeOption(w, "--type")) r["type"] = *t;
            if (auto a = takeOption(w, "--alias")) r["alias"] = *a;
            json details = json::object();
            while (auto d = takeOption(w, "--detail")) {
                auto eq = d->find('=');
                if (eq == std::string::npos) usageError("--detail takes KEY=VALUE");
                details[d->substr(0, eq)] = d->substr(eq + 1);
            }
            if (!details.empty()) r["details"] = details;
            if (w.size() > 2) usageError("unexpected argument '" + w[2] + "'");
            return r;
        }
        if (what == "remove") {
            if (sub(2).empty()) usageError("account remove needs the account");
            return {{"action", "account.remove"}, {"account", sub(2)}};
        }
        if (what == "register") {
            json r{{"action", "account.register"}};
            if (auto a = takeOption(w, "--account")) r["account"] = *a;
            if (auto p = takeOption(w, "--password")) r["password"] = *p;
            if (w.size() != 3) usageError("account register NAME [--account ACCOUNT] [--password P]");
            r["name"] = w[2];
            return r;
        }
        usageError("account takes list, info, create, remove, enable, disable or register");
    }
    if (command == "contact" && sub(1) == "list") return {{"action", "contact.list"}};
    if (command == "policy") return {{"action", "policy.show"}};
    if (command == "audit") {
        json r{{"action", "audit.read"}};
        takeCount(w, r);
        return r;
    }
    if (command == "contact" && sub(1) == "add") {
        json aliases = json::array();
        while (auto a = takeOption(w, "--alias")) aliases.push_back(*a);
        if (w.size() != 4) usageError("contact add NAME ID [--alias ALIAS]...");
        json r{{"action", "contact.add"}, {"name", w[2]}, {"id", w[3]}};
        if (!aliases.empty()) r["aliases"] = aliases;
        return r;
    }
    if (command == "contact" && sub(1) == "rename") {
        if (w.size() != 4) usageError("contact rename OLD NEW (quote names with spaces)");
        return {{"action", "contact.rename"}, {"contact", w[2]}, {"new_name", w[3]}};
    }
    if (command == "contact" && sub(1) == "remove") {
        if (w.size() < 3) usageError("contact remove NAME");
        return {{"action", "contact.remove"}, {"contact", joinWords(w, 2)}};
    }
    if (command == "contact" && (sub(1) == "requests")) return {{"action", "contact.requests"}};
    if (command == "contact" && sub(1) == "invite") {
        if (w.size() < 3) usageError("contact invite NAME");
        return {{"action", "contact.invite"}, {"contact", joinWords(w, 2)}};
    }
    if (command == "contact" && (sub(1) == "accept" || sub(1) == "decline")) {
        if (w.size() < 3) usageError("contact " + sub(1) + " NAME|ID");
        return {{"action", "contact." + sub(1)}, {"contact", joinWords(w, 2)}};
    }
    if (command == "call") {
        if (sub(1) == "list" && w.size() == 2) return {{"action", "call.list"}};
        if (sub(1) == "guard" && w.size() == 3) return {{"action", "call.guard"}, {"call_id", w[2]}};
        if (sub(1) == "status" && w.size() <= 3) {
            json r{{"action", "call.status"}};
            if (!sub(2).empty()) r["call_id"] = sub(2);
            return r;
        }
        json r{{"action", "call.start"}};
        if (auto wait = takeOption(w, "--wait")) r["wait"] = *wait;
        if (auto t = takeOption(w, "--timeout")) {
            auto seconds = finiteNumber(*t);
            if (!seconds) usageError("--timeout takes seconds");
            r["timeout_s"] = *seconds;
        }
        if (w.size() == 2) r["contact"] = w[1];
        else if (w.size() == 3) {
            r["account"] = w[1];  // the sheet's "call <account> <contact>"; see main() for "call Bob Smith"
            r["contact"] = w[2];
        } else usageError("call CONTACT, or call ACCOUNT CONTACT (quote names with spaces)");
        return r;
    }
    for (const char* verb : {"hangup", "accept", "decline", "hold", "resume", "mute", "unmute"}) {
        if (command != verb) continue;
        static const std::map<std::string, std::string> actions{
            {"hangup", "call.hangup"}, {"accept", "call.accept"}, {"decline", "call.decline"}, {"hold", "call.hold"},
            {"resume", "call.resume"}, {"mute", "call.mute"},     {"unmute", "call.unmute"}};
        if (w.size() > 2) usageError(command + " [CALL_ID]");
        json r{{"action", actions.at(command)}};
        if (!sub(1).empty()) r["call_id"] = sub(1);
        return r;
    }
    if (command == "dtmf") {
        if (w.size() < 2) usageError("dtmf DIGITS");
        return {{"action", "call.dtmf"}, {"digits", joinWords(w, 1)}};
    }
    if (command == "audio" && sub(1) == "volume") {
        json r{{"action", "audio.volume"}};
        if (auto d = takeOption(w, "--device")) r["device"] = *d;
        if (w.size() != 3) usageError("audio volume 0-100 [--device speaker|mic]");
        auto volume = finiteNumber(w[2]);
        if (!volume) usageError("audio volume takes a number from 0 to 100");
        r["volume"] = *volume;
        return r;
    }
    if (command == "message" && sub(1) == "send") {
        if (w.size() < 4) usageError("message send CONTACT TEXT... (quote a contact name with spaces)");
        return {{"action", "message.send"}, {"contact", w[2]}, {"message", joinWords(w, 3)}};
    }
    if (command == "message" && sub(1) == "read") {
        json r{{"action", "message.read"}};
        takeCount(w, r);
        if (w.size() > 2) r["contact"] = joinWords(w, 2);
        return r;
    }
    if (command == "daemon") {
        json r{{"action", "daemon.status"}};
        if (std::find(w.begin(), w.end(), "--start") != w.end() || sub(1) == "start") r["start"] = true;
        return r;
    }
    if (command == "intent") {
        if (w.size() < 2) usageError("intent needs the text to understand");
        return {{"action", "intent.parse"}, {"text", joinWords(w, 1)}};
    }
    if (command == "help") return {{"action", "help"}};
    if (command == "say") {
        if (w.size() < 2) usageError("say needs the text");
        return {{"text", joinWords(w, 1)}};
    }
    // Anything else is natural language: jamictl "call mom".
    return {{"text", joinWords(w, 0)}};
}

json ask(jamictl::Plugin& plugin, jami_skill* skill, const json& request) {
    char* raw = plugin.handle(skill, dump(request).c_str());
    json result = json::parse(raw);
    plugin.free_string(raw);
    return result;
}

// What `message listen` shows: what arrives, not our own echoes.
bool worthListening(const json& e) {
    const std::string type = str(e, "type");
    if (type == "message.received")
        return str(e, "direction") == "in" && e["message"].is_object() && str(e["message"], "type") == "text/plain";
    return type == "message.account" || type == "call.incoming" || type == "call.state" || type == "contact.request";
}

std::string who(const json& e) {
    std::string name = str(e, "contact");
    return name.empty() ? str(e, "peer") : name;
}

void printEvent(const json& e) {
    const std::string type = str(e, "type");
    if (type == "message.received") std::cout << "message from " << who(e) << ": " << str(e["message"], "body") << "\n";
    else if (type == "message.account") std::cout << "message from " << who(e) << ": " << str(e["payloads"], "text/plain") << "\n";
    else if (type == "call.incoming") std::cout << "incoming call from " << who(e) << " (call " << str(e, "call_id") << ")\n";
    else if (type == "call.state")
        std::cout << "call " << str(e, "call_id") << ": " << str(e, "state")
                  << (e.contains("end_reason") ? " (" + str(e, "end_reason") + ")" : "") << "\n";
    else if (type == "contact.request") std::cout << "contact request from " << who(e) << "\n";
    else std::cout << printable(dump(e)) << "\n";
    std::cout << std::flush;
}

// `events` (everything, JSON lines) and `message listen` (what arrives).
// Returns the exit status: 0, or 1 when the skill reported a failure.
int streamEvents(jamictl::Plugin& plugin, jami_skill* skill, std::vector<std::string> words, bool listen, bool json_lines) {
    auto count = takeOption(words, "--count");
    auto seconds = takeOption(words, "--for");
    auto number = [](const std::optional<std::string>& text, long fallback, const char* name) {
        if (!text) return fallback;
        try {
            std::size_t used = 0;
            long value = std::stol(*text, &used);
            if (used == text->size() && value >= 0) return value;
        } catch (...) {
        }
        usageError(std::string(name) + " takes a whole number");
    };
    long remaining = number(count, -1, "--count");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(number(seconds, 3600L * 24 * 365, "--for"));
    while (remaining != 0 && std::chrono::steady_clock::now() < deadline) {
        char* raw = plugin.next_event(skill, 500);
        if (!raw) continue;
        json e = json::parse(raw, nullptr, false);
        plugin.free_string(raw);
        if (str(e, "type") == "error") {  // the handle failed: say so and stop, rather than spin
            if (json_lines) std::cout << dump(e) << "\n" << std::flush;
            else std::cerr << "jamictl: " << str(e["error"], "message") << " [" << str(e["error"], "code") << "]\n";
            return 1;
        }
        if (listen && !worthListening(e)) continue;
        if (json_lines || !listen) std::cout << dump(e) << "\n" << std::flush;
        else printEvent(e);
        if (remaining > 0) --remaining;
    }
    return 0;
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

}  // namespace

int main(int argc, char** argv) {
    Options o;
    bool version = false;
    for (int i = 1; i < argc; ++i) {
        if (isUtf8(argv[i])) continue;
        const json error{{"ok", false},
                         {"error", {{"code", "invalid_argument"},
                                    {"message", "argument " + std::to_string(i) + " is not valid UTF-8"},
                                    {"hint", "pass names and text as UTF-8 (check the terminal's locale)"}}}};
        bool as_json = false;
        for (int j = 1; j < argc; ++j) as_json = as_json || std::strcmp(argv[j], "--json") == 0;
        if (as_json) std::cout << dump(error) << "\n";
        else std::cerr << "jamictl: " << error["error"]["message"].get<std::string>() << " [invalid_argument]\n";
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
        } else if (a == "--json") o.json_output = true;
        else if (a == "--dry-run") o.dry_run = true;
        else if (a == "--yes") o.yes = true;
        else if (a == "--tools") o.tools = value("--tools");
        else if (a == "--bus") o.bus = value("--bus");
        else if (a == "--dbus-timeout") {
            try {
                o.timeout_ms = std::stol(value("--dbus-timeout"));
            } catch (...) {
                usageError("--dbus-timeout takes milliseconds");
            }
        } else if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            return 0;
        } else if (a == "--version") version = true;
        else o.words.push_back(a);
    }

    jamictl::Plugin plugin;
    std::string load_error;
    if (!plugin.load(load_error)) {
        if (o.json_output) {
            std::cout << json{{"ok", false},
                              {"error", {{"code", "plugin_unavailable"}, {"message", load_error},
                                         {"hint", "reinstall jami-skill, or set JAMI_SKILL_PLUGIN to libjami-skill.so.1"}}}}
                             .dump()
                      << "\n";
        } else {
            std::cerr << "jamictl: " << load_error << "\n";
        }
        return 3;
    }
    if (version) {
        std::cout << "jamictl " << JAMICTL_VERSION << "\nplugin " << plugin.path << " (ABI "
                  << plugin.abi_version() << ")\n";
        return 0;
    }
    if (o.words.empty()) {
        std::cout << kUsage;
        return 2;
    }

    json options = json::object();
    options["host"] = "jamictl";
    if (o.tools) options["tools_md"] = *o.tools;
    if (o.bus) options["bus"] = *o.bus;
    if (o.dry_run) options["dry_run"] = true;
    if (o.timeout_ms) options["timeout_ms"] = *o.timeout_ms;

    char* open_error = nullptr;
    jami_skill* skill = plugin.open(options.dump().c_str(), &open_error);
    auto report = [&](const json& result) {
        if (o.json_output) std::cout << dump(result) << "\n";
        else if (result.value("ok", false)) printHuman(result);
        else printError(result);
        return result.value("ok", false) ? 0 : 1;
    };
    if (!skill) {
        json result = json::parse(open_error ? open_error : R"({"ok":false,"error":{"code":"internal_error","message":"open failed"}})");
        plugin.free_string(open_error);
        return report(result);
    }

    int status = 0;
    const bool listen = o.words.size() >= 2 && o.words[0] == "message" && o.words[1] == "listen";
    if (o.words[0] == "events" || listen) {
        status = streamEvents(plugin, skill, o.words, listen, o.json_output);
    } else {
        json request = buildRequest(o.words);
        if (o.yes) request["confirmed"] = true;
        json result = ask(plugin, skill, request);
        // "call Bob Smith" (unquoted) reads as account "Bob", contact "Smith":
        // when no such account exists, it was one contact name.
        if (request.value("action", "") == "call.start" && request.contains("account") &&
            result.contains("error") && str(result["error"], "code") == "unknown_account") {
            request["contact"] = request["account"].get<std::string>() + " " + request["contact"].get<std::string>();
            request.erase("account");
            result = ask(plugin, skill, request);
        }
        status = report(result);
        // This process ends now; the call's maximum duration must still hold.
        if (result.value("ok", false) && !result.value("dry_run", false) && result.contains("max_duration_s") &&
            result.contains("call") && result["call"].value("state", "") != "ended")
            startWatchdog(o, str(result["call"], "call_id"));
    }
    plugin.close(skill);
    return status;
}
