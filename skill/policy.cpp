#include "skill/policy.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "base/error.hpp"
#include "contacts/contact_book.hpp"

namespace jskill {

using nlohmann::json;

namespace {

std::optional<int> tighter(std::optional<int> a, std::optional<int> b) {
    if (a && b) return std::min(*a, *b);
    return a ? a : b;
}

std::vector<std::string> canonical(const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (const auto& id : ids) out.push_back(contacts::canonicalId(id));
    return out;
}

}  // namespace

bool sameParty(const std::string& a, const std::string& b) {
    return !a.empty() && !b.empty() && contacts::canonicalId(a) == contacts::canonicalId(b);
}

contacts::PolicySettings stricter(const contacts::PolicySettings& a, const contacts::PolicySettings& b) {
    contacts::PolicySettings out;
    if (a.contacts_only || b.contacts_only)
        out.contacts_only = a.contacts_only.value_or(false) || b.contacts_only.value_or(false);
    out.max_concurrent_calls = tighter(a.max_concurrent_calls, b.max_concurrent_calls);
    out.max_call_seconds = tighter(a.max_call_seconds, b.max_call_seconds);
    out.calls_per_hour = tighter(a.calls_per_hour, b.calls_per_hour);
    out.calls_per_hour_per_contact = tighter(a.calls_per_hour_per_contact, b.calls_per_hour_per_contact);
    out.messages_per_minute = tighter(a.messages_per_minute, b.messages_per_minute);
    out.messages_per_minute_per_contact = tighter(a.messages_per_minute_per_contact, b.messages_per_minute_per_contact);
    // Off wins: a pinned "Voice: off" cannot be turned on from the workspace.
    if (a.voice || b.voice) out.voice = a.voice.value_or(true) && b.voice.value_or(true);
    if (a.auto_answer && b.auto_answer) {
        std::vector<std::string> both;
        const auto theirs = canonical(*b.auto_answer);
        for (const auto& id : canonical(*a.auto_answer))
            if (std::find(theirs.begin(), theirs.end(), id) != theirs.end()) both.push_back(id);
        out.auto_answer = both;
    } else {
        out.auto_answer = a.auto_answer ? a.auto_answer : b.auto_answer;
    }
    // Answered only when both would answer: off wins, the rules add up, the
    // longer delay holds.
    if (a.answering_machine && b.answering_machine) {
        const auto &x = *a.answering_machine, &y = *b.answering_machine;
        contacts::AnsweringSetting both;
        both.on = x.on && y.on;
        both.contacts = x.contacts || y.contacts;
        if (x.ids && y.ids) {
            both.ids.emplace();
            const auto theirs = canonical(*y.ids);
            for (const auto& id : canonical(*x.ids))
                if (std::find(theirs.begin(), theirs.end(), id) != theirs.end()) both.ids->push_back(id);
        } else {
            both.ids = x.ids ? x.ids : y.ids;
        }
        out.answering_machine = both;
    } else {
        out.answering_machine = a.answering_machine ? a.answering_machine : b.answering_machine;
    }
    if (a.answer_after_seconds && b.answer_after_seconds)  // the longer wait: a person may answer first
        out.answer_after_seconds = std::max(*a.answer_after_seconds, *b.answer_after_seconds);
    else
        out.answer_after_seconds = a.answer_after_seconds ? a.answer_after_seconds : b.answer_after_seconds;
    out.voicemail_seconds = tighter(a.voicemail_seconds, b.voicemail_seconds);
    out.voicemails_kept = tighter(a.voicemails_kept, b.voicemails_kept);
    // Words: the pinned ones (`a`) first.
    out.greeting = a.greeting ? a.greeting : b.greeting;
    out.greeting_zh = a.greeting_zh ? a.greeting_zh : b.greeting_zh;
    out.owner = a.owner ? a.owner : b.owner;  // the pinned one: only the user says whom it works for
    return out;
}

bool AnsweringRules::answers(const std::string& peer, bool is_contact, bool contacts_only) const {
    if (!on || peer.empty()) return false;
    if ((contacts || contacts_only) && !is_contact) return false;
    if (ids) return std::find(ids->begin(), ids->end(), contacts::canonicalId(peer)) != ids->end();
    return true;
}

json AnsweringRules::toJson() const {
    json callers = !on ? json("off") : ids ? json(*ids) : json("contacts");
    return {{"callers", callers}, {"contacts_only", contacts}, {"after_s", after_seconds},  {"max_s", max_seconds},
            {"kept", kept},       {"greeting", greeting},      {"greeting_zh", greeting_zh}};
}

Policy effectivePolicy(const contacts::PolicySettings& pinned, const contacts::PolicySettings& tools) {
    // The stricter of the two, then the safe default for what neither says.
    const contacts::PolicySettings merged = stricter(pinned, tools);
    Policy p;
    p.contacts_only = merged.contacts_only.value_or(p.contacts_only);
    p.max_concurrent_calls = merged.max_concurrent_calls.value_or(p.max_concurrent_calls);
    p.max_call_seconds = merged.max_call_seconds.value_or(p.max_call_seconds);
    p.calls_per_hour = merged.calls_per_hour.value_or(p.calls_per_hour);
    p.calls_per_hour_per_contact = merged.calls_per_hour_per_contact.value_or(p.calls_per_hour_per_contact);
    p.messages_per_minute = merged.messages_per_minute.value_or(p.messages_per_minute);
    p.messages_per_minute_per_contact =
        merged.messages_per_minute_per_contact.value_or(p.messages_per_minute_per_contact);
    p.auto_answer = canonical(merged.auto_answer.value_or(std::vector<std::string>{}));
    p.voice = merged.voice.value_or(false);
    if (const auto& setting = merged.answering_machine) {
        p.answering.on = setting->on;
        p.answering.contacts = setting->contacts;
        if (setting->ids) p.answering.ids = canonical(*setting->ids);
    }
    p.answering.after_seconds = merged.answer_after_seconds.value_or(p.answering.after_seconds);
    p.answering.max_seconds = merged.voicemail_seconds.value_or(p.answering.max_seconds);
    p.answering.kept = merged.voicemails_kept.value_or(p.answering.kept);
    p.answering.greeting = merged.greeting.value_or("");
    p.answering.greeting_zh = merged.greeting_zh.value_or("");
    p.owner = merged.owner.value_or("");
    return p;
}

json Policy::toJson() const {
    return {{"contacts_only", contacts_only},
            {"max_calls_at_once", max_concurrent_calls},
            {"max_call_duration_s", max_call_seconds},
            {"calls_per_hour", calls_per_hour},
            {"calls_per_hour_per_contact", calls_per_hour_per_contact},
            {"messages_per_minute", messages_per_minute},
            {"messages_per_minute_per_contact", messages_per_minute_per_contact},
            {"auto_answer", auto_answer},
            {"voice", voice},
            {"answering_machine", answering.toJson()},
            {"owner", owner}};
}

contacts::PolicySettings policyFromJson(const json& policy) {
    contacts::PolicySettings out;
    if (policy.is_null()) return out;
    if (!policy.is_object()) throw Error(code::kInvalidArgument, "\"policy\" must be a JSON object");
    for (auto it = policy.begin(); it != policy.end(); ++it) {
        const std::string& key = it.key();
        const json& v = *it;
        if (key == "contacts_only" || key == "voice") {
            if (!v.is_boolean()) throw Error(code::kInvalidArgument, "\"policy." + key + "\" must be true or false");
            (key == "voice" ? out.voice : out.contacts_only) = v.get<bool>();
        } else if (key == "auto_answer") {
            if (!v.is_array()) throw Error(code::kInvalidArgument, "\"policy.auto_answer\" must be a list of ids");
            std::vector<std::string> ids;
            for (const auto& id : v) {
                if (!id.is_string() || !contacts::isValidContactId(id.get<std::string>()) ||
                    !(contacts::isJamiId(id.get<std::string>()) || contacts::isAddress(id.get<std::string>())))
                    throw Error(code::kInvalidArgument, "\"policy.auto_answer\" takes 40-hex Jami IDs or sip: URIs");
                ids.push_back(id.get<std::string>());
            }
            out.auto_answer = ids;
        } else if (key == "answering_machine") {
            contacts::AnsweringSetting setting;
            const bool ids = v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), [](const json& id) {
                                 return id.is_string() && contacts::isValidContactId(id.get<std::string>()) &&
                                        contacts::isAddress(id.get<std::string>());
                             });
            if (!(v == "off" || v == "contacts" || ids))
                throw Error(code::kInvalidArgument,
                            "\"policy.answering_machine\" is \"off\", \"contacts\" or a list of exact ids");
            setting.on = v != "off";
            setting.contacts = v == "contacts";
            if (ids) setting.ids = v.get<std::vector<std::string>>();
            out.answering_machine = setting;
        } else if (key == "greeting" || key == "greeting_zh" || key == "owner") {
            if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 1000)
                throw Error(code::kInvalidArgument, "\"policy." + key + "\" must be text of at most 1000 bytes");
            (key == "greeting" ? out.greeting : key == "owner" ? out.owner : out.greeting_zh) = v.get<std::string>();
        } else if (key == "answer_after_s") {  // the delay of the answering machine's rule
            if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 600)
                throw Error(code::kInvalidArgument, "\"policy.answer_after_s\" must be an integer from 0 to 600");
            out.answer_after_seconds = static_cast<int>(v.get<long long>());
        } else {
            std::optional<int>* field = key == "max_calls_at_once"            ? &out.max_concurrent_calls
                                        : key == "max_call_duration_s"        ? &out.max_call_seconds
                                        : key == "calls_per_hour"             ? &out.calls_per_hour
                                        : key == "calls_per_hour_per_contact" ? &out.calls_per_hour_per_contact
                                        : key == "messages_per_minute"        ? &out.messages_per_minute
                                        : key == "messages_per_minute_per_contact"
                                            ? &out.messages_per_minute_per_contact
                                        : key == "voicemail_max_s" ? &out.voicemail_seconds
                                        : key == "voicemails_kept" ? &out.voicemails_kept
                                                                   : nullptr;
            if (!field)
                throw Error(
                    code::kInvalidArgument, "unknown policy setting \"" + key + "\"",
                    "known: contacts_only, max_calls_at_once, max_call_duration_s, calls_per_hour, "
                    "calls_per_hour_per_contact, messages_per_minute, messages_per_minute_per_contact, auto_answer, "
                    "voice, answering_machine, answer_after_s, voicemail_max_s, voicemails_kept, greeting, "
                    "greeting_zh, owner");
            if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 1000000)
                throw Error(code::kInvalidArgument, "\"policy." + key + "\" must be an integer from 0 to 1000000");
            *field = static_cast<int>(v.get<long long>());
        }
    }
    return out;
}

