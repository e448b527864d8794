#include "contacts/tools_md.hpp"

#include "contacts/name_keys.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

namespace jskill::contacts {
namespace {

constexpr std::string_view kSectionTitle = "jami configuration";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string asciiLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The lines of the text, without the BOM and the line endings.
std::vector<std::string_view> linesOf(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    return files::splitLines(text);
}

// "## Title" -> level 2; not a heading -> 0.
int headingLevel(std::string_view line, std::string_view* title) {
    std::size_t level = 0;
    while (level < line.size() && line[level] == '#') ++level;
    if (level == 0 || level > 6 || level >= line.size() || line[level] != ' ') return 0;
    *title = trim(line.substr(level + 1));
    while (title->ends_with('#')) *title = trim(title->substr(0, title->size() - 1));
    return static_cast<int>(level);
}

bool isFence(std::string_view line) {
    auto t = trim(line);
    return t.starts_with("```") || t.starts_with("~~~");
}

// "  - text" -> indentation (tabs count as 4) and text; nullopt if no bullet.
struct Bullet {
    int indent;
    std::string_view text;
};
std::optional<Bullet> bullet(std::string_view line) {
    int indent = 0;
    std::size_t i = 0;
    for (; i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i) indent += line[i] == '\t' ? 4 : 1;
    if (i + 1 >= line.size() || (line[i] != '-' && line[i] != '*' && line[i] != '+') ||
        (line[i + 1] != ' ' && line[i + 1] != '\t'))
        return std::nullopt;
    return Bullet{indent, trim(line.substr(i + 2))};
}

// Splits "key: value" at the first ": " (or full-width colon). A bare
// trailing ':' ("Contacts:") gives an empty value. sip: URIs in the value keep
// their colons because only the first separator counts.
std::optional<std::pair<std::string_view, std::string_view>> keyValue(std::string_view text) {
    std::size_t best = std::string_view::npos, width = 0;
    for (std::string_view sep : {": ", ":\t", "\xEF\xBC\x9A"}) {  // U+FF1A
        auto at = text.find(sep);
        if (at != std::string_view::npos && at < best) {
            best = at;
            width = sep.size();
        }
    }
    if (best == std::string_view::npos) {
        if (text.ends_with(':')) return std::pair{trim(text.substr(0, text.size() - 1)), std::string_view{}};
        return std::nullopt;
    }
    return std::pair{trim(text.substr(0, best)), trim(text.substr(best + width))};
}

std::string_view unquote(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && ((s.front() == '`' && s.back() == '`') || (s.front() == '"' && s.back() == '"')))
        s = trim(s.substr(1, s.size() - 2));
    return s;
}

// "Mom (mother, 妈妈, 老妈)" -> name "Mom", aliases {mother, 妈妈, 老妈}.
// Chinese full-width parentheses and commas are accepted too.
void splitAliases(std::string_view text, Contact& contact) {
    std::size_t open = std::string_view::npos, open_width = 0;
    for (std::string_view p : {"(", "\xEF\xBC\x88"}) {
        auto at = text.find(p);
        if (at != std::string_view::npos && at < open) {
            open = at;
            open_width = p.size();
        }
    }
    if (open == std::string_view::npos) {
        contact.name = std::string(trim(text));
        return;
    }
    contact.name = std::string(trim(text.substr(0, open)));
    std::string_view rest = text.substr(open + open_width);
    for (std::string_view p : {")", "\xEF\xBC\x89"}) {
        auto at = rest.rfind(p);
        if (at != std::string_view::npos) {
            rest = rest.substr(0, at);
            break;
        }
    }
    std::string list(rest);
    for (std::string_view sep : {"\xEF\xBC\x8C", "\xE3\x80\x81"}) {  // ，、
        for (auto at = list.find(sep); at != std::string::npos; at = list.find(sep)) list.replace(at, sep.size(), ",");
    }
    std::string_view items(list);
    while (!items.empty()) {
        auto comma = items.find(',');
        auto alias = trim(items.substr(0, comma));
        if (!alias.empty()) contact.aliases.emplace_back(alias);
        if (comma == std::string_view::npos) break;
        items.remove_prefix(comma + 1);
    }
}

// Every spelling a contact answers to, case-folded: the keys that must be
// unique across the contact book.
std::vector<std::string> nameKeys(const Contact& contact) {
    std::vector<std::string> keys{exactKey(contact.name)};
    for (const auto& alias : contact.aliases) keys.push_back(exactKey(alias));
    return keys;
}

bool spelledInAscii(const Contact& contact) {
    auto ascii = [](std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    };
    return ascii(contact.name) && std::all_of(contact.aliases.begin(), contact.aliases.end(), ascii);
}

bool isHex(std::string_view s) {
    // Not std::isxdigit: a locale-aware libc call per byte is most of the
    // parse time of a 10,000-contact file.
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

bool isAccountRef(std::string_view id) { return (id.size() == 16 && isHex(id)) || isJamiId(id); }

}  // namespace

std::string nameProblem(std::string_view name) {
    if (name.empty() || exactKey(name).empty()) return "a contact needs a name";
    if (name.size() > 128) return "a contact name or alias is at most 128 bytes";
    for (std::string_view bad :
         {":", "(", ")", ",", "\xEF\xBC\x9A", "\xEF\xBC\x88", "\xEF\xBC\x89", "\xEF\xBC\x8C", "\xE3\x80\x81"})
        if (name.find(bad) != std::string_view::npos)
            return "a contact name or alias cannot contain ':', '(', ')', ',' "
                   "(or their full-width forms, or '\xE3\x80\x81')";
    if (name.find("<!--") != std::string_view::npos || name.find("-->") != std::string_view::npos ||
        name.find("```") != std::string_view::npos || name.find("~~~") != std::string_view::npos)
        return "a contact name cannot contain \"<!--\", \"-->\" or a code fence";
    if (hasControlOrBidi(name))
        return "a contact name cannot contain control characters, line breaks or bidi overrides";
    return {};
}

namespace {

// "30 min", "90 s", "1 h", "45" (`bare_unit_s`: minutes unless told) ->
// seconds; nullopt when malformed.
std::optional<int> parseDuration(std::string_view value, int bare_unit_s = 60) {
    std::size_t digits = 0;
    while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') ++digits;
    if (digits == 0 || digits > 6) return std::nullopt;
    const int n = std::atoi(std::string(value.substr(0, digits)).c_str());
    const std::string unit = asciiLower(trim(value.substr(digits)));
    if (unit.empty()) return n * bare_unit_s;
    if (unit == "m" || unit == "min" || unit == "mins" || unit == "minute" || unit == "minutes") return n * 60;
    if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds") return n;
    if (unit == "h" || unit == "hour" || unit == "hours") return n * 3600;
    return std::nullopt;
}

// "<id>, <id>": exact ids (40-hex Jami IDs or sip: URIs); anything else
// (a name) is reported, never looked up: a name can be renamed by anyone
// who edits the book.
std::vector<std::string> exactIds(std::string_view items, std::string_view key, int line,
                                  std::vector<Problem>& problems) {
    std::vector<std::string> ids;
    while (!items.empty()) {
        auto comma = items.find(',');
        auto id = trim(items.substr(0, comma));
        if (!id.empty()) {
            if (isValidContactId(id) && isAddress(id))
                ids.emplace_back(id);
            else
                problems.push_back({line, std::string(key) + " takes exact ids (40-hex Jami IDs or sip: URIs), not \"" +
                                              std::string(id) + "\""});
        }
        if (comma == std::string_view::npos) break;
        items.remove_prefix(comma + 1);
    }
    return ids;
}

std::optional<int> parseCount(std::string_view value) {
    if (value.empty() || value.size() > 6 ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return std::atoi(std::string(value).c_str());
}

}  // namespace

bool parsePolicyLine(std::string_view key_text, std::string_view raw, int line, PolicySettings& policy,
                     std::vector<Problem>& problems) {
    const std::string key = asciiLower(key_text);
    const std::string_view value = unquote(raw);
    // A yes/no line; a value not understood takes the safe reading, said.
    auto yesNo = [&](std::optional<bool>& field, bool safe, const char* words) {
        const std::string v = asciiLower(value);
        if (v == "yes" || v == "true" || v == "on")
            field = true;
        else if (v == "no" || v == "false" || v == "off")
            field = false;
        else {
            field = safe;
            problems.push_back({line, std::string(key_text) + " is " + words + ", not \"" + std::string(raw) +
                                          "\"; read as " + (safe ? "yes" : "no")});
        }
        return true;
    };
    if (key == "contacts only") return yesNo(policy.contacts_only, true, "\"yes\" or \"no\"");
    // Voice off, the safe reading: the daemon's audio stays as it is.
    if (key == "voice") return yesNo(policy.voice, false, "\"on\" or \"off\"");
    if (key == "max call duration") {
        auto seconds = parseDuration(value);
        if (!seconds || *seconds < 1)
            problems.push_back({line, "Max call duration is a time such as \"30 min\" or \"90 s\""});
        else
            policy.max_call_seconds = *seconds;
        return true;
    }
    if (key == "auto-answer" || key == "auto answer") {
        const std::string off = asciiLower(value);
        policy.auto_answer = off == "no" || off == "off" || off == "nobody" || off == "none"
                                 ? std::vector<std::string>{}
                                 : exactIds(value, key_text, line, problems);
        return true;
    }
    if (key == "answering machine") {
        // "<who> [after <delay>]": who is off, contacts, or exact ids.
        AnsweringSetting setting;
        std::string_view who = value;
        const std::string lower = asciiLower(value);
        if (auto after = lower.rfind(" after "); after != std::string::npos) {
            auto delay = parseDuration(trim(value.substr(after + 7)), /*bare_unit_s=*/1);
            if (!delay || *delay > 600)
                problems.push_back({line, "Answering machine waits \"after 20 s\" (at most 10 min), not \"" +
                                              std::string(value.substr(after + 1)) + "\""});
            else
                policy.answer_after_seconds = *delay;
            who = trim(value.substr(0, after));
        }
        const std::string w = asciiLower(who);
        if (w == "off" || w == "no" || w == "nobody" || w == "none") {
            policy.answering_machine = AnsweringSetting{};
            return true;
        }
        setting.on = true;
        if (w == "contacts" || w == "my contacts" || w == "on" || w == "yes") {
            setting.contacts = true;
        } else {
            setting.ids = exactIds(who, key_text, line, problems);
            if (setting.ids->empty()) setting.on = false;  // nobody understood: answer nobody
        }
        policy.answering_machine = setting;
        return true;
    }
    if (key == "greeting" || key == "greeting zh") {
        std::string text(value);
        if (text.empty() || text.size() > 1000 || hasControlOrBidi(text))
            problems.push_back({line, std::string(key_text) + " is one line of plain text, at most 1000 bytes"});
        else
            (key == "greeting" ? policy.greeting : policy.greeting_zh) = text;
        return true;
    }
    if (key == "owner") {
        if (auto problem = nameProblem(value); !problem.empty())
            problems.push_back({line, "Owner is the name of a contact: " + problem});
        else
            policy.owner = std::string(value);
        return true;
    }
    if (key == "voicemail length") {
        auto seconds = parseDuration(value, /*bare_unit_s=*/60);
        if (!seconds || *seconds < 5 || *seconds > 3600)
            problems.push_back({line, "Voicemail length is a time from 5 s to 1 h, such as \"2 min\""});
        else
            policy.voicemail_seconds = *seconds;
        return true;
    }
    std::optional<int>* count = key == "max calls at once"                 ? &policy.max_concurrent_calls
                                : key == "calls per hour"                  ? &policy.calls_per_hour
                                : key == "calls per hour per contact"      ? &policy.calls_per_hour_per_contact
                                : key == "messages per minute"             ? &policy.messages_per_minute
                                : key == "messages per minute per contact" ? &policy.messages_per_minute_per_contact
                                : key == "voicemails kept"                 ? &policy.voicemails_kept
                                                                           : nullptr;
    if (!count) return false;
    if (auto n = parseCount(value))
        *count = *n;
    else
        problems.push_back({line, std::string(key_text) + " is a whole number, not \"" + std::string(raw) + "\""});
    return true;
}

JamiConfig parseJamiConfig(std::string_view text) {
    JamiConfig config;
    auto lines = linesOf(text);
    bool in_fence = false, in_comment = false, in_section = false, in_contacts = false;
    int section_level = 0, contacts_indent = -1;
    std::unordered_set<std::string> seen_names;
    bool unicode_reported = false;

    for (std::size_t i = 0; i < lines.size(); ++i) {
        const int line_no = static_cast<int>(i) + 1;
        std::string_view line = lines[i];
        if (in_section && !trim(line).empty()) {
            std::string_view t;
            const int level = in_fence || in_comment ? 0 : headingLevel(line, &t);
            if (!(level && level <= section_level)) config.section_end_line = line_no;
        }
        if (isFence(line)) {
            in_fence = !in_fence;
            continue;
        }
        if (in_fence) continue;
        // HTML comments (the template documents the format in one) are not entries.
        if (in_comment) {
            if (line.find("-->") != std::string_view::npos) in_comment = false;
            continue;
        }
        if (auto open = line.find("<!--"); open != std::string_view::npos) {
            in_comment = line.find("-->", open + 4) == std::string_view::npos;
            continue;
        }

        std::string_view title;
        if (int level = headingLevel(line, &title)) {
            if (in_section && level <= section_level) {
                in_section = false;
            }
            if (!in_section && level >= 2 && asciiLower(title) == kSectionTitle && !config.section_found) {
                in_section = true;
                config.section_found = true;
                config.section_line = config.section_end_line = line_no;
                section_level = level;
                in_contacts = false;
            }
            continue;
        }
        if (!in_section) continue;

        auto item = bullet(line);
        if (!item) continue;  // prose inside the section is the user's business
        auto kv = keyValue(item->text);

        if (in_contacts && item->indent > contacts_indent) {
            config.last_contact_line = line_no;
            if (!kv || kv->second.empty()) {
                config.problems.push_back(
                    {line_no, "contact line needs the form `Name: <Jami ID, username or sip: URI>`"});
                continue;
            }
            Contact contact;
            contact.line = line_no;
            splitAliases(kv->first, contact);
            contact.id = std::string(unquote(kv->second));
            if (contact.name.empty()) {
                config.problems.push_back({line_no, "contact has no name"});
                continue;
            }
            // A huge or garbled name would slow every sentence or print as
            // something else: such an entry is reported, not loaded.
            bool unfit = contact.aliases.size() > 32 || contact.name.size() > 128 || hasControlOrBidi(contact.name);
            for (const auto& alias : contact.aliases) unfit = unfit || alias.size() > 128 || hasControlOrBidi(alias);
            if (unfit) {
                config.problems.push_back({line_no,
                                           "contact names and aliases are at most 128 bytes (32 aliases) without "
                                           "control or bidi characters; this entry is ignored"});
                continue;
            }
            if (!isValidContactId(contact.id)) {
                config.problems.push_back(
                    {line_no, "contact \"" + contact.name + "\" has a malformed id \"" + contact.id +
                                  "\" (expected a 40-hex Jami ID, a Jami username or a sip: URI)"});
                continue;
            }
            bool duplicate = false;
            const auto keys = nameKeys(contact);
            for (const auto& key : keys) {
                if (seen_names.count(key)) {
                    config.problems.push_back(
                        {line_no, "the name \"" + key + "\" is used twice; this entry is ignored"});
                    duplicate = true;
                    break;
                }
            }
            if (duplicate) continue;
            // Loaded all the same: without ICU a name matches only as written
            // (finer keys, never a wrong match), and the reader is told once.
            if (!unicode_reported && !spelledInAscii(contact))
                if (std::string why = unicodeProblem(); !why.empty()) {
                    config.problems.push_back({line_no,
                                               "names that are not all ASCII match only as written (no "
                                               "width, accent or pinyin matching): " +
                                                   why + "; reinstall jami-skill"});
                    unicode_reported = true;
                }
            seen_names.insert(keys.begin(), keys.end());
            config.contacts.push_back(std::move(contact));
            continue;
        }

        in_contacts = false;
        if (!kv) continue;
        auto key = asciiLower(kv->first);
        if (key == "contacts") {
            in_contacts = true;
            contacts_indent = item->indent;
            config.contacts_line = config.last_contact_line = line_no;
            config.contacts_indent = item->indent;
        } else if (key == "account id" || key == "account") {
            auto value = unquote(kv->second);
            if (!isAccountRef(value)) {
                config.problems.push_back(
                    {line_no, "Account ID \"" + std::string(value) +
                                  "\" is neither a 16-hex local account id nor a 40-hex Jami ID"});
            } else {
                config.account = std::string(value);
            }
        } else {
            parsePolicyLine(kv->first, kv->second, line_no, config.policy, config.problems);
        }
    }
    return config;
}

namespace {

// Lines with their terminators, so joining them gives the text back byte for byte.
std::vector<std::string> rawLines(std::string_view text) {
    std::vector<std::string> lines;
    while (!text.empty()) {
        auto end = text.find('\n');
        std::size_t take = end == std::string_view::npos ? text.size() : end + 1;
        lines.emplace_back(text.substr(0, take));
        text.remove_prefix(take);
    }
    return lines;
}

std::string newline(std::string_view text) { return text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n"; }

std::string contactLine(const Contact& c, int indent, const std::string& eol) {
    std::string line(static_cast<std::size_t>(indent + 2), ' ');
    line += "- " + c.name;
    if (!c.aliases.empty()) {
        line += " (";
        for (std::size_t i = 0; i < c.aliases.size(); ++i) line += (i ? ", " : "") + c.aliases[i];
        line += ")";
    }
    return line + ": " + c.id + eol;
}

std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l;
    return out;
}

}  // namespace

namespace {

void checkName(std::string_view name) {
    if (auto problem = nameProblem(name); !problem.empty()) throw std::invalid_argument(problem);
}

bool sameEntry(const Contact& a, const Contact& b) {
    return a.name == b.name && a.aliases == b.aliases && a.id == b.id;
}

// Every edit is checked by reading its result back: the contacts must be
// exactly `expected` (in order), and the account and the policy as `old`
// (the text before, as the edit already parsed it) had them. A text the
// parser reads differently than the edit meant (an unclosed code fence or
// comment, a note bullet taken for a contact, an ignored duplicate coming
// back) is refused, never written.
std::string verified(const JamiConfig& old, std::string after, const std::vector<Contact>& expected) {
    const JamiConfig now = parseJamiConfig(after);
    bool same = now.contacts.size() == expected.size() && now.account == old.account && now.policy == old.policy;
    for (std::size_t i = 0; same && i < expected.size(); ++i) same = sameEntry(now.contacts[i], expected[i]);
    if (!same)
        throw std::invalid_argument(
            "this edit would change more of the Jami Configuration section than asked (check it for an unclosed code "
            "fence or comment, a duplicate name, or stray bullets under it); nothing was changed");
    return after;
}

std::vector<Contact> without(const std::vector<Contact>& contacts, int line) {
    std::vector<Contact> out;
    for (const auto& c : contacts)
        if (c.line != line) out.push_back(c);
    return out;
}

// Refuses `keys` when another contact (not `self`) already answers to one.
void checkUnique(const JamiConfig& config, const std::vector<std::string>& keys, const Contact* self) {
    for (const auto& existing : config.contacts) {
        if (self && existing.line == self->line) continue;
        const auto theirs = nameKeys(existing);
        for (const auto& k : keys)
            if (std::find(theirs.begin(), theirs.end(), k) != theirs.end())
                throw std::invalid_argument("\"" + k + "\" is already used by the contact \"" + existing.name +
                                            "\" (line " + std::to_string(existing.line) + ")");
    }
}

const Contact& findContact(const JamiConfig& config, std::string_view name) {
    const std::string key = exactKey(name);
    for (const auto& c : config.contacts) {
        const auto keys = nameKeys(c);
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) return c;
    }
    throw std::invalid_argument("no contact named \"" + std::string(name) + "\"");
}

// Where a new section goes in an AGENTS.md: the end of its "## Tools"
// section, before the blank lines that separate it from the next heading.
// Returns the 0-based line index to insert at, or nullopt without one.
std::optional<std::size_t> endOfToolsSection(const std::vector<std::string>& lines) {
    std::optional<std::size_t> start;
    bool in_fence = false;
    std::size_t end = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view line = trim(lines[i]);
        if (line.ends_with('\n')) line.remove_suffix(1);
        line = trim(line);
        if (isFence(line)) in_fence = !in_fence;
        if (in_fence) continue;
        std::string_view title;
        int level = headingLevel(line, &title);
        if (!start) {
            if (level == 2 && asciiLower(title) == "tools") start = i;
        } else if (level && level <= 2) {
            end = i;
            break;
        }
    }
    if (!start) return std::nullopt;
    while (end > *start + 1 && trim(lines[end - 1]).find_first_not_of("\r\n") == std::string_view::npos) --end;
    return end;
}

// The lines joined, with `block` inserted before 0-based line `at`; a line without
// a line ending just before it gets one, so the block starts on a line of its own.
std::string insertedAt(std::vector<std::string> lines, std::size_t at, const std::string& block,
                       const std::string& eol) {
    if (at > 0 && at <= lines.size() && !lines[at - 1].ends_with('\n')) lines[at - 1] += eol;
    lines.insert(lines.begin() + static_cast<long>(at), block);
    return join(lines);
}

}  // namespace

