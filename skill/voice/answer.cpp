#include "skill/voice/answer.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "contacts/contact_id.hpp"
#include "skill/event_types.hpp"

namespace jskill {
namespace {

constexpr std::array<std::string_view, 16> kYes = {"yes",     "y",      "yeah", "yep", "yup",  "ok",   "okay", "sure",
                                                   "correct", "got it", "1",    "好",  "好的", "收到", "是",   "对"};
constexpr std::array<std::string_view, 10> kNo = {"no", "n", "nope", "0", "不", "不是", "没有", "没", "否", "不对"};

// Closing punctuation a typed answer may carry, ASCII and full-width.
constexpr std::array<std::string_view, 10> kClosing = {".", "!", ",", "?", "~", "。", "！", "，", "？", "～"};

std::string_view trimmed(std::string_view text) {
    auto strip_end = [&](std::string_view piece) {
        if (text.size() >= piece.size() && text.substr(text.size() - piece.size()) == piece) {
            text.remove_suffix(piece.size());
            return true;
        }
        return false;
    };
    for (bool more = true; more;) {
        more = false;
        while (!text.empty() &&
               (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r'))
            text.remove_prefix(1);
        while (!text.empty() &&
               (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
            text.remove_suffix(1);
        for (auto piece : kClosing) more = strip_end(piece) || more;
    }
    return text;
}

std::string payloadText(const nlohmann::json& payloads) {
    if (!payloads.is_object()) return {};
    const auto text = payloads.find("text/plain");
    return text != payloads.end() && text->is_string() ? text->get<std::string>() : std::string();
}

}  // namespace

std::optional<bool> yesOrNo(std::string_view text) {
    const std::string_view core = trimmed(text);
    if (core.size() > 16) return std::nullopt;  // longer than any answer word
    std::string lower(core);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    if (std::find(kYes.begin(), kYes.end(), lower) != kYes.end()) return true;
    if (std::find(kNo.begin(), kNo.end(), lower) != kNo.end()) return false;
    return std::nullopt;
}

std::optional<bool> typedAnswer(const nlohmann::json& e, std::string_view call_id, std::string_view account,
                                std::string_view peer) {
    if (!e.is_object()) return std::nullopt;
    const std::string_view type = event::typeOf(e);
    auto from_peer = [&](const std::string& from) {
        return !peer.empty() && e.value("account", "") == account &&
               contacts::canonicalId(contacts::peerId(from)) == contacts::canonicalId(peer);
    };
    if (type == event::kCallMessage && !call_id.empty() && e.value("call_id", "") == call_id)
        return yesOrNo(payloadText(e.value("payloads", nlohmann::json())));
    if (type == event::kMessageAccount && from_peer(e.value("from", "")))
        return yesOrNo(payloadText(e.value("payloads", nlohmann::json())));
    if (type == event::kMessageReceived && e.contains("message") && e["message"].is_object()) {
        const auto& message = e["message"];
        if (message.value("type", "") == "text/plain" && from_peer(message.value("author", "")))
            return yesOrNo(message.value("body", ""));
    }
    return std::nullopt;
}

}  // namespace jskill