PinnedPolicyFile readPinnedPolicy(const std::optional<std::string>& explicit_path) {
    namespace fs = std::filesystem;
    PinnedPolicyFile out;
    fs::path path;
    if (explicit_path && !explicit_path->empty())
        path = *explicit_path;
    else if (const char* env = std::getenv("JAMI_SKILL_POLICY"); env && *env)
        path = env;
    else if (const char* config = std::getenv("XDG_CONFIG_HOME"); config && *config)
        path = fs::path(config) / "jami-skill" / "policy.md";
    else if (const char* home = std::getenv("HOME"); home && *home)
        path = fs::path(home) / ".config" / "jami-skill" / "policy.md";
    else
        return out;
    std::error_code ec;
    const bool named = (explicit_path && !explicit_path->empty()) || std::getenv("JAMI_SKILL_POLICY");
    if (!fs::exists(path, ec)) {
        // A pinned file the user named but that is gone must not mean "no limits".
        if (named) {
            out.path = path.string();
            out.readable = false;
        }
        return out;
    }
    out.path = path.string();
    auto text = files::readWholeFile(path, nullptr, 1u << 20);
    if (!text) {
        out.readable = false;
        return out;
    }
    auto parsed = contacts::parseJamiConfig(*text);
    out.settings = parsed.policy;
    out.problems = parsed.problems;
    if (!parsed.section_found) out.problems.push_back({1, "no \"## Jami Configuration\" section: nothing is pinned"});
    return out;
}

}  // namespace jskill
