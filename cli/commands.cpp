// jamictl's command table and what is generated from it (cli/commands.hpp).
#include "cli/commands.hpp"

#include "cli/host.hpp"
#include "cli/output.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace jamictl {

using nlohmann::json;

void usageError(const std::string& message) {
    to_stderr << "jamictl: " << message << "\nTry 'jamictl --help'.\n";
    std::exit(2);
}

std::optional<std::string> takeOption(Words& words, const std::string& name) {
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

namespace {

std::string joinWords(const Words& words, std::size_t from) {
    std::string text;
    for (std::size_t i = from; i < words.size(); ++i) text += (i > from ? " " : "") + words[i];
    return text;
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
void takeCount(Words& words, json& request) {
    if (auto c = takeOption(words, "--count")) {
        try {
            request["count"] = std::stoi(*c);
        } catch (...) {
            usageError("--count takes a number");
        }
    }
}

// --- request builders the rows share

// Just the command's words: {"action"}.
json noArgs(const Command& c, Words& w) {
    if (w.size() > ownWords(c))
        usageError("unexpected argument '" + w[ownWords(c)] + "'; usage: " + std::string(c.synopsis));
    return {{"action", c.action}};
}

// The command's words and at most one more, as the row's `key`.
json optionalArg(const Command& c, Words& w) {
    const std::size_t own = ownWords(c);
    if (w.size() > own + 1) usageError("unexpected argument '" + w[own + 1] + "'; usage: " + std::string(c.synopsis));
    json r{{"action", c.action}};
    if (w.size() == own + 1) r[std::string(c.key)] = w[own];
    return r;
}

// The rest of the line as the row's `key`, required (names may have unquoted spaces).
json restOfLine(const Command& c, Words& w) {
    if (w.size() <= ownWords(c)) usageError("usage: " + std::string(c.synopsis));
    return {{"action", c.action}, {std::string(c.key), joinWords(w, ownWords(c))}};
}

json accountCreate(const Command& c, Words& w) {
    json r{{"action", c.action}};
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

json accountRegister(const Command& c, Words& w) {
    json r{{"action", c.action}};
    if (auto a = takeOption(w, "--account")) r["account"] = *a;
    if (auto p = takeOption(w, "--password")) r["password"] = *p;
    if (w.size() != 3) usageError("usage: " + std::string(c.synopsis));
    r["name"] = w[2];
    return r;
}

json contactAdd(const Command& c, Words& w) {
    json aliases = json::array();
    while (auto a = takeOption(w, "--alias")) aliases.push_back(*a);
    if (w.size() != 4) usageError("contact add NAME ID [--alias ALIAS]... (quote names with spaces)");
    json r{{"action", c.action}, {"name", w[2]}, {"id", w[3]}};
    if (!aliases.empty()) r["aliases"] = aliases;
    return r;
}

json contactRename(const Command& c, Words& w) {
    if (w.size() != 4) usageError("contact rename OLD NEW (quote names with spaces)");
    return {{"action", c.action}, {"contact", w[2]}, {"new_name", w[3]}};
}

json callStart(const Command& c, Words& w) {
    json r{{"action", c.action}};
    if (auto wait = takeOption(w, "--wait")) r["wait"] = *wait;
    if (auto say = takeOption(w, "--say")) r["say"] = *say;
    if (auto ask = takeOption(w, "--ask")) r["ask"] = *ask;
    if (auto repeat = takeOption(w, "--repeat")) {
        auto times = finiteNumber(*repeat);
        if (!times) usageError("--repeat takes a number of times (1-5)");
        r["repeat"] = *times;
    }
    if (auto t = takeOption(w, "--timeout")) {
        auto seconds = finiteNumber(*t);
        if (!seconds) usageError("--timeout takes seconds");
        r["timeout_s"] = *seconds;
    }
    if (w.size() == 2)
        r["contact"] = w[1];
    else if (w.size() == 3) {
        r["account"] = w[1];  // the sheet's "call <account> <contact>"; see main() for "call Bob Smith"
        r["contact"] = w[2];
    } else
        usageError("call CONTACT, or call ACCOUNT CONTACT (quote names with spaces)");
    return r;
}

json callBridge(const Command& c, Words& w) {
    json r{{"action", c.action}};
    if (auto t = takeOption(w, "--timeout")) {
        auto seconds = finiteNumber(*t);
        if (!seconds) usageError("--timeout takes seconds");
        r["timeout_s"] = *seconds;
    }
    if (w.size() < 3) usageError("usage: " + std::string(c.synopsis));
    r["contact"] = joinWords(w, 2);
    return r;
}

json audioVolume(const Command& c, Words& w) {
    json r{{"action", c.action}};
    if (auto d = takeOption(w, "--device")) r["device"] = *d;
    if (w.size() != 3) usageError("usage: " + std::string(c.synopsis));
    auto volume = finiteNumber(w[2]);
    if (!volume) usageError("audio volume takes a number from 0 to 100");
    r["volume"] = *volume;
    return r;
}

json messageSend(const Command& c, Words& w) {
    if (w.size() < 4) usageError("message send CONTACT TEXT... (quote a contact name with spaces)");
    return {{"action", c.action}, {"contact", w[2]}, {"message", joinWords(w, 3)}};
}

json messageReply(const Command& c, Words& w) {
    if (w.size() < 4) usageError("message reply PEER TEXT... (a Jami ID, or a contact's name)");
    return {{"action", c.action}, {"peer", w[2]}, {"message", joinWords(w, 3)}};
}

json messageRead(const Command& c, Words& w) {
    json r{{"action", c.action}};
    takeCount(w, r);
    if (w.size() > 2) r["contact"] = joinWords(w, 2);
    return r;
}

// A command whose only option is --count (audit, voicemail list).
json countOnly(const Command& c, Words& w) {
    json r{{"action", c.action}};
    takeCount(w, r);
    if (w.size() > 1) usageError("unexpected argument '" + w[1] + "'; usage: " + std::string(c.synopsis));
    return r;
}

json say(const Command& c, Words& w) {
    if (w.size() < 2) usageError("usage: " + std::string(c.synopsis));
    return {{"text", joinWords(w, 1)}};
}

// "help", or "help me ...": what is understood, whatever follows.
json help(const Command& c, Words&) { return {{"action", c.action}}; }

json streamed(const Command&, Words&) { return json::object(); }  // never sent: jamictl carries it out itself

constexpr std::string_view kAccounts = "Accounts";
constexpr std::string_view kContacts = "Contacts (from the \"## Jami Configuration\" section of TOOLS.md)";
constexpr std::string_view kContactsOnJamid = "Contacts on jamid";
constexpr std::string_view kSafety = "Safety (docs/policy.md)";
constexpr std::string_view kCalls = "Calls (CALL_ID: optional when there is only one call it can mean)";
constexpr std::string_view kMessages = "Messages";
constexpr std::string_view kDaemon = "Daemon";
constexpr std::string_view kSetup = "Setup (docs/deploy.md)";
constexpr std::string_view kLanguage = "Language";
constexpr std::string_view kVoicemail = "Answering machine (docs/voice.md)";
constexpr std::string_view kEvents = "Events";

}  // namespace

const std::vector<Command>& commands() {
    static const std::vector<Command> table{
        {kAccounts, "account list", "accounts jamid has, with their status", "account.list", noArgs},
        {kAccounts, "account info [ACCOUNT]",
         "one account (id, alias or Jami ID; default:\nthe TOOLS.md account, else the only one)", "account.info",
         optionalArg, "account"},
        {kAccounts, "account create [--type jami|sip] [--alias NAME] [--detail KEY=VALUE]...",
         "create an account on jamid", "account.create", accountCreate},
        {kAccounts, "account remove ACCOUNT", "remove an account (asks jamid; may take seconds)", "account.remove",
         restOfLine, "account"},
        {kAccounts, "account enable [ACCOUNT]", "switch an account on (persistent)", "account.enable", optionalArg,
         "account"},
        {kAccounts, "account disable [ACCOUNT]", "switch an account off (persistent)", "account.disable", optionalArg,
         "account"},
        {kAccounts, "account register NAME [--account ACCOUNT] [--password P]",
         "register a Jami username on the name server", "account.register", accountRegister},

        {kContacts, "contact list", "your contacts, and where they were read from", "contact.list", noArgs},
        {kContacts, "contact add NAME ID [--alias ALIAS]... --yes",
         "add a contact (ID: 40-hex Jami ID, username or sip: URI);\nonly that line of TOOLS.md changes", "contact.add",
         contactAdd},
        {kContacts, "contact remove NAME --yes", "remove a contact from TOOLS.md", "contact.remove", restOfLine,
         "contact"},
        {kContacts, "contact rename OLD NEW --yes",
         "rename a contact (its aliases and ID stay)\n(without --yes these say what they would do, and stop)",
         "contact.rename", contactRename},

        {kSafety, "policy", "who may be reached, and the limits in force", "policy.show", noArgs},
        {kSafety, "audit [--count N]", "the newest audit log entries: what was done or refused", "audit.read",
         countOnly},

        {kCalls, "call CONTACT [--wait answered|ended] [--timeout S] [--say TEXT [--repeat N] [--ask QUESTION]]",
         "call a contact from TOOLS.md (or a Jami ID / sip: URI);\n"
         "with --wait, wait boundedly (unanswered calls are hung up);\n"
         "with --say, speak TEXT once answered, then hang up (needs\n"
         "\"- Voice: on\" in TOOLS.md; docs/voice.md); --ask: then a\n"
         "yes/no question, and whether a yes came back (spoken, or\n"
         "typed by the callee: \"ok\", \"1\", \"好\"...);\n"
         "also: call ACCOUNT CONTACT",
         "call.start", callStart},
        {kCalls, "call bridge CONTACT [--timeout S]",
         "connect you (\"- Owner: NAME\") with CONTACT: both are called,\n"
         "then joined in one call; ends when either hangs up\n"
         "(needs \"- Voice: on\" and \"- Max calls at once: 2\")",
         "call.bridge", callBridge},
        {kCalls, "call list", "calls in progress", "call.list", noArgs},
        {kCalls, "voice status",
         "whether calls may carry the assistant's voice (\"- Voice: on\"),\nand jamid's microphone and speaker",
         "voice.status", noArgs},
        {kCalls, "call status [CALL_ID]", "one call, even after it ended (call log); no id: all", "call.status",
         optionalArg, "call_id"},
        {kCalls, "call guard CALL_ID",
         "end a call the skill placed at its maximum duration\n"
         "(jamictl starts one, detached, for every call it places)",
         "call.guard", restOfLine, "call_id"},
        {kCalls, "hangup [CALL_ID]", "hang up", "call.hangup", optionalArg, "call_id"},
        {kCalls, "accept [CALL_ID]", "answer the ringing call", "call.accept", optionalArg, "call_id"},
        {kCalls, "decline [CALL_ID]", "refuse the ringing call", "call.decline", optionalArg, "call_id"},
        {kCalls, "hold [CALL_ID]", "put the call on hold", "call.hold", optionalArg, "call_id"},
        {kCalls, "resume [CALL_ID]", "resume the held call", "call.resume", optionalArg, "call_id"},
        {kCalls, "mute [CALL_ID]", "mute your microphone in the call", "call.mute", optionalArg, "call_id"},
        {kCalls, "unmute [CALL_ID]", "unmute it", "call.unmute", optionalArg, "call_id"},
        {kCalls, "dtmf DIGITS", "touch tones (0-9 * # A-D) to the active call", "call.dtmf", restOfLine, "digits"},
        {kCalls, "audio volume 0-100 [--device speaker|mic]", "the speaker's or the microphone's volume",
         "audio.volume", audioVolume},

        {kMessages, "message send CONTACT TEXT...", "send through the contact's Jami conversation", "message.send",
         messageSend},
        {kMessages, "message reply PEER TEXT...",
         "answer someone who wrote to you (their Jami ID), even when they are no contact: into the "
         "conversation they joined, or while their contact request waits, as a plain message",
         "message.reply", messageReply},
        {kMessages, "message read [CONTACT] [--count N]", "recent messages (default 10)", "message.read", messageRead},
        {kMessages,
         "message listen [--count N] [--for SECONDS]",
         "incoming messages, calls and contact requests, as they come",
         "",
         streamed,
         {},
         listenMessages},

        {kVoicemail, "voicemail list [--count N]",
         "messages the answering machine took, newest first; it answers\n"
         "(\"- Answering machine: contacts after 20 s\", with \"- Voice: on\")\n"
         "while a host listens: message listen, or the OpenClaw Gateway",
         "voicemail.list", countOnly},
        {kVoicemail, "voicemail show ID", "one message: caller, time, length, file, transcript", "voicemail.show",
         restOfLine, "id"},
        {kVoicemail, "voicemail remove ID", "delete one message and its recording", "voicemail.remove", restOfLine,
         "id"},

        {kContactsOnJamid, "contact requests", "pending contact (trust) requests", "contact.requests", noArgs},
        {kContactsOnJamid, "contact accept NAME|ID", "accept one", "contact.accept", restOfLine, "contact"},
        {kContactsOnJamid, "contact decline NAME|ID", "refuse one", "contact.decline", restOfLine, "contact"},
        {kContactsOnJamid, "contact invite NAME", "(re)send a contact request to a TOOLS.md contact", "contact.invite",
         restOfLine, "contact"},

        {kDaemon,
         "daemon [status]",
         "is jamid reachable, on which bus, and how it is run",
         "daemon.status",
         streamed,
         {},
         daemonStatus},
        {kDaemon,
         "daemon start",
         "start jamid: the systemd user unit jami-skill-jamid.service when\n"
         "installed (lingering on), else D-Bus activation on the session bus,\n"
         "else a private bus of its own (found again by jamictl and the plugin)",
         "daemon.start",
         streamed,
         {},
         daemonStart},
        {kDaemon, "daemon stop", "stop the jamid that daemon start started", "", streamed, {}, daemonStop},
        {kSetup,
         "setup [--name NAME] [--owner ID|NAME [--owner-name NAME]] [--username U] [--qr-file FILE] [--wait-owner S]",
         "make this machine an assistant on Jami, step by step (each done\n"
         "once): jamid started, a Jami account (alias NAME) on the network,\n"
         "its ID and a QR code for the Jami app (--qr-file: .svg or .png),\n"
         "the contact book completed (account, \"Contacts only: yes\", you as\n"
         "owner), your contact request accepted; --account picks an account,\n"
         "--detail KEY=VALUE sets jamid settings of a new one, --timeout S\n"
         "bounds the wait for the network (60)",
         "setup.section",
         streamed,
         {},
         setup,
         /*makes_tools_md=*/true},

        {kLanguage, "intent \"TEXT\"", "show how TEXT is understood; never acts", "intent.parse", restOfLine, "text"},
        {kLanguage, "say \"TEXT\"", "understand TEXT and do it (also: jamictl \"TEXT\")", "", say},
        {kLanguage, "help", "every intent the skill understands, with examples", "help", help},

        {kEvents,
         "events [--count N] [--for SECONDS]",
         "print jamid events (calls, messages) as JSON lines",
         "",
         streamed,
         {},
         streamEvents},
    };
    return table;
}

std::size_t ownWords(const Command& c) {
    std::size_t count = 0;
    for (std::size_t at = 0; at < c.synopsis.size();) {
        const std::size_t end = std::min(c.synopsis.find(' ', at), c.synopsis.size());
        const std::string_view token = c.synopsis.substr(at, end - at);
        if (token.empty() || !std::all_of(token.begin(), token.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; }))
            break;
        ++count;
        at = end + 1;
    }
    return count;
}

const Command* findCommand(const Words& w) {
    const Command* best = nullptr;
    for (const auto& c : commands()) {
        const std::size_t own = ownWords(c);
        if (own > w.size() || (best && own <= ownWords(*best))) continue;
        bool same = true;
        for (std::size_t i = 0, at = 0; i < own && same; ++i) {
            const std::size_t end = std::min(c.synopsis.find(' ', at), c.synopsis.size());
            same = w[i] == c.synopsis.substr(at, end - at);
            at = end + 1;
        }
        if (same) best = &c;
    }
    return best;
}

std::optional<std::string> subcommandsOf(std::string_view first) {
    // Only words no sentence starts with: "message Bob hi" and "contact mom"
    // are sentences.
    if (first != "account" && first != "audio") return std::nullopt;
    std::string list;
    for (const auto& c : commands()) {
        if (!c.synopsis.starts_with(std::string(first) + " ")) continue;
        const std::string_view rest = c.synopsis.substr(first.size() + 1);
        list += (list.empty() ? "" : ", ") + std::string(rest.substr(0, rest.find(' ')));
    }
    return std::string(first) + " takes " + list;
}

namespace {

constexpr std::string_view kName = "jamictl - call and message people over Jami, from the command line or an AI agent";

// The global options, each with its help lines ('\n' between them).
struct OptionHelp {
    std::string_view flags, help;
};
constexpr OptionHelp kOptions[] = {
    {"--json",
     "print the result as one JSON object (errors too, on stdout);\nwith --help, this table of commands as JSON"},
    {"--tools PATH",
     "the TOOLS.md (or AGENTS.md) with your contacts\n"
     "(default: $JAMI_SKILL_TOOLS, ./TOOLS.md, the OpenClaw/Clawdbot workspace)"},
    {"--bus ADDRESS",
     "D-Bus address of jamid's bus (default: the session bus, else the\n"
     "private bus `daemon start` made, found in its bus file)"},
    {"--pulse ADDRESS", "the sound server jamid uses, for --say (default: PULSE_SERVER / the session's)"},
    {"--transcriber CMD",
     "a program that prints the words of a WAV file given last (e.g. whisper-cli\n"
     "-m MODEL -nt -f): voicemails heard by message listen get a transcript"},
    {"--dry-run",
     "say what would be done (to whom, and whether the policy allows it);\n"
     "change nothing: neither TOOLS.md nor jamid"},
    {"--yes",
     "the user confirmed: needed to add, rename or remove contacts, remove an\n"
     "account, give raw account settings, or answer a caller who is no contact"},
    {"--dbus-timeout MS", "D-Bus call timeout in milliseconds (default 10000)"},
    {"-h, --help", "this help;  --version  versions of jamictl and the plugin"},
};
constexpr std::string_view kExamples[] = {
    "jamictl setup --owner 0123456789abcdef0123456789abcdef01234567",
    "jamictl account list",
    "jamictl call mom --wait answered --timeout 30",
    "jamictl message send \"Bob Smith\" running late, sorry",
    "jamictl --json message listen",
    "jamictl --json account info",
    "jamictl intent \"send Bob running late\"",
    "jamictl --dry-run \"给妈妈打电话\"",
    "jamictl contact add \"Carol Chen\" 0123456789abcdef0123456789abcdef01234567 --yes",
    "jamictl \"hang up\"",
};
constexpr std::string_view kExitStatus =
    "0 success, 1 the skill reported an error (see \"error.code\"),\n"
    "2 wrong usage, 3 the plugin (libjami-skill.so.1) could not be loaded\n"
    "(with --json: error.code \"plugin_unavailable\").";
constexpr std::string_view kEnvironment =
    "JAMI_SKILL_TOOLS (contact book), JAMI_SKILL_POLICY (pinned policy file,\n"
    "default ~/.config/jami-skill/policy.md), JAMI_SKILL_PLUGIN (plugin path), XDG_STATE_HOME\n"
    "(call log, audit log, outbound ledger, the private bus's file under jami-skill/),\n"
    "JAMI_SKILL_JAMID (jamid's path for daemon start; default /usr/libexec/jamid).";

// `text`'s lines, each after `first` (the first line) or `rest` (the others).
std::string indented(std::string_view text, const std::string& first, const std::string& rest) {
    std::string out;
    for (std::size_t at = 0; at <= text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        out += (at == 0 ? first : rest) + std::string(text.substr(at, end - at)) + "\n";
        at = end + 1;
    }
    return out;
}

// Text for roff: backslashes, dashes and quotes escaped, and a line that
// would start with a control character ('.' or '\'') made plain text.
std::string roff(std::string_view text) {
    std::string out;
    bool line_start = true;
    for (char c : text) {
        if (line_start && (c == '.' || c == '\'')) out += "\\&";
        out += c == '\\' ? "\\e" : c == '-' ? "\\-" : c == '"' ? "\\(dq" : std::string(1, c);
        line_start = c == '\n';
    }
    return out;
}

}  // namespace

std::string usageText() {
    std::string out = std::string(kName) + R"(

Usage: jamictl [options] <command> [arguments]
       jamictl [options] "<what you want, in English or Chinese>"
)";
    constexpr std::size_t kColumn = 39;  // where the help lines start
    std::string_view section;
    for (const auto& c : commands()) {
        if (c.section != section) {
            section = c.section;
            out += "\n" + std::string(section) + "\n";
        }
        std::string line = "  " + std::string(c.synopsis);
        line += line.size() + 1 > kColumn ? "\n" + std::string(kColumn, ' ') : std::string(kColumn - line.size(), ' ');
        out += indented(c.help, line, std::string(kColumn, ' '));
    }
    out += "\nOptions\n";
    for (const auto& o : kOptions) {
        std::string line = "  " + std::string(o.flags);
        line += std::string(22 - line.size(), ' ');
        out += indented(o.help, line, std::string(22, ' '));
    }
    out += "\nExamples\n";
    for (const auto& e : kExamples) out += "  " + std::string(e) + "\n";
    out += "\nExit status: " + std::string(kExitStatus) + "\nEnvironment: " + std::string(kEnvironment) + "\n";
    return out;
}

std::string manPage(std::string_view version) {
    std::string out = ".TH JAMICTL 1 \"\" \"jami-skill " + std::string(version) + "\" \"User Commands\"\n.SH NAME\n" +
                      roff(kName) +
                      "\n.SH SYNOPSIS\n.B jamictl\n[\\fIoptions\\fR] \\fIcommand\\fR [\\fIarguments\\fR]\n.br\n"
                      ".B jamictl\n[\\fIoptions\\fR] \"\\fIwhat you want, in English or Chinese\\fR\"\n"
                      ".SH DESCRIPTION\njamictl drives the Jami daemon (jamid) over D\\-Bus through the jami\\-skill "
                      "library: the commands below, or a sentence. Contacts, the account and the policy come from "
                      "the \"## Jami Configuration\" section of TOOLS.md (or AGENTS.md). On a machine without a "
                      "desktop, start with \\fBjamictl setup\\fR.\n.SH COMMANDS\n";
    std::string_view section;
    for (const auto& c : commands()) {
        if (c.section != section) {
            section = c.section;
            out += ".SS " + roff(section) + "\n";
        }
        out += ".TP\n.B " + roff(c.synopsis) + "\n";
        std::string help(c.help);
        std::replace(help.begin(), help.end(), '\n', ' ');
        out += roff(help) + "\n";
    }
    out += ".SH OPTIONS\n";
    for (const auto& o : kOptions) {
        std::string help(o.help);
        std::replace(help.begin(), help.end(), '\n', ' ');
        out += ".TP\n.B " + roff(o.flags) + "\n" + roff(help) + "\n";
    }
    out += ".SH EXAMPLES\n";
    for (const auto& e : kExamples) out += ".nf\n" + roff(e) + "\n.fi\n";
    std::string exit_status(kExitStatus), environment(kEnvironment);
    std::replace(exit_status.begin(), exit_status.end(), '\n', ' ');
    std::replace(environment.begin(), environment.end(), '\n', ' ');
    out += ".SH EXIT STATUS\n" + roff(exit_status) + "\n.SH ENVIRONMENT\n" + roff(environment) +
           "\n.SH FILES\n.TP\n.B /usr/lib/systemd/user/jami\\-skill\\-jamid.service\njamid as a systemd user "
           "service (\\fBjamictl daemon start\\fR)\n.TP\n.B /usr/share/jami\\-skill/\nthe skill folder for "
           "Clawdbot/OpenClaw and the OpenClaw plugin\n.SH SEE ALSO\n\\fBjamid\\fR, docs/deploy.md\n";
    return out;
}

json commandsJson() {
    json out = json::array();
    for (const auto& c : commands())
        out.push_back({{"section", c.section}, {"synopsis", c.synopsis}, {"help", c.help}, {"action", c.action}});
    return out;
}

}  // namespace jamictl
