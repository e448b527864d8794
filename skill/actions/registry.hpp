// The action registry: every action's row (skill/action.hpp), each group
// from its own file in skill/actions/. The skill facade builds it once per
// handle; `help` and jamictl's command table list it.
#pragma once

#include "skill/action.hpp"

namespace jskill {

// Every action, each group from its own file in skill/actions/.
ActionTable allActions();
void addAboutActions(ActionTable& table);      // about.cpp: help, intent.parse, policy.show, audit.read
void addContactActions(ActionTable& table);    // contacts.cpp: the book's edits and jamid's contact requests
void addAccountActions(ActionTable& table);    // accounts.cpp: account.*, daemon.*
void addCallActions(ActionTable& table);       // calls.cpp: call.*, audio.volume
void addMessageActions(ActionTable& table);    // messages.cpp: message.*
void addVoicemailActions(ActionTable& table);  // voicemail.cpp: voicemail.*

}  // namespace jskill
