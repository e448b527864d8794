// message.*: swarm messages (with a fallback to jamid's plain text
// messages) and reading a conversation.
#include <algorithm>

#include "base/error.hpp"
#include "contacts/contact_id.hpp"
#include "skill/actions/accounts.hpp"
#include "skill/actions/registry.hpp"
#include "skill/arguments.hpp"
#include "skill/event_types.hpp"
#include "skill/events.hpp"
#include "skill/request.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Status numbers of accountMessageStatusChanged / getMessageStatus.
const char* statusName(int status) {
    switch (status) {
    case 1: return "sending";
    case 2: return "sent";
    case 3: return "displayed";
    case 4: return "failed";
    case 5: return "cancelled";
    default: return "unknown";
    }
}

// The 1:1 conversation with a peer: the contact's, created (with a trust
// request) when missing. Empty when jamid cannot give one.
std::string conversationWith(Jamid& jamid, const std::string& account, const std::string& peer, bool create) {
    std::string conversation = jamid.conversationWith(account, peer);
    if (!conversation.empty() || !create) return conversation;
    jamid.addContact(account, peer);            // creates the conversation, tells nobody...
    jamid.sendTrustRequest(account, peer, "");  // ...so invite the peer too
    return jamid.conversationWith(account, peer);
}

// The peer's role in a conversation: "member" once it joined, "invited"
// before, "" when jamid does not list it.
std::string peerRole(Jamid& jamid, const std::string& account, const std::string& conversation,
                     const std::string& peer) {
    for (const auto& m : jamid.conversationMembers(account, conversation))
        if (m.uri == peer) return m.role;
    return {};
}

// The text of message.send and message.reply.
std::string messageText(const json& args) {
    std::string text = stringArg(args, "message");
    if (text.empty()) throw Error(code::kMissingSlot, "the message is empty", "say what to send");
    if (text.size() > 64 * 1024) throw Error(code::kInvalidArgument, "the message is longer than 64 kB");
    return text;
}

std::chrono::milliseconds waitOf(const json& args) {
    return std::chrono::milliseconds(static_cast<long long>(numberArg(args, "wait_s", 3, 0, 60) * 1000));
}

// `text` into a conversation: whether the peer has joined, the message id
// from our own copy of the commit, and jamid's delivery report when it has
// one yet. Fills `out`.
void sendInConversation(State& state, Jamid& jamid, const std::string& account, const std::string& conversation,
                        const std::string& peer, const std::string& text, std::chrono::milliseconds wait, json& out) {
    const std::string me = ownUriOf(state, account);
    const auto mark = state.recent.mark();
    jamid.sendMessage(account, conversation, text);
    out["via"] = "conversation";
    out["conversation_id"] = conversation;
    // Until the peer has joined (accepted the contact request, and we have
    // seen its join), the message waits in the conversation for it.
    const std::string role = peerRole(jamid, account, conversation, peer);
    out["peer_joined"] = role == "member" || role == "admin";
    // jamid answers nothing; our own copy of the commit carries its id.
    auto own = state.recent.waitFor(
        mark,
        [&](const json& e) {
            return event::typeOf(e) == event::kMessageReceived && e.value("conversation_id", "") == conversation &&
                   e["message"].value("author", "") == me && e["message"].value("body", "") == text;
        },
        wait);
    if (!own) {
        out["status"] = "queued";
        return;
    }
    const std::string message_id = (*own)["message"].value("id", "");
    out["message_id"] = message_id;
    // Delivery reports, when jamid has any yet (SENT needs the peer online).
    auto sent = state.recent.waitFor(
        mark,
        [&](const json& e) {
            return event::typeOf(e) == event::kMessageStatus && e.value("message_id", "") == message_id &&
                   e.value("peer", "") != me && e.value("status", 0) >= 2;
        },
        0ms);
    out["status"] = sent ? statusName(sent->value("status", 0)) : "committed";
}

