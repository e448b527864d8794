// "Did you get it?": the callee's answer, read from a few words alone and
// never taken as anything else (no instruction, no text passed on). Pure
// functions: the call path feeds them pocketsphinx's words and the typed
// replies jamid signals during the listening window.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace jskill {

// True for a yes ("yes", "yeah", "ok", "got it", "1", "好", "好的", "收到",
// "是", "对", ...), false for a no ("no", "nope", "0", "不", "没有", ...),
// nullopt for anything else. The whole text must be the answer: case,
// surrounding spaces and closing punctuation aside ("Yes!" is yes; "no
// problem" and "yes, call me" are neither).
std::optional<bool> yesOrNo(std::string_view text);

// The answer typed by the callee of call `call_id` (placed from `account`
// to `peer`) in one of jamid's raw events: a text inside the call
// (call.message), or a message from that peer to that account, in a Jami
// conversation (message.received) or out of a conversation
// (message.account). nullopt when the event is none of these, comes from
// someone else, or holds no yes or no.
std::optional<bool> typedAnswer(const nlohmann::json& event, std::string_view call_id, std::string_view account,
                                std::string_view peer);

}  // namespace jskill