namespace {

std::string addedText(std::string_view text, const JamiConfig& config, const Contact& contact) {
    const std::string eol = newline(text);
    auto lines = rawLines(text);
    const std::string body = "- Contacts:" + eol + contactLine(contact, 0, eol);
    if (!config.section_found) {
        if (auto at = endOfToolsSection(lines))
            return insertedAt(std::move(lines), *at, eol + "### Jami Configuration" + eol + body, eol);
        std::string block = (text.empty() || text.ends_with('\n') ? "" : eol) + (text.empty() ? "" : eol) +
                            "## Jami Configuration" + eol + body;
        return std::string(text) + block;
    }
    if (config.contacts_line == 0)  // at the end of the section: bullets above stay what they are
        return insertedAt(std::move(lines), static_cast<std::size_t>(config.section_end_line), body, eol);
    return insertedAt(std::move(lines), static_cast<std::size_t>(config.last_contact_line),  // after it
                      contactLine(contact, config.contacts_indent, eol), eol);
}

}  // namespace

std::string withContactAdded(std::string_view text, const Contact& requested) {
    Contact contact = requested;
    contact.name = std::string(trim(contact.name));
    for (auto& alias : contact.aliases) alias = std::string(trim(alias));
    checkName(contact.name);
    for (const auto& alias : contact.aliases) checkName(alias);
    if (!isValidContactId(contact.id))
        throw std::invalid_argument("\"" + contact.id + "\" is not a 40-hex Jami ID, a Jami username or a sip: URI");
    const auto keys = nameKeys(contact);
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (std::find(keys.begin() + static_cast<long>(i) + 1, keys.end(), keys[i]) != keys.end())
            throw std::invalid_argument("\"" + keys[i] + "\" is given twice");
    const JamiConfig config = parseJamiConfig(text);
    checkUnique(config, keys, nullptr);
    std::vector<Contact> expected = config.contacts;
    expected.push_back(contact);
    return verified(config, addedText(text, config, contact), expected);
}

