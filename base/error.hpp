// The one error type of the skill. Everything that fails inside the library
// ends up as an Error, and the ABI turns it into
// {"ok":false,"error":{"code","message","hint"}}.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace jskill {

// Stable error codes: part of the public contract (docs/abi.md). Append only.
namespace code {
inline constexpr const char* kInvalidArgument = "invalid_argument";
inline constexpr const char* kInvalidJson = "invalid_json";
inline constexpr const char* kInvalidUtf8 = "invalid_utf8";
inline constexpr const char* kUnknownAction = "unknown_action";
inline constexpr const char* kMissingSlot = "missing_slot";
inline constexpr const char* kNoIntent = "no_intent";
inline constexpr const char* kDaemonUnavailable = "daemon_unavailable";
inline constexpr const char* kDaemonError = "daemon_error";
inline constexpr const char* kDaemonUnsupported = "daemon_unsupported";
inline constexpr const char* kUnknownAccount = "unknown_account";
inline constexpr const char* kNoAccount = "no_account";
inline constexpr const char* kAmbiguousAccount = "ambiguous_account";
inline constexpr const char* kAccountCreateFailed = "account_create_failed";
inline constexpr const char* kUnknownContact = "unknown_contact";
inline constexpr const char* kAmbiguousContact = "ambiguous_contact";
inline constexpr const char* kSeveralRecipients = "several_recipients";
inline constexpr const char* kConfigError = "config_error";
inline constexpr const char* kDryRun = "dry_run";
inline constexpr const char* kNotImplemented = "not_implemented";
inline constexpr const char* kInternal = "internal_error";
inline constexpr const char* kNoCall = "no_call";
inline constexpr const char* kUnknownCall = "unknown_call";
inline constexpr const char* kAmbiguousCall = "ambiguous_call";
inline constexpr const char* kCallFailed = "call_failed";
inline constexpr const char* kNoAnswer = "no_answer";
inline constexpr const char* kTimeout = "timeout";
inline constexpr const char* kRefusedByJamid = "refused_by_jamid";
inline constexpr const char* kNoRequest = "no_request";
inline constexpr const char* kMessageFailed = "message_failed";
inline constexpr const char* kNameRegistrationFailed = "name_registration_failed";
inline constexpr const char* kNotAllowed = "not_allowed";
inline constexpr const char* kConfirmationRequired = "confirmation_required";
inline constexpr const char* kRateLimited = "rate_limited";
inline constexpr const char* kLimitReached = "limit_reached";
inline constexpr const char* kVoiceOff = "voice_off";
inline constexpr const char* kVoiceUnavailable = "voice_unavailable";
inline constexpr const char* kUnknownVoicemail = "unknown_voicemail";
inline constexpr const char* kConflictingRequest = "conflicting_request";
inline constexpr const char* kPluginUnavailable = "plugin_unavailable";
}  // namespace code

class Error : public std::runtime_error {
public:
    Error(std::string code, std::string message, std::string hint = {},
          nlohmann::json extra = nlohmann::json::object());

    const std::string& code() const noexcept { return code_; }
    const std::string& hint() const noexcept { return hint_; }
    // Members added beside "error" in the result, e.g. "candidates".
    const nlohmann::json& extra() const noexcept { return extra_; }

    nlohmann::json toJson() const;

private:
    std::string code_;
    std::string hint_;
    nlohmann::json extra_;
};

// {"ok":false,"error":{...}} for a code that has no Error object at hand.
nlohmann::json errorResult(const std::string& code, const std::string& message, const std::string& hint = {});

}  // namespace jskill
