// The path of an event (skill/events.cpp): from jamid's signal to the host
// (jami_skill_next_event), with the one thing the skill does by itself on
// an event, answering a caller the policy lists. Event types:
// skill/event_types.hpp.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "skill/jamid/jamid.hpp"
#include "skill/recent_events.hpp"

namespace jskill {

struct State;

// The account's own Jami ID (Account.username), cached. Throws like any
// jamid call.
std::string ownUriOf(State& state, const std::string& account);
// The TOOLS.md name of a peer id, or "" when it is not a contact.
std::string contactNameOf(State& state, const std::string& peer);

// Where jamid's events arrive, on the client's D-Bus loop thread: the call
// tracker and the recent events first (an action waiting on an outcome, or
// a host asking about the event, finds it applied), then the host's queue.
EventSink eventSinkOf(State& state);

// The next event for the host, within `timeout` (jami_skill_next_event):
// enriched (below) and, for a caller the policy lists, auto-answered.
std::optional<nlohmann::json> nextEvent(State& state, std::chrono::milliseconds timeout);

// Adds the peer's TOOLS.md name ("contact"), whether a message is ours
// ("direction"), marks what a peer wrote "untrusted" and what a person
// should be told of "notable".
void enrichEvent(State& state, nlohmann::json& e);
// Answers an incoming call only from an exact id the policy lists, audited.
void autoAnswerEvent(State& state, nlohmann::json& e);
// The audit entry of a call the skill answered by itself (auto-answer, the
// answering machine): a call.accept whose source is the policy.
void auditPolicyAnswer(State& state, const std::string& peer, const std::string& contact, bool answered);

// Whether jamid said (since `since`) that the media of `call_id` were
// negotiated, waiting up to `limit`. Hold, resume, mute and unmute
// renegotiate them (a re-INVITE) after jamid's method has returned; waiting
// keeps the next action from crossing it: jamid 13.7 was seen to crash
// when a hang-up crossed an unmute's re-INVITE. An answered call's media
// start the same way (speech is played once they have).
bool waitForMedia(State& state, RecentEvents::Mark since, const std::string& call_id,
                  std::chrono::milliseconds limit = std::chrono::seconds(5));

// What a result says when speech was started without the evidence that it
// is heard (waitForMedia, then Voice::waitUntilCaptured, 3 s each): "" when
// both were seen. `start_of` names what may be lost ("the greeting").
std::string unseenMediaWarning(bool media, bool captured, const std::string& start_of);

}  // namespace jskill