std::string withSettingAdded(std::string_view text, std::string_view key, std::string_view value) {
    const JamiConfig config = parseJamiConfig(text);
    // What the section must say afterwards: `config` with this one setting.
    JamiConfig expected = config;
    const std::string lower = asciiLower(key);
    if (lower == "account id") {
        if (config.account) throw std::invalid_argument("the section already names an account: " + *config.account);
        if (!isAccountRef(value))
            throw std::invalid_argument("\"" + std::string(value) +
                                        "\" is neither a 16-hex local account id nor a 40-hex Jami ID");
        expected.account = std::string(value);
    } else {
        PolicySettings none;
        std::vector<Problem> ignored;
        if (!parsePolicyLine(key, value, 0, none, ignored) || none == PolicySettings{})
            throw std::invalid_argument("\"" + std::string(key) + "\" is not a setting of the Jami Configuration");
        std::vector<Problem> problems;
        parsePolicyLine(key, value, 0, expected.policy, problems);
        if (!problems.empty()) throw std::invalid_argument(problems.front().message);
    }
    auto lines = rawLines(text);
    for (int at = config.section_line; config.section_found && at < config.section_end_line; ++at) {
        if (config.contacts_line && at >= config.contacts_line && at < config.last_contact_line) continue;  // a contact
        std::string_view bullet = trim(lines[static_cast<std::size_t>(at)]);
        if (bullet.empty() || (bullet[0] != '-' && bullet[0] != '*' && bullet[0] != '+')) continue;
        bullet = trim(bullet.substr(1, bullet.find(':') == std::string_view::npos ? 0 : bullet.find(':') - 1));
        if (asciiLower(bullet) == lower)
            throw std::invalid_argument("the section already sets \"" + std::string(key) + "\" (line " +
                                        std::to_string(at + 1) + ")");
    }
    const std::string eol = newline(text);
    const std::string line = "- " + std::string(key) + ": " + std::string(value) + eol;
    std::string after;
    if (!config.section_found) {
        if (auto at = endOfToolsSection(lines))
            after = insertedAt(std::move(lines), *at, eol + "### Jami Configuration" + eol + line, eol);
        else
            after = std::string(text) + (text.empty() || text.ends_with('\n') ? "" : eol) + (text.empty() ? "" : eol) +
                    "## Jami Configuration" + eol + line;
    } else {
        const int before = config.contacts_line ? config.contacts_line - 1 : config.section_end_line;
        after = insertedAt(std::move(lines), static_cast<std::size_t>(before), line, eol);
    }
    return verified(expected, std::move(after), config.contacts);
}

