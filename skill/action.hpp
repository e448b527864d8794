// What an action is, as a row of the registry (skill/actions/registry.hpp)
// the dispatcher (skill/skill.cpp) reads: a specification. From the row
// alone, never from the action's name, the dispatcher decides whom the
// request reaches, whether the policy and the limits allow it, what the
// user must confirm, what a dry run answers and what is audited; and it
// checks the arguments the row declares before anything runs, so a dry run
// refuses what the real request would.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "skill/arguments.hpp"

namespace jskill {

struct State;
struct Request;

// What an action does to the world (a set: combine with |).
enum class Effect : unsigned {
    kNone = 0,
    kEditsToolsMd = 1,   // writes the contact book: a dry run checks the edit without writing
    kReachesPerson = 2,  // calls or messages someone: policy and limits first
    kChangesJamid = 4,   // changes a call, an account or the daemon
    kRemovesKept = 8,    // removes something the skill kept for the user (a voicemail)
};
constexpr Effect operator|(Effect a, Effect b) {
    return static_cast<Effect>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr bool has(Effect set, Effect one) { return (static_cast<unsigned>(set) & static_cast<unsigned>(one)) != 0; }

// Whom a request is about, resolved by the dispatcher before the action
// runs (an action never resolves a person itself).
enum class Whom {
    kNobody,
    kContact,         // "contact" (or a sentence's {contact}) resolved to a Target; required
    kContactIfNamed,  // the same when given (message.read: one conversation or all)
    kNameAsWritten,   // the book's edits: the name as written ("contact", else "name"), or a sentence's contact
    kWhoReachedUs,    // "peer", who wrote to the account first: "Contacts only" lets them be answered; the
                      // action's precondition confirms on jamid that they did (message.reply), before the limits
};

// The outbound ledger's rate limits an action counts against.
enum class Limit { kNone, kCall, kMessage };
// The ledger's kind ("call", "message"); nullptr for kNone.
const char* ledgerKind(Limit limit);

using Action = std::function<nlohmann::json(State&, const Request&)>;
struct ActionInfo {
    Action run{};
    const char* summary = "";
    Effect effects = Effect::kNone;
    Whom whom = Whom::kNobody;
    Limit limit = Limit::kNone;  // with kReachesPerson
    // The arguments it reads, checked before anything runs (dry runs too).
    std::vector<ArgSpec> args{};
    // What the user must confirm first ("" when nothing): for adding,
    // renaming and removing contacts, removing accounts, raw account keys.
    std::function<std::string(const Request&)> needs_confirmation{};
    // What the request needs of the user's settings, refused before the
    // policy's limits and jamid are asked (a dry run too): call.start's
    // "say" needs Voice on. Throws Error.
    std::function<void(State&, const Request&)> precondition{};
    // What a dry run's plan says beside the target (call.bridge: the
    // owner's leg too). Throws Error like the precondition.
    std::function<nlohmann::json(State&, const Request&)> plans{};
    // Whether the jamid client must follow jamid's signals while it runs
    // (the action waits for an outcome, or places something whose events a
    // person or the duration guard needs). False only for a read that
    // method calls answer alone: a one-shot then makes no match rule and
    // starts no loop thread (~0.4 ms). When in doubt, true.
    bool follows_events = true;
};
using ActionTable = std::map<std::string, ActionInfo>;

}  // namespace jskill
