#include "skill/audit.hpp"

#include "base/error.hpp"
#include "skill/request.hpp"

namespace jskill {

namespace {

// Refusals are audited whatever the action.
bool isRefusal(const std::string& c) {
    return c == code::kNotAllowed || c == code::kConfirmationRequired || c == code::kRateLimited ||
           c == code::kLimitReached || c == code::kUnknownContact || c == code::kAmbiguousContact ||
           c == code::kSeveralRecipients || c == code::kVoiceOff;
}

}  // namespace

void AuditLog::record(nlohmann::json entry) noexcept {
    try {
        const std::int64_t now = nowMs();
        entry["time"] = isoTime(now);
        entry["time_ms"] = now;
        file_.append(entry);
    } catch (...) {
        // The state dir may be read-only; the request's own result stands.
    }
}

std::vector<nlohmann::json> AuditLog::newest(std::size_t count) const {
    std::vector<nlohmann::json> out;
    file_.forEachNewestFirst([&](const nlohmann::json& e) {
        out.push_back(e);
        return out.size() < count;
    });
    return out;
}

void AuditLog::recordRequest(const Request& r, const std::string& host, bool effectful,
                             const std::string& result_code) noexcept {
    if (!effectful && !isRefusal(result_code)) return;
    try {
        nlohmann::json entry{{"host", host.empty() ? "unknown" : host},
                             {"source", r.source},
                             {"action", r.action},
                             {"dry_run", r.dry_run},
                             {"confirmed", r.confirmed},
                             {"result", result_code},
                             {"decision", result_code == "ok"      ? (r.dry_run ? "allowed (dry run)" : "allowed")
                                          : isRefusal(result_code) ? "refused"
                                                                   : "failed"}};
        if (r.target) {
            entry["target"] = {{"name", r.target->contact.name}, {"id", r.target->contact.id}};
            entry["match"] = r.target->match;
        } else if (auto c = r.args.find("contact"); c != r.args.end() && c->is_string()) {
            entry["target"] = {{"said", c->get<std::string>().substr(0, 200)}};
        }
        if (r.source == "text") entry["text"] = r.text.substr(0, 500);
        record(std::move(entry));
    } catch (...) {
        // Auditing must not break the request it records.
    }
}

}  // namespace jskill
