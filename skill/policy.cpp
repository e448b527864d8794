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
    return out;
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
            {"voice", voice}};
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
        } else {
            std::optional<int>* field = key == "max_calls_at_once"            ? &out.max_concurrent_calls
                                        : key == "max_call_duration_s"        ? &out.max_call_seconds
                                        : key == "calls_per_hour"             ? &out.calls_per_hour
                                        : key == "calls_per_hour_per_contact" ? &out.calls_per_hour_per_contact
                                        : key == "messages_per_minute"        ? &out.messages_per_minute
                                        : key == "messages_per_minute_per_contact"
                                            ? &out.messages_per_minute_per_contact
                                            : nullptr;
            if (!field)
                throw Error(
                    code::kInvalidArgument, "unknown policy setting \"" + key + "\"",
                    "known: contacts_only, max_calls_at_once, max_call_duration_s, calls_per_hour, "
                    "calls_per_hour_per_contact, messages_per_minute, messages_per_minute_per_contact, auto_answer, "
                    "voice");
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
