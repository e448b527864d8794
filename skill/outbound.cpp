#include "skill/outbound.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>

#include "base/error.hpp"

namespace jskill {

using nlohmann::json;

namespace {

// A reservation older than this with no placed record is a process that
// died while placing; it no longer counts as a call in flight.
constexpr std::int64_t kInFlightMs = 60'000;

std::string newReservationId() {
    std::random_device device;
    std::uniform_int_distribution<std::uint64_t> pick;
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(pick(device)));
    return buffer;
}

struct Rule {
    const char* name;
    int limit;
    std::int64_t window_ms;
    bool per_contact;
};

}  // namespace

OutboundLedger::Decision OutboundLedger::reserve(const std::string& kind, const std::string& peer,
                                                 const std::string& bus, const Policy& policy,
                                                 const std::vector<std::string>& live_calls, bool dry_run) const {
    Decision decision;
    const std::int64_t now = nowMs();
    const bool call = kind == "call";
    const std::vector<Rule> rules =
        call ? std::vector<Rule>{{"calls_per_hour", policy.calls_per_hour, 3'600'000, false},
                                 {"calls_per_hour_per_contact", policy.calls_per_hour_per_contact, 3'600'000, true}}
             : std::vector<Rule>{
                   {"messages_per_minute", policy.messages_per_minute, 60'000, false},
                   {"messages_per_minute_per_contact", policy.messages_per_minute_per_contact, 60'000, true}};
    auto decide = [&](const std::vector<json>& records) -> json {
        // Reservations of this kind, and what became of the calls.
        std::vector<const json*> mine;
        std::map<std::string, const json*> placed;  // reservation -> placed record
        for (const auto& r : records) {
            if (r.value("type", "") == "reserve" && r.value("kind", "") == kind)
                mine.push_back(&r);
            else if (r.value("type", "") == "placed")
                placed[r.value("reservation", "")] = &r;
        }
        for (const auto& rule : rules) {
            int count = 0;
            std::int64_t oldest = now;
            for (const json* r : mine) {
                const std::int64_t t = r->value("t", std::int64_t{0});
                if (t <= now - rule.window_ms || (rule.per_contact && r->value("peer", "") != peer)) continue;
                ++count;
                oldest = std::min(oldest, t);
            }
            if (count >= rule.limit) {
                const int retry = rule.limit == 0 ? static_cast<int>(rule.window_ms / 1000)
                                                  : static_cast<int>((oldest + rule.window_ms - now + 999) / 1000);
                decision.refused = LimitRefusal{"rate_limited",
                                                rule.name,
                                                rule.limit,
                                                count,
                                                std::max(1, retry),
                                                std::string(call ? "calls" : "messages") +
                                                    (rule.per_contact ? " to this contact" : "") + " are limited to " +
                                                    std::to_string(rule.limit) + (call ? " an hour" : " a minute") +
                                                    " (" + rule.name + "); " + std::to_string(count) + " already"};
                return nullptr;
            }
        }
        if (call) {
            // Calls at once: placed calls jamid still has, and reservations
            // still being placed by a live process.
            int at_once = 0;
            for (const json* r : mine) {
                if (r->value("bus", "") != bus) continue;
                auto p = placed.find(r->value("reservation", ""));
                if (p == placed.end()) {
                    if (r->value("t", std::int64_t{0}) > now - kInFlightMs) ++at_once;
                    continue;
                }
                const std::string id = p->second->value("call_id", "");
                if (!id.empty() && std::find(live_calls.begin(), live_calls.end(), id) != live_calls.end()) ++at_once;
            }
            if (at_once >= policy.max_concurrent_calls) {
                decision.refused = LimitRefusal{"limit_reached",
                                                "max_calls_at_once",
                                                policy.max_concurrent_calls,
                                                at_once,
                                                5,
                                                "the skill may have " + std::to_string(policy.max_concurrent_calls) +
                                                    " call(s) at once (max_calls_at_once); " + std::to_string(at_once) +
                                                    " in progress"};
                return nullptr;
            }
        }
        if (dry_run) return nullptr;
        decision.reservation = newReservationId();
        return json{{"type", "reserve"}, {"kind", kind}, {"peer", peer},
                    {"bus", bus},        {"t", now},     {"reservation", decision.reservation}};
    };
    file_.appendUnderLock(decide);
    return decision;
}

void OutboundLedger::placed(const std::string& reservation, const std::string& call_id, const std::string& account,
                            std::int64_t deadline_ms) const noexcept {
    try {
        file_.append({{"type", "placed"},
                      {"reservation", reservation},
                      {"call_id", call_id},
                      {"account", account},
                      {"deadline_ms", deadline_ms},
                      {"t", nowMs()}});
    } catch (...) {}
}

std::optional<OutboundLedger::PlacedCall> OutboundLedger::find(const std::string& call_id) const {
    std::optional<PlacedCall> found;
    file_.forEachNewestFirst([&](const json& r) {
        if (r.value("type", "") != "placed" || r.value("call_id", "") != call_id) return true;
        found = PlacedCall{call_id, r.value("account", ""), r.value("deadline_ms", std::int64_t{0})};
        return false;
    });
    return found;
}

void throwRefusal(const LimitRefusal& no, std::string message, std::string hint) {
    throw Error(no.code, message.empty() ? no.message : message,
                hint.empty() ? "tell the user; try again after " + std::to_string(no.retry_after_s) + " s" : hint,
                {{"rule", no.rule}, {"limit", no.limit}, {"count", no.count}, {"retry_after_s", no.retry_after_s}});
}

}  // namespace jskill
