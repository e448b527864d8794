#include "skill/audit.hpp"

#include <ctime>

namespace jskill {

void AuditLog::record(nlohmann::json entry) noexcept {
    try {
        const std::int64_t now = nowMs();
        const std::time_t seconds = static_cast<std::time_t>(now / 1000);
        std::tm utc{};
        ::gmtime_r(&seconds, &utc);
        char iso[32];
        std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &utc);
        entry["time"] = iso;
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

}  // namespace jskill
