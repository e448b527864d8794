// The action registry: one row per action, read by the dispatcher
// (skill/skill.cpp), `help` and jamictl's command table. A row says what
// the action does to the world; the dispatcher decides dry run, policy,
// confirmation and auditing from the row alone, never from the action's name.
#pragma once

#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace jskill {

struct State;
struct Request;

// What an action does to the world.
enum Effect : unsigned {
    kNoEffect = 0,
    kEditsToolsMd = 1,   // writes the contact book
    kReachesPerson = 2,  // calls or messages someone: policy and limits first
    kChangesJamid = 4,   // changes a call, an account or the daemon
};

using Action = std::function<nlohmann::json(State&, const Request&)>;
struct ActionInfo {
    ActionInfo() = default;
    ActionInfo(Action run_, const char* summary_, unsigned effects_ = kNoEffect,
               std::function<std::string(const Request&)> needs_confirmation_ = {}, const char* limit_kind_ = nullptr)
        : run(std::move(run_)), summary(summary_), effects(effects_),
          needs_confirmation(std::move(needs_confirmation_)), limit_kind(limit_kind_) {}
    Action run;
    const char* summary = "";
    unsigned effects = kNoEffect;
    // What the user must confirm first ("" when nothing): for adding,
    // renaming and removing contacts, removing accounts, raw account keys.
    std::function<std::string(const Request&)> needs_confirmation;
    // The ledger kind for kReachesPerson actions with rate limits ("call", "message").
    const char* limit_kind = nullptr;
};
using ActionTable = std::map<std::string, ActionInfo>;

// Every action, each group from its own file in skill/actions/.
ActionTable allActions();
void addAboutActions(ActionTable& table);     // about.cpp: help, intent.parse, policy.show, audit.read
void addContactActions(ActionTable& table);   // contacts.cpp: the book's edits and jamid's contact requests
void addAccountActions(ActionTable& table);   // accounts.cpp: account.*, daemon.*
void addCallActions(ActionTable& table);      // calls.cpp: call.*, audio.volume
void addMessageActions(ActionTable& table);   // messages.cpp: message.*

}  // namespace jskill