json messageSend(State& state, const Request& request) {
    const json& args = request.args;
    const contacts::Contact& contact = request.target->contact;  // resolved and allowed by the dispatcher
    const std::string text = messageText(args);
    const auto wait = waitOf(args);
    auto jamid = state.jamid();
    const std::string account = resolveAccount(state, *jamid, stringArg(args, "account", false));
    json out{{"ok", true}, {"to", {{"name", contact.name}, {"id", contact.id}}}, {"account", account}};

    if (!isJamiAccount(*jamid, account) || contacts::isSipUri(contact.id)) {
        // SIP: a SIP MESSAGE, the only kind there is.
        const auto mark = state.recent.mark();
        const std::uint64_t id = jamid->sendTextMessage(account, contact.id, text);
        if (id == 0)
            throw Error(code::kMessageFailed, "jamid did not accept the message", "check the account and address");
        out["via"] = "text_message";
        out["message_id"] = std::to_string(id);
        auto status = state.recent.waitFor(
            mark,
            [&](const json& e) {
                return event::typeOf(e) == event::kMessageStatus && e.value("message_id", "") == std::to_string(id) &&
                       e.value("status", 0) >= 2;
            },
            wait);
        out["status"] = statusName(status ? status->value("status", 0) : jamid->messageStatus(id));
        return out;
    }

    const std::string peer = contacts::peerId(contact.id);
    const std::string conversation = conversationWith(*jamid, account, peer, true);
    if (conversation.empty()) {
        // No swarm could be had (e.g. a username jamid cannot resolve to an
        // id): jamid's plain text message still reaches the peer's devices.
        const std::uint64_t id = jamid->sendTextMessage(account, peer, text);
        if (id == 0)
            throw Error(code::kMessageFailed, "jamid could not send to " + contact.id,
                        "the id must be a 40-hex Jami ID the account can reach");
        out["via"] = "text_message";
        out["message_id"] = std::to_string(id);
        out["status"] = statusName(jamid->messageStatus(id));
        return out;
    }
    sendInConversation(state, *jamid, account, conversation, peer, text, wait, out);
    if (!out.value("peer_joined", true))
        out["hint"] = (contact.name.empty() ? peer : contact.name) +
                      " has not joined the conversation yet: the message is delivered once they accept the "
                      "contact request";
    return out;
}

// How someone who reached the account first is answered: the 1:1
// conversation they are a member of, or, while their contact request waits
// (nothing accepted it), a plain text message, which opens nothing.
struct ReplyRoute {
    std::string account, peer;
    std::string conversation;  // empty: a plain text message
};

// The route to request.target, confirmed on jamid; not_allowed for someone
// who never wrote. Asked before the ledger counts the message
// (ActionInfo::precondition) and again when it is sent.
ReplyRoute replyRoute(State& state, Jamid& jamid, const Request& request) {
    const contacts::Contact& contact = request.target->contact;
    ReplyRoute route;
    route.account = resolveAccount(state, jamid, stringArg(request.args, "account", false));
    if (!isJamiAccount(jamid, route.account) || contacts::isSipUri(contact.id))
        throw Error(code::kInvalidArgument, "message.reply answers a Jami peer", "for a SIP contact use message.send");
    route.peer = contacts::peerId(contact.id);
    if (std::string conversation = conversationWith(jamid, route.account, route.peer, false); !conversation.empty()) {
        const std::string role = peerRole(jamid, route.account, conversation, route.peer);
        if (role == "member" || role == "admin") {
            route.conversation = std::move(conversation);
            return route;
        }
    }
    const auto requests = jamid.trustRequests(route.account);
    if (std::none_of(requests.begin(), requests.end(), [&](const TrustRequest& t) { return t.from == route.peer; }))
        throw Error(code::kNotAllowed,
                    (contact.name.empty() ? route.peer : contact.name) + " has not written to this account",
                    "message.reply answers only someone who reached you (a conversation they joined, or their "
                    "contact request); to reach a contact, message.send");
    return route;
}

// An answer to someone who reached the account first. The dispatcher let
// the peer through "Contacts only" on that claim (Whom::kWhoReachedUs);
// jamid confirmed it in the precondition, and does again here.
json messageReply(State& state, const Request& request) {
    const std::string text = messageText(request.args);
    auto jamid = state.jamid();
    const ReplyRoute route = replyRoute(state, *jamid, request);
    json out{
        {"ok", true}, {"to", {{"name", request.target->contact.name}, {"id", route.peer}}}, {"account", route.account}};
    if (!route.conversation.empty()) {
        sendInConversation(state, *jamid, route.account, route.conversation, route.peer, text, waitOf(request.args),
                           out);
        return out;
    }
    const std::uint64_t id = jamid->sendTextMessage(route.account, route.peer, text);
    if (id == 0)
        throw Error(code::kMessageFailed, "jamid could not send to " + route.peer, "is the account registered?");
    out["via"] = "text_message";
    out["message_id"] = std::to_string(id);
    out["status"] = statusName(jamid->messageStatus(id));
    out["peer_joined"] = false;
    return out;
}

