// How jamictl shows a result to a person: one printer per action (the
// action is known: the request's, or for a sentence the intent it was read
// as), the dry-run forms shared by all, errors and events. --json output
// never comes here. Text from peers is made printable first.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace jamictl {

// Never throws on invalid UTF-8 (it is replaced): jamictl must not abort.
std::string dump(const nlohmann::json& value, int indent = -1);
// A string member as a terminal may show it ("" when absent).
std::string str(const nlohmann::json& object, const char* key);

// A successful result of `action` (a request's "action", or the intent a
// sentence was read as), on stdout.
void printResult(const std::string& action, const nlohmann::json& result);
// A failed result, on stderr: message, code, candidates, limits, hint.
void printError(const nlohmann::json& result);

// What `message listen` shows: what arrives, not our own echoes.
bool worthListening(const nlohmann::json& event);
void printEvent(const nlohmann::json& event);

}  // namespace jamictl
