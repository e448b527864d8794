// Printers for people, one per action (cli/print.hpp).
#include "cli/print.hpp"

#include <cstdio>
#include <map>
#include <sstream>
#include <string_view>

#include "cli/output.hpp"

namespace jamictl {

using nlohmann::json;

std::string dump(const json& value, int indent) {
    return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

namespace {

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
        if (c < 0x20 || c == 0x7f)
            code = c;
        else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0)
            code = static_cast<unsigned char>(text[i + 1]), width = 2;
        else if (c == 0xE2 && i + 2 < text.size()) {
            const auto b = static_cast<unsigned char>(text[i + 1]), d = static_cast<unsigned char>(text[i + 2]);
            if ((b == 0x80 && (d == 0x8E || d == 0x8F || (d >= 0xAA && d <= 0xAE))) ||
                (b == 0x81 && d >= 0xA6 && d <= 0xA9))
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

}  // namespace

std::string str(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return "";
    return printable(it->is_string() ? it->get<std::string>() : dump(*it));
}

namespace {

void printContact(const json& c, const char* indent) {
    to_stdout << indent << str(c, "name");
    if (c.contains("aliases")) {
        std::string aliases;
        for (const auto& a : c["aliases"]) aliases += (aliases.empty() ? "" : ", ") + a.get<std::string>();
        to_stdout << " (" << aliases << ")";
    }
    to_stdout << ": " << str(c, "id") << "\n";
}

std::string nameOrId(const json& who) { return str(who, "name").empty() ? str(who, "id") : str(who, "name"); }

std::string callLine(const json& c) {
    std::string name = str(c, "contact").empty() ? str(c, "peer") : str(c, "contact");
    return "call " + str(c, "call_id") + " " + (str(c, "direction") == "incoming" ? "from " : "to ") + name + ": " +
           str(c, "state") + (c.contains("end_reason") ? " (" + str(c, "end_reason") + ")" : "") +
           (c.value("muted", false) ? ", muted" : "");
}

// A result no printer knows (a newer plugin's action): its members as JSON.
void printRest(const json& r) {
    json rest = r;
    rest.erase("ok");
    to_stdout << (rest.empty() ? std::string("ok") : printable(dump(rest, 2))) << "\n";
}

// --- dry runs, whatever the action

void printPlan(const json& r) {
    to_stdout << "Dry run: would " << str(r, "would");
    if (r.contains("target")) to_stdout << " (matched by " << str(r["target"], "match") << ")";
    to_stdout << ". The policy allows it. Nothing was done.\n";
    if (r.contains("intent"))
        to_stdout << "  understood as " << str(r, "intent") << " (" << str(r, "language") << ")\n";
}

void printEditPreview(const json& r) {
    to_stdout << "Dry run: " << str(r, "tools_md") << " would change like this (it was not changed):\n  ";
    if (r.contains("added"))
        printContact(r["added"], "+ ");
    else if (r.contains("removed"))
        to_stdout << "- " << str(r, "removed") << "\n";
    else
        to_stdout << str(r["renamed"], "from") << " -> " << str(r["renamed"], "to") << "\n";
}

// --- one printer per action

void printPolicy(const json& r) {
    const json& p = r["policy"];
    to_stdout << "Contacts only: " << (p.value("contacts_only", true) ? "yes" : "no") << "\n"
              << "Max calls at once: " << str(p, "max_calls_at_once") << "\n"
              << "Max call duration: " << str(p, "max_call_duration_s") << " s\n"
              << "Calls per hour: " << str(p, "calls_per_hour") << " (" << str(p, "calls_per_hour_per_contact")
              << " per contact)\n"
              << "Messages per minute: " << str(p, "messages_per_minute") << " ("
              << str(p, "messages_per_minute_per_contact") << " per contact)\n"
              << "Auto-answer: " << (p["auto_answer"].empty() ? std::string("nobody") : p["auto_answer"].dump()) << "\n"
              << "From: "
              << (str(r["pinned_file"], "path").empty() ? std::string("no pinned policy file")
                                                        : "pinned " + str(r["pinned_file"], "path"))
              << (r.value("pinned_option", false) ? ", the host's policy option" : "") << ", "
              << (str(r, "tools_md").empty() ? std::string("no TOOLS.md") : str(r, "tools_md"))
              << (r.value("tools_md_policy_kept", false) ? " (its last good policy: the file now says nothing)" : "")
              << "\nAudit log: " << str(r, "audit_log") << "\n";
}

void printAudit(const json& r) {
    if (r["entries"].empty()) to_stdout << "The audit log is empty.\n";
    for (const auto& e : r["entries"]) {
        std::string target = e.contains("target") ? nameOrId(e["target"]) : std::string();
        if (target.empty() && e.contains("target")) target = str(e["target"], "said");
        to_stdout << str(e, "time") << " " << str(e, "host") << " " << str(e, "action") << " "
                  << (target.empty() ? "" : target + " ") << str(e, "decision") << " (" << str(e, "result") << ")"
                  << (e.value("dry_run", false) ? " [dry run]" : "") << "\n";
    }
}

void printAccounts(const json& r) {
    if (r["accounts"].empty()) to_stdout << "No accounts. Create one: jamictl account create --alias NAME\n";
    for (const auto& a : r["accounts"]) {
        std::printf("%-18s %-5s %-16s %-12s %s\n", str(a, "id").c_str(), str(a, "type").c_str(),
                    str(a, "alias").c_str(), str(a, "status").c_str(), str(a, "username").c_str());
    }
}

void printAccount(const json& r) {
    if (!r.contains("account") || !r["account"].is_object()) return printRest(r);
    for (const auto& [key, value] : r["account"].items())
        to_stdout << key << ": " << printable(value.is_string() ? value.get<std::string>() : dump(value)) << "\n";
    if (r.contains("tools_md")) to_stdout << "tools_md: " << str(r["tools_md"], "path") << "\n";
}

void printContacts(const json& r) {
    const auto& source = r["tools_md"];
    to_stdout << "Contacts from " << (str(source, "path").empty() ? "(no TOOLS.md found)" : str(source, "path"))
              << ":\n";
    for (const auto& c : r["contacts"]) printContact(c, "  ");
    for (const auto& p : source.value("problems", json::array()))
        to_stdout << "  line " << str(p, "line") << ": " << str(p, "message") << "\n";
    if (r.contains("hint")) to_stdout << str(r, "hint") << "\n";
}

void printUnderstanding(const json& r) {
    to_stdout << "intent: " << str(r, "intent") << " (" << str(r, "language") << ")"
              << (r.value("dry_run", false) ? ", dry run: nothing was done" : "") << "\n";
    if (r.contains("corrected")) to_stdout << "  read as a typo: " << printable(str(r, "corrected")) << "\n";
    for (const auto& [key, value] : r["slots"].items())
        to_stdout << "  " << key << ": " << printable(value.is_string() ? value.get<std::string>() : dump(value))
                  << "\n";
    if (r.contains("contact")) {
        to_stdout << "  resolved contact: ";
        printContact(r["contact"], "");
    }
}

void printCall(const json& r) {
    if (!r.contains("call") || !r["call"].is_object()) return printRest(r);
    to_stdout << callLine(r["call"]) << (r.contains("digits") ? ", sent tones " + str(r, "digits") : "")
              << (r.contains("max_duration_s") ? " (the skill ends it after " + str(r, "max_duration_s") + " s)" : "")
              << "\n";
}

// A notify call: what was said, and the answer to the question.
void printSaid(const json& r) {
    printCall(r);
    if (r.contains("note")) to_stdout << "note: " << printable(str(r, "note")) << "\n";  // "video call Bob": audio
    if (r.contains("said") && r["said"].is_object()) {
        const json& said = r["said"];
        std::ostringstream seconds;
        seconds.precision(2);
        seconds << said.value("seconds", 0.0);
        to_stdout << "said \"" << str(said, "text") << "\" (" << seconds.str() << " s"
                  << (said.value("times", 1) > 1 ? ", " + str(said, "times") + " times" : "")
                  << (said.value("complete", true) ? "" : ", cut short: the peer hung up") << ")\n";
        if (said.contains("warning")) to_stdout << "warning: " << printable(str(said, "warning")) << "\n";
    }
    if (r.contains("warning")) to_stdout << "warning: " << printable(str(r, "warning")) << "\n";  // jamid died
    if (r.contains("hint")) to_stdout << "  hint: " << printable(str(r, "hint")) << "\n";
    if (r.contains("asked") && r["asked"].is_object()) {
        const json& asked = r["asked"];
        const json& yes = asked["acknowledged"];
        to_stdout << "asked \"" << str(asked, "question") << "\": "
                  << (yes.is_boolean() ? (yes.get<bool>() ? "yes" : "no") + std::string(" (") + str(asked, "by") + ")"
                                       : std::string("no answer"))
                  << "\n";
    }
}

void printCalls(const json& r) {
    if (r["calls"].empty()) to_stdout << "No call in progress.\n";
    for (const auto& c : r["calls"]) to_stdout << callLine(c) << "\n";
    if (r.contains("recent") && !r["recent"].empty()) {
        to_stdout << "Recent:\n";
        for (const auto& c : r["recent"]) to_stdout << "  " << callLine(c) << "\n";
    }
}

// call.status: one call, or (no id) the list.
std::string minutesSeconds(double seconds) {
    const int s = static_cast<int>(seconds + 0.5);
    return std::to_string(s / 60) + ":" + (s % 60 < 10 ? "0" : "") + std::to_string(s % 60);
}

std::string voicemailLine(const json& v) {
    std::string caller = str(v, "contact").empty() ? str(v, "peer") : str(v, "contact");
    return str(v, "time") + "  " + caller + " (" + minutesSeconds(v.value("duration_s", 0.0)) + ")  " + str(v, "id");
}

void printVoicemails(const json& r) {
    const json& rules = r["answering_machine"];
    to_stdout << "Answering machine: "
              << (rules.value("callers", json()) == "off"
                      ? std::string("off (\"- Answering machine: contacts after 20 s\" turns it on)")
                      : "answers " + printable(rules["callers"].dump()) + " after " + str(rules, "after_s") + " s" +
                            (r.value("voice", false) ? "" : "; but Voice is off, so it cannot (\"- Voice: on\")"))
              << "\n";
    if (r["voicemails"].empty()) to_stdout << "No voicemail.\n";
    for (const auto& v : r["voicemails"]) to_stdout << printable(voicemailLine(v)) << "\n";
}

void printVoicemail(const json& r) {
    const json& v = r["voicemail"];
    to_stdout << printable(voicemailLine(v)) << "\nFile: " << str(v, "file") << "\n";
    if (v.value("transcript", json()).is_string())
        to_stdout << "Transcript (the caller's words): " << printable(str(v, "transcript")) << "\n";
}

void printBridge(const json& r) {
    const json& b = r["bridge"];
    to_stdout << "Connected " << str(b, "owner") << " with " << str(b, "contact") << " for "
              << minutesSeconds(b.value("connected_s", 0.0)) << "; ended by " << str(b, "ended_by") << ".\n";
}

void printVoicemailRemoved(const json& r) { to_stdout << "Removed voicemail " << str(r, "removed") << ".\n"; }

void printCallStatus(const json& r) { r.contains("calls") ? printCalls(r) : printCall(r); }

void printMessages(const json& r) {
    if (r["messages"].empty()) to_stdout << "No messages." << (r.contains("hint") ? " " + str(r, "hint") : "") << "\n";
    for (const auto& m : r["messages"]) {
        std::string from = str(m, "from").empty() ? str(m, "author") : str(m, "from");
        to_stdout << from << ": " << str(m, "body") << "\n";
    }
}

void printRequests(const json& r) {
    if (r["requests"].empty()) to_stdout << "No pending contact requests.\n";
    for (const auto& q : r["requests"])
        to_stdout << (str(q, "contact").empty() ? "" : str(q, "contact") + " ") << str(q, "from") << "\n";
}

void printSent(const json& r) { to_stdout << "Sent to " << nameOrId(r["to"]) << " (" << str(r, "status") << ")\n"; }

void printDaemon(const json& r) {
    if (r.value("started", false)) to_stdout << "Started jamid\n";
    to_stdout << "jamid is " << (r.value("running", false) ? "running" : "not running") << " on the " << str(r, "bus")
              << " bus" << (r.contains("accounts") ? ", " + str(r, "accounts") + " account(s)" : "") << "\n";
    if (r.contains("service")) to_stdout << "run by: " << str(r, "service") << "\n";
    if (r.contains("hint")) to_stdout << str(r, "hint") << "\n";
    // Which form of each changed method or signal this jamid offers (docs/jamid.md).
    if (r.contains("interface") && r["interface"].value("known", false)) {
        for (const auto& [feature, form] : r["interface"]["features"].items())
            to_stdout << "  " << feature << ": " << form.get<std::string>() << "\n";
        for (const auto& missing : r["interface"]["missing"])
            to_stdout << "  " << missing.get<std::string>() << ": none this skill knows (daemon_unsupported)\n";
    }
}

void printDaemonStopped(const json& r) {
    to_stdout << "jamid stopped (" << str(r, "service") << ")\n";
    if (r.contains("stopped")) to_stdout << "ended: " << r["stopped"].size() << " process(es)\n";
}

void printVolume(const json& r) {
    to_stdout << str(r, "device") << " volume " << str(r, "volume") << "\n" << str(r, "note") << "\n";
}

void printAccepted(const json& r) {
    to_stdout << "Accepted the contact request from " << nameOrId(r["accepted"]) << "\n";
}
void printDeclined(const json& r) {
    to_stdout << "Declined the contact request from " << nameOrId(r["declined"]) << "\n";
}

void printAdded(const json& r) {
    to_stdout << "Added " << str(r["added"], "name") << " (" << str(r["added"], "id") << ") to " << str(r, "tools_md")
              << "\n";
}
void printRenamed(const json& r) {
    to_stdout << "Renamed " << str(r["renamed"], "from") << " to " << str(r["renamed"], "to") << " in "
              << str(r, "tools_md") << "\n";
}
void printAccountRemoved(const json& r) { to_stdout << "Removed account " << str(r, "removed") << " from jamid\n"; }

// contact.invite: {"jami": {"trust_request": sent|skipped|failed, ...}}.
void printInvited(const json& r) {
    const json& jami = r.contains("jami") ? r["jami"] : json::object();
    to_stdout << "Contact request: " << str(jami, "trust_request")
              << (jami.contains("reason") ? " (" + str(jami, "reason") + ")" : "")
              << (jami.contains("error") ? " (" + str(jami["error"], "message") + ")" : "") << "\n";
}

void printRemoved(const json& r) {
    to_stdout << "Removed " << str(r, "removed") << " from " << str(r, "tools_md") << "\n";
}

void printHelp(const json& r) {
    to_stdout << "I understand (one example each, in every language):\n";
    for (const auto& [language, examples] : r["examples"].items())
        for (const auto& e : examples) to_stdout << "  " << e.get<std::string>() << "\n";
}

using Printer = void (*)(const json&);
const std::map<std::string, Printer, std::less<>>& printers() {
    static const std::map<std::string, Printer, std::less<>> table{
        {"account.list", printAccounts},
        {"account.info", printAccount},
        {"account.create", printAccount},
        {"account.enable", printAccount},
        {"account.disable", printAccount},
        {"daemon.status", printDaemon},
        {"account.register", printAccount},
        {"account.remove", printAccountRemoved},
        {"contact.invite", printInvited},
        {"daemon.start", printDaemon},
        {"daemon.stop", printDaemonStopped},
        {"contact.list", printContacts},
        {"contact.add", printAdded},
        {"contact.remove", printRemoved},
        {"contact.rename", printRenamed},
        {"contact.requests", printRequests},
        {"contact.accept", printAccepted},
        {"contact.decline", printDeclined},
        {"policy.show", printPolicy},
        {"audit.read", printAudit},
        {"intent.parse", printUnderstanding},
        {"help", printHelp},
        {"call.start", printSaid},
        {"call.hangup", printCall},
        {"call.accept", printCall},
        {"call.decline", printCall},
        {"call.hold", printCall},
        {"call.resume", printCall},
        {"call.mute", printCall},
        {"call.unmute", printCall},
        {"call.dtmf", printCall},
        {"call.guard", printCall},
        {"call.list", printCalls},
        {"call.status", printCallStatus},
        {"message.send", printSent},
        {"message.read", printMessages},
        {"audio.volume", printVolume},
        {"call.bridge", printBridge},
        {"voicemail.list", printVoicemails},
        {"voicemail.show", printVoicemail},
        {"voicemail.remove", printVoicemailRemoved},
    };
    return table;
}

}  // namespace

void printResult(const std::string& action, const json& r) {
    if (r.value("dry_run", false)) {
        // An edit's dry run shows the change; every other one the plan.
        if (r.contains("added") || r.contains("removed") || r.contains("renamed")) return printEditPreview(r);
        if (r.contains("would")) return printPlan(r);
        if (r.contains("slots")) return printUnderstanding(r);
    }
    auto it = printers().find(action);
    if (it == printers().end()) return printRest(r);
    it->second(r);
}

void printError(const json& r) {
    const json& e = r["error"];
    to_stderr << "jamictl: " << str(e, "message") << " [" << str(e, "code") << "]\n";
    for (const char* list : {"candidates", "suggestions"}) {
        if (!r.contains(list) || r[list].empty()) continue;
        to_stderr << "  " << list << ":\n";
        for (const auto& c : r[list]) {
            to_stderr << "    "
                      << (c.contains("name") ? str(c, "name") + ": " + str(c, "id")
                                             : str(c, "id") + " " + str(c, "alias"))
                      << "\n";
        }
    }
    if (r.contains("retry_after_s"))
        to_stderr << "  rule: " << str(r, "rule") << " (" << str(r, "count") << " of " << str(r, "limit")
                  << "), retry after " << str(r, "retry_after_s") << " s\n";
    if (!str(e, "hint").empty()) to_stderr << "  hint: " << str(e, "hint") << "\n";
}

// What `message listen` shows: what the skill marks notable (someone
// reaching the user), the same events the OpenClaw plugin tells the agent.
bool worthListening(const json& e) { return e.value("notable", false); }

std::string who(const json& e) {
    std::string name = str(e, "contact");
    return name.empty() ? str(e, "peer") : name;
}

void printEvent(const json& e) {
    const std::string type = str(e, "type");
    if (type == "message.received")
        to_stdout << "message from " << who(e) << ": " << str(e["message"], "body") << "\n";
    else if (type == "message.account")
        to_stdout << "message from " << who(e) << ": " << str(e["payloads"], "text/plain") << "\n";
    else if (type == "call.incoming")
        to_stdout << "incoming call from " << who(e) << " (call " << str(e, "call_id") << ")\n";
    else if (type == "call.state")
        to_stdout << "call " << str(e, "call_id") << ": " << str(e, "state")
                  << (e.contains("end_reason") ? " (" + str(e, "end_reason") + ")" : "") << "\n";
    else if (type == "contact.request")
        to_stdout << "contact request from " << who(e) << "\n";
    else if (type == "voicemail" && e.value("empty", false))
        to_stdout << "missed call from " << who(e) << ": the answering machine answered, no message\n";
    else if (type == "voicemail")
        to_stdout << "voicemail from " << who(e) << " (" << minutesSeconds(e.value("duration_s", 0.0)) << "): "
                  << (e.value("transcript", json()).is_string() ? printable(str(e, "transcript"))
                                                                : "jamictl voicemail show " + str(e, "id"))
                  << "\n";
    else
        to_stdout << printable(dump(e)) << "\n";
    to_stdout << flush;
}

}  // namespace jamictl
