// The forms of each changed feature, from jamid's history (the
// bin/dbus/cx.ring.Ring.*.xml files of savoirfairelinux/jami-daemon; dates are
// the first stable release with the change). Newest first.
#include "skill/jamid/interface.hpp"

#include <array>

namespace jskill::jamid {
namespace {

enum class Object { kCallManager, kConfigurationManager };

struct FormRow {
    Feature feature;
    Form form;
    Object object;
    const char* member;     // "method name" or "signal name" as parseIntrospection keys them
    const char* signature;  // in-arguments (methods) or arguments (signals)
    const char* also;       // a second member the form needs ("" none), same object
    const char* also_signature;
};

constexpr std::array kForms{
    // resume (ss) replaced unhold (ss) in 2026-02 (stable/20260306.0).
    FormRow{Feature::kResume, Form::kResume, Object::kCallManager, "method resume", "ss", "", ""},
    FormRow{Feature::kResume, Form::kUnhold, Object::kCallManager, "method unhold", "ss", "", ""},
    // A flag (0 plain, 1 only if connected) since 2023-02 (stable/20230306.0).
    FormRow{Feature::kSendText, Form::kSendTextWithFlag, Object::kConfigurationManager, "method sendTextMessage",
            "ssa{ss}i", "", ""},
    FormRow{Feature::kSendText, Form::kSendTextPlain, Object::kConfigurationManager, "method sendTextMessage",
            "ssa{ss}", "", ""},
    // (account, name, scheme, password) since 14.0 (stable/20240125.0); 13.7
    // reads (account, password, name) and silently ignores a 4th argument.
    FormRow{Feature::kRegisterName, Form::kRegisterNameSchemePassword, Object::kConfigurationManager,
            "method registerName", "ssss", "", ""},
    FormRow{Feature::kRegisterName, Form::kRegisterPasswordName, Object::kConfigurationManager, "method registerName",
            "sss", "", ""},
    // loadConversation + swarmLoaded since 2023-12; loadConversationMessages +
    // conversationLoaded removed in 2025-12 (stable/20251212.0). The swarm
    // struct has 6 fields before 15.2 and 7 after: the client reads both.
    FormRow{Feature::kHistory, Form::kLoadConversation, Object::kConfigurationManager, "method loadConversation",
            "sssu", "signal swarmLoaded", ""},
    FormRow{Feature::kHistory, Form::kLoadConversationMessages, Object::kConfigurationManager,
            "method loadConversationMessages", "sssu", "signal conversationLoaded", "ussaa{ss}"},
    // Both are emitted from 14.0 until messageReceived was removed in 2025-12:
    // the client listens to the one chosen here only.
    FormRow{Feature::kMessageSignal, Form::kSwarmMessageReceived, Object::kConfigurationManager,
            "signal swarmMessageReceived", "", "", ""},
    FormRow{Feature::kMessageSignal, Form::kMessageReceived, Object::kConfigurationManager, "signal messageReceived",
            "ssa{ss}", "", ""},
    // incomingCall grew its media list when incomingCallWithMedia was removed (2025-12).
    FormRow{Feature::kIncomingCall, Form::kIncomingCallMedia, Object::kCallManager, "signal incomingCall", "sssaa{ss}",
            "", ""},
    FormRow{Feature::kIncomingCall, Form::kIncomingCallWithMedia, Object::kCallManager, "signal incomingCallWithMedia",
            "sssaa{ss}", "", ""},
};

constexpr std::array<const char*, kFeatureCount> kFeatureNames{"resume",  "send_text",      "register_name",
                                                               "history", "message_signal", "incoming_call"};

// An empty expected signature accepts any (the swarm struct has two layouts).
bool has(const Members& members, const char* member, const char* signature) {
    if (!*member) return true;
    auto it = members.find(member);
    return it != members.end() && (!*signature || it->second.in == signature);
}

// The value of attribute `name` inside one tag's text ("" if absent).
std::string_view attribute(std::string_view tag, std::string_view name) {
    for (std::size_t at = 0; (at = tag.find(name, at)) != std::string_view::npos; at += name.size()) {
        const bool starts =
            at > 0 && (tag[at - 1] == ' ' || tag[at - 1] == '\t' || tag[at - 1] == '\n' || tag[at - 1] == '\r');
        std::size_t eq = at + name.size();
        while (eq < tag.size() && tag[eq] == ' ') ++eq;
        if (!starts || eq >= tag.size() || tag[eq] != '=') continue;
        std::size_t open = eq + 1;
        while (open < tag.size() && tag[open] == ' ') ++open;
        if (open >= tag.size() || (tag[open] != '"' && tag[open] != '\'')) continue;
        const std::size_t close = tag.find(tag[open], open + 1);
        if (close == std::string_view::npos) return {};
        return tag.substr(open + 1, close - open - 1);
    }
    return {};
}

}  // namespace

Members parseIntrospection(std::string_view xml) {
    Members members;
    std::string interface_name;
    std::string current;  // "method name" while inside one, else ""
    bool is_method = false;
    for (std::size_t at = xml.find('<'); at != std::string_view::npos; at = xml.find('<', at)) {
        if (xml.substr(at, 4) == "<!--") {
            const std::size_t end = xml.find("-->", at + 4);
            if (end == std::string_view::npos) break;
            at = end + 3;
            continue;
        }
        const std::size_t end = xml.find('>', at);
        if (end == std::string_view::npos) break;
        const std::string_view tag = xml.substr(at, end - at + 1);
        at = end + 1;
        const bool self_closing = tag.size() >= 2 && tag[tag.size() - 2] == '/';
        if (tag.starts_with("<interface ")) {
            interface_name = attribute(tag, "name");
        } else if (tag.starts_with("<method ") || tag.starts_with("<signal ")) {
            is_method = tag.starts_with("<method ");
            current = std::string(is_method ? "method " : "signal ") + std::string(attribute(tag, "name"));
            members[current].interface_name = interface_name;  // a member with no arguments has empty signatures
            if (self_closing) current.clear();
        } else if (tag.starts_with("</method") || tag.starts_with("</signal")) {
            current.clear();
        } else if (!current.empty() && tag.starts_with("<arg ")) {
            const std::string_view direction = attribute(tag, "direction");
            // Method arguments are "in" unless they say otherwise; signal
            // arguments have no direction (or "out").
            Member& member = members[current];
            (!is_method || direction.empty() || direction == "in" ? member.in : member.out) += attribute(tag, "type");
        }
    }
    return members;
}

DaemonInterface DaemonInterface::fromIntrospection(std::string_view call_manager_xml,
                                                   std::string_view configuration_manager_xml) {
    const Members calls = parseIntrospection(call_manager_xml);
    const Members config = parseIntrospection(configuration_manager_xml);
    DaemonInterface found;
    found.known_ = true;
    for (const FormRow& row : kForms) {
        Form& chosen = found.forms_[static_cast<int>(row.feature)];
        if (chosen != Form::kNone) continue;
        const Members& members = row.object == Object::kCallManager ? calls : config;
        if (has(members, row.member, row.signature) && has(members, row.also, row.also_signature)) chosen = row.form;
    }
    return found;
}

std::string DaemonInterface::memberOf(Form form) {
    // "method resume" → "resume"
    auto bare = [](std::string_view key) { return std::string(key.substr(key.find(' ') + 1)); };
    for (const FormRow& row : kForms) {
        if (row.form != form) continue;
        std::string text = bare(row.member);
        if (*row.signature) text += std::string("(") + row.signature + ")";
        if (*row.also) text += " + " + bare(row.also);
        return text;
    }
    return "none";
}

const char* DaemonInterface::nameOf(Feature feature) { return kFeatureNames[static_cast<int>(feature)]; }

nlohmann::json DaemonInterface::describe() const {
    nlohmann::json out{{"known", known_}};
    if (!known_) return out;
    nlohmann::json features = nlohmann::json::object();
    nlohmann::json missing = nlohmann::json::array();
    for (int i = 0; i < kFeatureCount; ++i) {
        const auto feature = static_cast<Feature>(i);
        features[nameOf(feature)] = memberOf(forms_[i]);
        if (forms_[i] == Form::kNone) missing.push_back(nameOf(feature));
    }
    out["features"] = features;
    out["missing"] = missing;
    return out;
}

}  // namespace jskill::jamid
