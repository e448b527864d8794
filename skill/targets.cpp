// Who a request reaches: a name or address resolved against TOOLS.md, never
// a guess (contacts::ContactBook), and the refusals that say so
// (skill/targets.hpp).
#include "skill/targets.hpp"

#include "base/error.hpp"

namespace jskill {

using nlohmann::json;

json contactJson(const contacts::Contact& c) {
    json out{{"name", c.name}, {"id", c.id}};
    if (!c.aliases.empty()) out["aliases"] = c.aliases;
    return out;
}

json Target::toJson() const {
    json out = contactJson(contact);
    out["match"] = match;
    out["in_book"] = in_book;
    return out;
}

namespace {

// What every refusal to guess says to the agent.
constexpr const char* kAskWho =
    "ask the user who they mean; if it is one of the suggestions, repeat the request with that contact's full name. "
    "Only the user adds contacts";

// ambiguous_contact / unknown_contact for a name that did not resolve to one
// contact; `extra` goes beside the error (the recognition, for sentences).
[[noreturn]] void throwUnresolved(const ContactsSnapshot& contacts, const std::string& said,
                                  const contacts::Resolution& res, json extra) {
    const auto& book = contacts.book;
    if (res.kind == contacts::Resolution::Kind::Ambiguous) {
        json candidates = json::array();
        for (auto i : res.candidates) candidates.push_back(contactJson(book.contacts()[i]));
        extra["candidates"] = candidates;
        throw Error(code::kAmbiguousContact, "\"" + said + "\" matches several contacts",
                    "ask the user which one, then use the full name from the candidates", extra);
    }
    json suggestions = json::array();
    for (auto i : res.candidates) {
        json c = contactJson(book.contacts()[i]);
        c["match"] = res.match;  // word, similar, homophone: never acted on
        suggestions.push_back(std::move(c));
    }
    extra["suggestions"] = suggestions;
    const std::string where = contacts.path ? contacts.path->string() : std::string("TOOLS.md (none found)");
    throw Error(code::kUnknownContact,
                suggestions.empty() ? "no contact named \"" + said + "\" in " + where
                                    : "no contact is named exactly \"" + said + "\" in " + where +
                                          " (similar names are only suggestions)",
                kAskWho, extra);
}

}  // namespace

Target resolveTarget(const intents::LanguageFacts& languages, const ContactsSnapshot& contacts, const std::string& said,
                     const std::vector<std::size_t>& prefilter, json extra) {
    if (said.empty()) throw Error(code::kMissingSlot, "missing \"contact\"", "say who, by name");
    if (said.size() > 512) throw Error(code::kInvalidArgument, "\"contact\" is longer than 512 bytes");
    const auto& book = contacts.book;
    Target t;
    t.said = said;
    if (languages.isPronoun(said)) {
        extra["suggestions"] = json::array();
        throw Error(code::kUnknownContact, "\"" + said + "\" does not say who: a pronoun is never taken for a contact",
                    "ask the user who they mean, by name", extra);
    }
    // "call my mother & Alice" reads as the relation "mother" and the
    // contact "& Alice": a name that starts with a list word was joined to
    // someone before it.
    if (languages.afterListWord(said)) {
        throw Error(code::kSeveralRecipients,
                    "\"" + said + "\" starts with a word that joins it to someone before it; this reaches one " +
                        "person at a time, so nothing was done",
                    "ask the user; then make one request per person, each by name", std::move(extra));
    }
    if (contacts::isAddress(said)) {
        // An address: its contact when TOOLS.md has it (the book's id is
        // dialled, not the string typed), else the address as it is.
        if (auto index = book.findById(said)) {
            t.contact = book.contacts()[*index];
            t.match = "id";
            t.in_book = true;
        } else {
            t.contact.id = said;
            t.match = "address";
        }
        return t;
    }
    contacts::Resolution res;
    if (prefilter.size() > 1) {
        res.kind = contacts::Resolution::Kind::Ambiguous;
        res.candidates = prefilter;
    } else {
        res = book.resolve(said);
        // The engine found this exact spelling: the same contact, whatever step names it.
        if (prefilter.size() == 1 &&
            !(res.kind == contacts::Resolution::Kind::Found && res.index == prefilter.front())) {
            res.kind = contacts::Resolution::Kind::Found;
            res.index = prefilter.front();
            res.match = "normalized";
        }
    }
    if (res.kind != contacts::Resolution::Kind::Found) {
        // "Ann and Joe", "张三和李四": not one contact's name, so several people.
        if (auto names = languages.listedNames(said); !names.empty())
            refuseSeveral(contacts, said, names, std::move(extra));
        throwUnresolved(contacts, said, res, std::move(extra));
    }
    t.contact = book.contacts()[res.index];
    t.match = res.match;
    t.in_book = true;
    return t;
}

void refuseSeveral(const ContactsSnapshot& contacts, const std::string& said, const std::vector<std::string>& names,
                   json extra) {
    json recipients = json::array();
    for (const auto& name : names) {
        const auto res = contacts.book.resolve(name);
        json r = res.kind == contacts::Resolution::Kind::Found ? contactJson(contacts.book.contacts()[res.index])
                                                               : json{{"name", nullptr}, {"id", nullptr}};
        r["said"] = name;
        r["in_book"] = res.kind == contacts::Resolution::Kind::Found;
        recipients.push_back(std::move(r));
    }
    extra["recipients"] = recipients;
    throw Error(code::kSeveralRecipients,
                "\"" + said + "\" names " + std::to_string(names.size()) +
                    " people; this reaches one person at a time, so nothing was done",
                "ask the user; then make one request per person, each by name", extra);
}

// `what`: "called", "messaged", "reached".
[[noreturn]] void refuseStranger(const ContactsSnapshot& contacts, const std::string& who, const char* what) {
    throw Error(code::kNotAllowed,
                std::string("only contacts may be ") + what + ", and " + who + " is not one (\"Contacts only\" is on" +
                    (contacts.path ? " for " + contacts.path->string() : std::string()) + ")",
                "tell the user; do not add contacts or change the policy yourself");
}

void checkCaller(const ContactsSnapshot& contacts, const std::string& peer, bool confirmed, const char* what) {
    if (confirmed || !contacts.policy.contacts_only || (!peer.empty() && contacts.book.findById(peer))) return;
    throw Error(code::kNotAllowed,
                std::string("the ringing call is from ") + (peer.empty() ? "an anonymous caller" : peer) +
                    ", who is not a contact (\"Contacts only\" is on)",
                std::string("ask the user; ") + what + " it only if they say so (\"confirmed\":true, jamictl --yes)");
}

}  // namespace jskill