std::string withContactRemoved(std::string_view text, std::string_view name) {
    const JamiConfig config = parseJamiConfig(text);
    const Contact& c = findContact(config, name);
    auto lines = rawLines(text);
    lines.erase(lines.begin() + (c.line - 1));
    return verified(config, join(lines), without(config.contacts, c.line));
}

std::string withContactRenamed(std::string_view text, std::string_view old_name, std::string_view new_name) {
    checkName(trim(new_name));
    const JamiConfig config = parseJamiConfig(text);
    const Contact& c = findContact(config, old_name);
    Contact renamed = c;
    renamed.name = std::string(trim(new_name));
    const auto keys = nameKeys(renamed);
    checkUnique(config, keys, &c);
    if (std::find(keys.begin() + 1, keys.end(), keys.front()) != keys.end())
        throw std::invalid_argument("\"" + renamed.name + "\" is already an alias of \"" + c.name + "\"");
    auto lines = rawLines(text);
    std::string& line = lines[static_cast<std::size_t>(c.line - 1)];
    // The name is the first text after the bullet marker ("- ", "* ", "+ ").
    std::size_t at = line.find_first_not_of(" \t");
    at = line.find_first_not_of(" \t", at + 1);
    if (at == std::string::npos || line.compare(at, c.name.size(), c.name) != 0)
        throw std::runtime_error("cannot find the name of \"" + c.name + "\" on line " + std::to_string(c.line));
    line.replace(at, c.name.size(), renamed.name);
    std::vector<Contact> expected = config.contacts;
    for (auto& e : expected)
        if (e.line == c.line) e.name = renamed.name;
    return verified(config, join(lines), expected);
}

}  // namespace jskill::contacts
