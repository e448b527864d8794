// contact.*: the contact book's edits and listing (TOOLS.md), and the jamid
// side of contacts: a contact added on jamid with a trust request when it is
// added to the book, and the contact requests jamid holds.
#include "base/error.hpp"
#include "contacts/contact_id.hpp"
#include "contacts/tools_md.hpp"
#include "skill/actions/accounts.hpp"
#include "skill/actions/registry.hpp"
#include "skill/arguments.hpp"
#include "skill/events.hpp"
#include "skill/request.hpp"
#include "skill/state.hpp"
#include "skill/targets.hpp"

namespace jskill {

using nlohmann::json;

namespace {

// Why a contact request cannot be sent, as an error whose extra says
// "skipped" (contact.add reports it as a skip; contact.invite as the error).
[[noreturn]] void cannotInvite(const char* code, const std::string& reason, const std::string& hint) {
    throw Error(code, "no contact request was sent: " + reason, hint, {{"skipped", reason}});
}

// Adds the contact on jamid and sends it a contact request. Throws Error:
// a skip (above) or jamid's own failure.
json sendInvite(State& state, const contacts::Contact& contact) {
    if (!contacts::isJamiId(contact.id))
        cannotInvite(code::kInvalidArgument, "not a 40-hex Jami ID",
                     "contact requests are for Jami contacts; a sip: contact is called directly");
    auto jamid = state.jamid();
    // Only a running jamid: adding a contact must not start a daemon.
    if (!jamid->daemonRunning())
        cannotInvite(code::kDaemonUnavailable, "jamid is not running",
                     "start it (jamictl daemon start), then send the request again (jamictl contact invite NAME)");
    const std::string account = resolveAccount(state, *jamid, "");
    if (!isJamiAccount(*jamid, account))
        cannotInvite(code::kInvalidArgument, "account " + account + " is not a Jami account",
                     "set \"- Account ID:\" in TOOLS.md to a Jami account, or name one");
    const std::string peer = contacts::peerId(contact.id);
    jamid->addContact(account, peer);
    jamid->sendTrustRequest(account, peer, "");
    return {{"trust_request", "sent"}, {"account", account}};
}

// Adds a TOOLS.md contact on jamid too (addContact + sendTrustRequest) when
// jamid runs a Jami account; never throws: the result says what happened.
json inviteOnJami(State& state, const contacts::Contact& contact) {
    try {
        return sendInvite(state, contact);
    } catch (const Error& e) {
        if (e.extra().contains("skipped")) return {{"trust_request", "skipped"}, {"reason", e.extra()["skipped"]}};
        return {{"trust_request", "failed"}, {"error", e.toJson()["error"]}};
    }
}

json contactRequests(State& state, const Request& request) {
    const json& args = request.args;
    auto jamid = state.jamid();
    const std::string account = resolveAccount(state, *jamid, stringArg(args, "account", false));
    json requests = json::array();
    for (const auto& r : jamid->trustRequests(account)) {
        requests.push_back({{"from", r.from},
                            {"contact", contactNameOf(state, r.from)},
                            {"received", r.received_s},
                            {"conversation_id", r.conversation_id}});
    }
    return {{"ok", true}, {"account", account}, {"requests", requests}};
}

json answerRequest(State& state, const Request& request, bool accept) {
    const json& args = request.args;
    const contacts::Contact& contact = request.target->contact;  // resolved by the dispatcher (Whom::kContact)
    auto jamid = state.jamid();
    const std::string account = resolveAccount(state, *jamid, stringArg(args, "account", false));
    const std::string from = contacts::peerId(contact.id);
    const bool done = accept ? jamid->acceptTrustRequest(account, from) : jamid->discardTrustRequest(account, from);
    if (!done) {
        throw Error(code::kNoRequest, "no contact request from " + (contact.name.empty() ? from : contact.name),
                    "jamictl contact requests lists the pending requests");
    }
    return {
        {"ok", true}, {"account", account}, {accept ? "accepted" : "declined", {{"name", contact.name}, {"id", from}}}};
}

json contactAdd(State& state, const Request& request) {
    contacts::Contact contact;
    contact.name = stringArg(request.args, "name");
    contact.id = stringArg(request.args, "id");
    if (auto a = request.args.find("aliases"); a != request.args.end() && !a->is_null())
        for (const auto& alias : *a) contact.aliases.push_back(alias.get<std::string>());  // a list of strings: its row
    auto path = state.contacts.edit([&](const std::string& text) { return contacts::withContactAdded(text, contact); },
                                    request.dry_run);
    json out{{"ok", true}, {"added", contactJson(contact)}, {"tools_md", path}};
    if (!request.dry_run) out["jami"] = inviteOnJami(state, contact);  // run() marks a dry run
    return out;
}

json contactRemove(State& state, const Request& request) {
    const std::string& name = request.contact_name;
    auto path = state.contacts.edit([&](const std::string& text) { return contacts::withContactRemoved(text, name); },
                                    request.dry_run);
    return json{{"ok", true}, {"removed", name}, {"tools_md", path}};
}

json contactRename(State& state, const Request& request) {
    const std::string& old_name = request.contact_name;
    const std::string new_name = stringArg(request.args, "new_name");
    auto path = state.contacts.edit(
        [&](const std::string& text) { return contacts::withContactRenamed(text, old_name, new_name); },
        request.dry_run);
    return json{{"ok", true}, {"renamed", {{"from", old_name}, {"to", new_name}}}, {"tools_md", path}};
}

json contactList(State& state, const Request&) {
    auto contacts = state.contacts.current();
    json out{{"ok", true}, {"contacts", json::array()}};
    for (const auto& c : contacts->book.contacts()) out["contacts"].push_back(contactJson(c));
    json source{{"path", contacts->path ? contacts->path->string() : ""},
                {"found_by", contacts->source},
                {"section_found", contacts->config.section_found}};
    json problems = json::array();
    for (const auto& p : contacts->config.problems) problems.push_back({{"line", p.line}, {"message", p.message}});
    source["problems"] = problems;
    if (!contacts->load_error.empty()) source["reload_error"] = contacts->load_error;
    out["tools_md"] = source;
    out["policy"] = contacts->policy.toJson();
    if (!contacts->path) {
        out["hint"] =
            "no TOOLS.md with a Jami Configuration section found: pass --tools PATH or "
            "set JAMI_SKILL_TOOLS; see the TOOLS.md template for the format";
    }
    return out;
}

// setup.section {account, owner_id?, owner_name?}: what `jamictl setup`
// writes to the book (not to jamid), in one edit: the lines the section lacks ("- Account ID:",
// "- Contacts only: yes", the owner as a contact and "- Owner:"). A line the
// user already wrote is kept as it is, even when it says otherwise: setup
// completes the section, it never loosens or repoints it.
json setupSection(State& state, const Request& request) {
    const json& args = request.args;
    const std::string account = stringArg(args, "account");
    const std::string owner_id = stringArg(args, "owner_id", false);
    std::string owner_name = stringArg(args, "owner_name", false);
    if (!owner_name.empty() && state.languages().isPronoun(owner_name))
        throw Error(code::kInvalidArgument,
                    "\"" + owner_name + "\" is a pronoun: the skill never takes it for a contact",
                    "name the owner as people say it (a name, \"Owner\", \"Boss\")");
    json written, kept;
    std::optional<contacts::Contact> new_owner;  // made by this edit
    auto complete = [&](const std::string& before) {
        written = json::array();
        kept = json::array();
        new_owner.reset();
        std::string text = before;
        const contacts::JamiConfig config = contacts::parseJamiConfig(text);
        auto setting = [&](const std::string& key, const std::string& value, const std::optional<std::string>& has) {
            if (has) {
                kept.push_back({{"setting", key}, {"value", *has}, {"wanted", value}});
                return;
            }
            text = contacts::withSettingAdded(text, key, value);
            written.push_back("- " + key + ": " + value);
        };
        setting("Account ID", account, config.account);
        const auto& only = config.policy.contacts_only;
        setting("Contacts only", "yes", only ? std::optional<std::string>(*only ? "yes" : "no") : std::nullopt);
        if (owner_id.empty() && owner_name.empty()) return text;
        const contacts::Contact* known = nullptr;
        for (const auto& c : config.contacts) {
            const bool same_id = !owner_id.empty() && contacts::canonicalId(c.id) == contacts::canonicalId(owner_id);
            if (same_id || (owner_id.empty() && c.name == owner_name)) known = &c;
        }
        if (known) {
            owner_name = known->name;
        } else if (!owner_id.empty()) {
            new_owner = contacts::Contact{owner_name.empty() ? "Owner" : owner_name, {}, owner_id, 0};
            text = contacts::withContactAdded(text, *new_owner);
            owner_name = new_owner->name;
            written.push_back("contact " + owner_name + ": " + owner_id);
        } else {
            throw std::invalid_argument("no contact named \"" + owner_name +
                                        "\" in the section: give the owner's Jami ID");
        }
        setting("Owner", owner_name, config.policy.owner);
        return text;
    };
    const std::string path = state.contacts.edit(complete, request.dry_run);
    json out{{"ok", true}, {"tools_md", path}, {"written", written}, {"kept", kept}};
    if (!owner_name.empty()) out["owner"] = owner_name;
    // No contact request is sent to the owner: their phone adds the
    // assistant (a scan of its ID), and `jamictl setup` accepts that request.
    // Two requests crossing made two conversations on jamid 13.7 (the
    // phone's message went where the assistant did not read).
    return out;
}

}  // namespace

void addContactActions(ActionTable& table) {
    const auto account = arg::text("account");
    table["contact.add"] = {
        .run = contactAdd,
        .summary = "add a contact to TOOLS.md (name, id, aliases); needs confirmed",
        .effects = Effect::kEditsToolsMd | Effect::kChangesJamid,
        .args = {arg::text("name", arg::kRequired), arg::text("id", arg::kRequired), arg::texts("aliases")},
        .needs_confirmation = [](const Request& r) {
            return "add " + shownArg(r.args, "name") + " (" + shownArg(r.args, "id") + ") to your contacts";
        }};
    table["contact.remove"] = {
        .run = contactRemove,
        .summary = "remove a contact from TOOLS.md (contact); needs confirmed",
        .effects = Effect::kEditsToolsMd,
        .whom = Whom::kNameAsWritten,
        .args = {arg::text("contact"), arg::text("name")},
        .needs_confirmation = [](const Request& r) { return "remove " + r.contact_name + " from your contacts"; }};
    table["contact.rename"] = {.run = contactRename,
                               .summary = "rename a contact in TOOLS.md (contact, new_name); needs confirmed",
                               .effects = Effect::kEditsToolsMd,
                               .whom = Whom::kNameAsWritten,
                               .args = {arg::text("contact"), arg::text("name"), arg::text("new_name", arg::kRequired)},
                               .needs_confirmation = [](const Request& r) {
                                   return "rename " + r.contact_name + " to " + shownArg(r.args, "new_name");
                               }};
    table["contact.list"] = {.run = contactList, .summary = "contacts from TOOLS.md"};
    table["setup.section"] = {
        .run = setupSection,
        .summary =
            "complete the Jami Configuration section (account, owner_id, owner_name): jamictl setup; needs "
            "confirmed",
        .effects = Effect::kEditsToolsMd,
        .args = {arg::text("account", arg::kRequired), arg::text("owner_id"), arg::text("owner_name")},
        .needs_confirmation = [](const Request& r) {
            // Written before the arguments are checked: only strings are shown.
            const bool named = r.args.contains("owner_name"), has_id = r.args.contains("owner_id");
            const std::string owner = named    ? shownArg(r.args, "owner_name")
                                      : has_id ? shownArg(r.args, "owner_id")
                                               : "";
            return "write the Jami Configuration section: account " + shownArg(r.args, "account") + ", contacts only" +
                   (owner.empty() ? std::string() : ", owner " + owner);
        }};
    table["contact.requests"] = {
        .run = contactRequests, .summary = "pending contact requests on jamid", .args = {account}};
    table["contact.accept"] = {.run = [](State& s, const Request& r) { return answerRequest(s, r, true); },
                               .summary = "accept a contact request (contact: name or Jami ID)",
                               .effects = Effect::kChangesJamid,
                               .whom = Whom::kContact,
                               .args = {account}};
    table["contact.invite"] = {.run =
                                   [](State& s, const Request& r) {
                                       // Refusals and jamid's failures as errors with their own code and hint.
                                       return json{{"ok", true}, {"jami", sendInvite(s, r.target->contact)}};
                                   },
                               .summary = "(re)send a contact request to a TOOLS.md contact (contact)",
                               .effects = Effect::kReachesPerson,
                               .whom = Whom::kContact};
    table["contact.decline"] = {.run = [](State& s, const Request& r) { return answerRequest(s, r, false); },
                                .summary = "decline a contact request (contact)",
                                .effects = Effect::kChangesJamid,
                                .whom = Whom::kContact,
                                .args = {account}};
}

}  // namespace jskill
