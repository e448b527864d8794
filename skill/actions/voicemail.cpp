// voicemail.*: the answering machine's messages, kept in the state dir
// (skill/voice/voicemail_store.hpp). Reading them touches no daemon.
#include "base/error.hpp"
#include "skill/actions/registry.hpp"
#include "skill/arguments.hpp"
#include "skill/events.hpp"
#include "skill/request.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;

namespace {

// A record as shown: the caller's current name in the book (the record's is
// what it was then), and what a caller said marked untrusted.
json shown(State& state, json record) {
    const std::string now = contactNameOf(state, record.value("peer", ""));
    if (!now.empty()) record["contact"] = now;
    record["untrusted"] = true;
    return record;
}

json recordOf(State& state, const Request& request) {
    const std::string id = stringArg(request.args, "id");
    auto record = state.voicemail.find(id);
    if (!record)
        throw Error(code::kUnknownVoicemail, "there is no voicemail " + id,
                    "jamictl voicemail list shows the messages kept (the oldest go when the store is full)");
    return *record;
}

json voicemailList(State& state, const Request& request) {
    const auto count = static_cast<std::size_t>(numberArg(request.args, "count", 20, 1, 1000));
    json messages = json::array();
    for (auto& record : state.voicemail.list()) {
        if (messages.size() == count) break;
        messages.push_back(shown(state, std::move(record)));
    }
    const auto& rules = state.contacts.current()->policy;
    return {{"ok", true},
            {"voicemails", messages},
            {"folder", state.voicemail.dir().string()},
            {"answering_machine", rules.answering.toJson()},
            {"voice", rules.voice}};
}

json voicemailShow(State& state, const Request& request) {
    return {{"ok", true}, {"voicemail", shown(state, recordOf(state, request))}};
}

json voicemailRemove(State& state, const Request& request) {
    json record = recordOf(state, request);
    if (!state.voicemail.remove(record["id"]))
        throw Error(code::kUnknownVoicemail, "voicemail " + record["id"].get<std::string>() + " was just removed");
    return {{"ok", true}, {"removed", record["id"]}};
}

}  // namespace

void addVoicemailActions(ActionTable& table) {
    table["voicemail.list"] = {.run = voicemailList,
                               .summary = "the answering machine's messages, newest first (count?)",
                               .args = {arg::number("count", 1, 1000)},
                               .follows_events = false};
    table["voicemail.show"] = {.run = voicemailShow,
                               .summary = "one voicemail: caller, time, length, file, transcript (id)",
                               .args = {arg::text("id", arg::kRequired)},
                               .follows_events = false};
    table["voicemail.remove"] = {.run = voicemailRemove,
                                 .summary = "delete one voicemail and its recording (id)",
                                 .effects = Effect::kRemovesKept,
                                 .args = {arg::text("id", arg::kRequired)},
                                 .follows_events = false};
}

}  // namespace jskill