// Newest `count` text messages of one conversation, oldest first.
json readConversation(State& state, Jamid& jamid, const std::string& account, const std::string& conversation,
                      std::uint32_t count, const std::string& me) {
    const auto mark = state.recent.mark();
    const std::uint32_t request = jamid.loadConversation(account, conversation, count * 4 + 8);
    json messages = json::array();
    if (request == 0) return messages;
    auto loaded = state.recent.waitFor(
        mark,
        [&](const json& e) {
            return event::typeOf(e) == event::kConversationLoaded && e.value("request_id", 0u) == request &&
                   e.value("conversation_id", "") == conversation;
        },
        state.options.timeout);
    if (!loaded) throw Error(code::kTimeout, "jamid did not load the conversation in time", "try again");
    for (const auto& m : (*loaded)["messages"]) {  // newest first
        if (m.value("type", "") != "text/plain" || m.contains("react-to")) continue;
        const std::string author = m.value("author", "");
        json entry{{"id", m.value("id", "")},
                   {"author", author},
                   {"from", author == me ? std::string("me") : contactNameOf(state, author)},
                   {"direction", author == me ? "out" : "in"},
                   {"body", m.value("body", "")},
                   {"timestamp", std::atoll(m.value("timestamp", "0").c_str())},
                   {"conversation_id", conversation}};
        messages.push_back(entry);
        if (messages.size() >= count) break;
    }
    std::reverse(messages.begin(), messages.end());
    return messages;
}

json messageRead(State& state, const Request& request) {
    const json& args = request.args;
    const auto count = static_cast<std::uint32_t>(numberArg(args, "count", 10, 1, 200));
    auto jamid = state.jamid();
    const std::string account = resolveAccount(state, *jamid, stringArg(args, "account", false));
    if (!isJamiAccount(*jamid, account))
        throw Error(code::kInvalidArgument, "account " + account + " is a SIP account: it keeps no conversations");
    const std::string me = ownUriOf(state, account);
    json out{{"ok", true}, {"account", account}};
    if (request.target) {  // one conversation (Whom::kContactIfNamed), else all
        const contacts::Contact& contact = request.target->contact;
        out["with"] = {{"name", contact.name}, {"id", contact.id}};
        const std::string conversation = conversationWith(*jamid, account, contacts::peerId(contact.id), false);
        out["messages"] =
            conversation.empty() ? json::array() : readConversation(state, *jamid, account, conversation, count, me);
        if (conversation.empty())
            out["hint"] = "no conversation with this contact yet";
        else
            out["peer_role"] = peerRole(*jamid, account, conversation, contacts::peerId(contact.id));
        return out;
    }
    json all = json::array();
    for (const auto& conversation : jamid->conversationIds(account))
        for (auto& m : readConversation(state, *jamid, account, conversation, count, me)) all.push_back(std::move(m));
    std::stable_sort(all.begin(), all.end(),
                     [](const json& a, const json& b) { return a["timestamp"] < b["timestamp"]; });
    if (all.size() > count) all.erase(all.begin(), all.end() - count);
    out["messages"] = all;
    return out;
}

}  // namespace

void addMessageActions(ActionTable& table) {
    table["message.send"] = {
        .run = messageSend,
        .summary = "send a text message (contact, message, account?, wait_s?)",
        .effects = Effect::kReachesPerson,
        .whom = Whom::kContact,
        .limit = Limit::kMessage,
        .args = {arg::text("message", arg::kRequired), arg::text("account"), arg::number("wait_s", 0, 60)}};
    table["message.reply"] = {
        .run = messageReply,
        .summary = "answer someone who wrote to you (peer: Jami ID or name, message, account?); for hosts",
        .effects = Effect::kReachesPerson,
        .whom = Whom::kWhoReachedUs,
        .limit = Limit::kMessage,
        .args = {arg::text("peer", arg::kRequired), arg::text("message", arg::kRequired), arg::text("account"),
                 arg::number("wait_s", 0, 60)},
        // Someone who never wrote is refused before the ledger counts a
        // message; a dry run does not ask jamid.
        .precondition = [](State& state, const Request& request) {
            if (!request.dry_run) replyRoute(state, *state.jamid(), request);
        }};
    table["message.read"] = {.run = messageRead,
                             .summary = "recent messages (contact?, count?)",
                             .whom = Whom::kContactIfNamed,
                             .args = {arg::number("count", 1, 200), arg::text("account")}};
}

}  // namespace jskill
