// Whom a request reaches: a name or address as the user said it, resolved
// against the contact book and never guessed (contacts::ContactBook), and the
// refusals that say so. The dispatcher resolves an action's target before
// the action runs (skill/actions/registry.hpp says which actions have one).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contacts/contact_book.hpp"
#include "intents/language_facts.hpp"
#include "skill/contact_book_holder.hpp"

namespace jskill {

// What a request reaches: a TOOLS.md contact (its id is what is dialled),
// or an address that is no contact (in_book false).
struct Target {
    contacts::Contact contact;
    std::string said;   // as the request wrote it
    std::string match;  // id, name, alias, normalized, pinyin; "address" for a non-contact
    bool in_book = false;
    bool reached_us = false;  // an answer to who wrote first (Whom::kWhoReachedUs): "Contacts only" allows it
    nlohmann::json toJson() const;
};

// A contact as results show it: name, id, aliases.
nlohmann::json contactJson(const contacts::Contact& contact);

// A name or address to a Target; never guesses: a similar name, a shared
// word or a pronoun answers unknown_contact with suggestions, several
// contacts ambiguous_contact with the candidates. `prefilter`: contacts
// whose spelling the sentence engine found exactly there. `extra` goes
// beside an error (a sentence's recognition).
Target resolveTarget(const intents::LanguageFacts& languages, const ContactsSnapshot& contacts, const std::string& said,
                     const std::vector<std::size_t>& prefilter = {}, nlohmann::json extra = nlohmann::json::object());

// several_recipients for a request that names several people where an
// action reaches one ("text Ann and Joe"): never the first with the rest as
// text. `names` as said; each is resolved for the candidates, never acted on.
[[noreturn]] void refuseSeveral(const ContactsSnapshot& contacts, const std::string& said,
                                const std::vector<std::string>& names, nlohmann::json extra);

// not_allowed for a target that is no contact while "Contacts only" is on;
// `what`: "called", "messaged", "reached".
[[noreturn]] void refuseStranger(const ContactsSnapshot& contacts, const std::string& who, const char* what);

// "Contacts only" for a party that is not a target of the request itself
// (a ringing caller): throws not_allowed unless it is a contact or the
// user confirmed. `what`: the verb the hint offers ("answer").
void checkCaller(const ContactsSnapshot& contacts, const std::string& peer, bool confirmed, const char* what);

}  // namespace jskill
