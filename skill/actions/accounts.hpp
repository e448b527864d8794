// What the other actions need of accounts: which one a request means.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "skill/jamid/jamid.hpp"

namespace jskill {

struct State;

// An account named by id, alias, username / Jami ID or registered name; or,
// when `ref` is empty, the TOOLS.md account, else the only account. Throws
// no_account / unknown_account / ambiguous_account.
std::string resolveAccount(State& state, Jamid& jamid, const std::string& ref);
// An account as results show it.
nlohmann::json accountSummary(Jamid& jamid, const std::string& account_id);
// A Jami (swarm) account, not a SIP one.
bool isJamiAccount(Jamid& jamid, const std::string& account_id);

}  // namespace jskill
