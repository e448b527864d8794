// One skill handle's state, as every part of the skill sees it: its
// configuration (fixed at open), its services and the lazily connected
// jamid client. Each part declares itself in its own header; this one only
// gathers them. Internal to skill/: hosts use skill.hpp.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>

#include "base/error.hpp"
#include "intents/engine_part.hpp"
#include "intents/language_facts.hpp"
#include "skill/action.hpp"
#include "skill/audit.hpp"
#include "skill/call_tracker.hpp"
#include "skill/contact_book_holder.hpp"
#include "skill/duration_guard.hpp"
#include "skill/event_queue.hpp"
#include "skill/jamid/jamid.hpp"
#include "skill/options.hpp"
#include "skill/outbound.hpp"
#include "skill/own_uris.hpp"
#include "skill/policy.hpp"
#include "skill/recent_events.hpp"
#include "skill/voice/voice.hpp"
#include "skill/voice/voicemail_store.hpp"

namespace jskill {

struct State {
    // state.cpp: reads the pinned policy and checks the contact book (both
    // throw Error); connects to nothing. `actions`: the registry
    // (skill/actions/registry.hpp), built by the facade.
    State(SkillOptions opts, ActionTable actions);

    // Fixed at open.
    const SkillOptions options;
    const std::filesystem::path state_dir;  // call log, audit log, outbound ledger
    const PinnedPolicyFile pinned_file;
    const contacts::PolicySettings pinned;  // the open option and the pinned file, merged
    const ActionTable actions;

    // Services, each thread-safe on its own.
    ContactBookHolder contacts;
    CallTracker calls;    // fed by every jamid event
    RecentEvents recent;  // for actions waiting on an outcome
    EventQueue events;    // for the host (jami_skill_next_event)
    AuditLog audit;
    OutboundLedger ledger;
    OwnUris own_uris;
    Voice voice;               // speech in calls, when the policy's "Voice" is on
    VoicemailStore voicemail;  // the answering machine's messages
    // Where jamid's events arrive (skill/events.cpp, eventSinkOf): set by
    // the facade right after construction, before any request.
    EventSink arrive;

    // The sentence engine: its part is loaded by the first request that
    // needs it, each language compiled as its sentences arrive: structured
    // requests and one-shot commands never pay for either.
    const intents::EnginePart& engine() const { return engine_; }
    // What the languages say about words (pronouns, list words, ...), built
    // by the first request that reads a name or a sentence (~0.1 ms of a
    // cold one-shot that never does: `account list`).
    const intents::LanguageFacts& languages();
    // Which bus jamid is reached on, decided at each connect: the "bus"
    // option, else DBUS_SESSION_BUS_ADDRESS (the session bus), else the
    // address in <state_dir>/jamid.bus that `jamictl daemon start` wrote for
    // a private bus on a machine without a login session, else the session
    // bus's default ($XDG_RUNTIME_DIR/bus).
    struct Bus {
        std::string address;  // empty: the session bus
        std::string from;     // "option", "environment", "bus file", "session"
    };
    Bus bus() const;
    std::filesystem::path busFile() const { return state_dir / "jamid.bus"; }
    // Connected client; throws Error{dry_run} in dry-run mode and
    // Error{daemon_unavailable} when the bus cannot be reached (not tried
    // again for a second after a failure).
    std::shared_ptr<Jamid> jamid();
    // From now on the jamid client follows jamid's signals: the one made
    // next is made so, the one connected now starts. Connects nothing by
    // itself. Called before an action that needs events runs
    // (ActionInfo::follows_events) and by a host listening.
    void followEvents();
    // Hangs up a call the skill placed because it reached its maximum
    // duration (end reason max_duration): the duration guard and call.guard.
    void endAtMaxDuration(const std::string& call_id, const std::string& account);
    // Hangs up a call whose work is done (a notify call's message said, a
    // voicemail recorded). False when jamid stopped answering as it hung up:
    // jamid 13.7 can crash in its own hang-up (docs/jamid.md), and the work
    // is kept (failing a heard message would have a host ring the person
    // again); the caller warns. Other errors are thrown.
    bool hangUpWhenDone(Jamid& jamid, const std::string& account, const std::string& call_id);
    // Stops the duration guard and drops the jamid client (its loop thread
    // is joined): nothing reaches the queues after it. For ~Skill.
    void shutDown();

private:
    intents::EnginePart engine_;
    std::once_flag languages_built_;
    std::unique_ptr<const intents::LanguageFacts> languages_;

    std::mutex jamid_mutex_;  // never held across a D-Bus call but the connect
    std::shared_ptr<Jamid> client_;
    bool follow_events_ = false;  // until a request or a listener needs events, a client only calls methods
    std::optional<Error> connect_failure_;
    std::chrono::steady_clock::time_point retry_connect_at_;

public:
    DurationGuard guard;  // last, so destroyed first: its thread calls back into the state
};

}  // namespace jskill
