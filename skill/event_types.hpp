// Every event type the skill sends a host, named once. The jamid door
// (skill/jamid/) makes them from jamid's signals, the call tracker, the
// actions' waits and the event path (skill/events.cpp) read them, and
// docs/abi.md documents each (tests/unit/event_types_test.cpp holds the two
// lists together). A new event is a line here, in kAllEventTypes, and in
// docs/abi.md.
#pragma once

#include <string_view>

namespace jskill::event {

inline constexpr std::string_view kCallState = "call.state";
inline constexpr std::string_view kCallIncoming = "call.incoming";
inline constexpr std::string_view kCallPeerHold = "call.peer_hold";
inline constexpr std::string_view kCallMedia = "call.media";
inline constexpr std::string_view kCallAudioMuted = "call.audio_muted";
inline constexpr std::string_view kCallMessage = "call.message";
inline constexpr std::string_view kAccountsChanged = "accounts.changed";
inline constexpr std::string_view kAccountRegistration = "account.registration";
inline constexpr std::string_view kAccountVolatile = "account.volatile";
inline constexpr std::string_view kAccountNameRegistration = "account.name_registration";
inline constexpr std::string_view kContactRequest = "contact.request";
inline constexpr std::string_view kContactAdded = "contact.added";
inline constexpr std::string_view kContactRemoved = "contact.removed";
inline constexpr std::string_view kConversationReady = "conversation.ready";
inline constexpr std::string_view kConversationRequest = "conversation.request";
inline constexpr std::string_view kConversationMember = "conversation.member";
inline constexpr std::string_view kConversationLoaded = "conversation.loaded";
inline constexpr std::string_view kConversationRemoved = "conversation.removed";
inline constexpr std::string_view kConversationError = "conversation.error";
inline constexpr std::string_view kMessageReceived = "message.received";
inline constexpr std::string_view kMessageAccount = "message.account";
inline constexpr std::string_view kMessageStatus = "message.status";
inline constexpr std::string_view kAudioVolume = "audio.volume";
// The skill's own, not jamid's: the answer to a notify call's question.
inline constexpr std::string_view kCallAcknowledged = "call.acknowledged";
// The skill's own: a message the answering machine took (or a caller who left none).
inline constexpr std::string_view kVoicemail = "voicemail";
// The skill's own: a bridge's state (connected, ended, failed) and who answered.
inline constexpr std::string_view kCallBridged = "call.bridged";
inline constexpr std::string_view kUnreadableSignal = "jamid.unreadable_signal";
inline constexpr std::string_view kError = "error";  // the ABI's own: a failure of jami_skill_next_event

inline constexpr std::string_view kAllEventTypes[] = {
    kCallState,          kCallIncoming,       kCallPeerHold,        kCallMedia,         kCallAudioMuted,
    kCallMessage,        kAccountsChanged,    kAccountRegistration, kAccountVolatile,   kAccountNameRegistration,
    kContactRequest,     kContactAdded,       kContactRemoved,      kConversationReady, kConversationRequest,
    kConversationMember, kConversationLoaded, kConversationRemoved, kConversationError, kMessageReceived,
    kMessageAccount,     kMessageStatus,      kAudioVolume,         kUnreadableSignal,  kError,
    kCallAcknowledged,   kVoicemail,          kCallBridged,
};

// An event's type, "" when it has none.
template <class Json>
std::string_view typeOf(const Json& e) {
    auto it = e.find("type");
    return it != e.end() && it->is_string() ? std::string_view(it->template get_ref<const std::string&>())
                                            : std::string_view();
}

}  // namespace jskill::event
