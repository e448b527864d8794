// A request typed once: its strings checked, a sentence understood by the
// engine (intents/) and its {contact} resolved, or a structured action read
// (skill/read_request.hpp). Actions read only the Request.
#include "skill/read_request.hpp"

#include <algorithm>
#include <string_view>

#include "base/error.hpp"
#include "contacts/name_keys.hpp"
#include "skill/arguments.hpp"
#include "skill/state.hpp"

namespace jskill {

using nlohmann::json;

namespace {

json recognitionJson(const intents::Recognition& r) {
    json out = {{"intent", r.intent}, {"slots", r.slots}, {"language", r.language}};
    if (!r.corrected.empty()) out["corrected"] = r.corrected;  // a keyword typo read as the keyword
    return out;
}

// "try for example: ..." from every language's `hint_examples:`.
std::string whatICanDo(const intents::LanguageFacts& facts) {
    std::string hint = "try for example: ";
    for (const auto& e : facts.hintExamples()) hint += "\"" + e + "\", ";
    return hint + "{\"text\":\"help\"} lists every intent";
}

// The first `count` characters (code points) of UTF-8 text.
std::string firstCharacters(const std::string& text, int count) {
    std::size_t end = 0;
    for (int n = 0; n < count && end < text.size(); ++n) {
        ++end;
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            ++end;  // continuation bytes
    }
    return text.substr(0, end);
}

bool namesSomeone(const ContactsSnapshot& contacts, const std::string& said) {
    return contacts.book.resolve(said).kind != contacts::Resolution::Kind::Unknown;
}

// The person that words at the start of `text` name: the longest run of up
// to four words (or, in text without spaces, up to six characters) that is
// a contact's name or alias; "" when none is.
std::string leadingContact(const ContactsSnapshot& contacts, const std::string& text) {
    std::vector<std::size_t> ends;  // byte ends of the candidate prefixes, shortest first
    if (text.find(' ') != std::string::npos) {
        for (std::size_t at = text.find(' '); ends.size() < 4 && at != std::string::npos; at = text.find(' ', at + 1))
            ends.push_back(at);
        if (ends.size() < 4) ends.push_back(text.size());
    } else {
        for (std::size_t i = 1; i <= text.size() && ends.size() < 6; ++i)
            if (i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ends.push_back(i);
    }
    for (auto end = ends.rbegin(); end != ends.rend(); ++end) {
        std::string said = text.substr(0, *end);
        while (!said.empty() && std::string_view(",.;:!?").find(said.back()) != std::string_view::npos) said.pop_back();
        if (!said.empty() && namesSomeone(contacts, said)) return said;
    }
    return {};
}

// "text Ann and Joe" reads as message.send to Ann with the text "and Joe";
// "message Ann, Joe hello" as the text "Joe hello"; "message Ann and ask
// Joe to come" as the text "Joe to come" (the framing "and ask" is not
// sent). When the message starts right after the contact with a list word,
// or what stands between them starts with one, and what follows names
// someone (a contact, or a capitalized word that is no pronoun), the
// sentence names several people: the names, else empty.
std::vector<std::string> namesBeforeMessage(const intents::LanguageFacts& languages, const ContactsSnapshot& contacts,
                                            const std::string& text, const std::string& contact,
                                            const std::string& message) {
    const auto c = text.find(contact);
    if (c == std::string::npos || message.empty()) return {};
    const auto m = text.find(message, c + contact.size());
    if (m == std::string::npos) return {};
    const std::string gap = text.substr(c + contact.size(), m - c - contact.size());
    std::optional<std::string> rest;
    if (languages.afterListWord(gap)) {
        rest = message;  // "Ann, Joe hello", "Ann and ask Joe to come": a list word starts the gap
    } else if (gap.find_first_not_of(" \t") == std::string::npos) {
        rest = languages.afterListWord(message);  // "Ann and Joe": the message begins with it
    }
    if (!rest || rest->empty()) return {};
    if (std::string next = leadingContact(contacts, *rest); !next.empty()) return {contact, next};
    // A name the book does not know. In Chinese, what a list word joins right
    // after a contact is a person ("告诉妈妈和王五我到了"): its first characters.
    if (static_cast<unsigned char>((*rest)[0]) >= 0x80) return {contact, firstCharacters(*rest, 3)};
    // In English, a capitalized word that is no pronoun ("I", "I'll").
    std::string word = rest->substr(0, rest->find_first_of(" ,.;:!?"));
    const std::string bare = word.substr(0, word.find('\''));
    if (!bare.empty() && bare[0] >= 'A' && bare[0] <= 'Z' && !languages.isPronoun(bare)) return {contact, word};
    return {};
}

}  // namespace

Understood parseText(State& state, const std::string& text) {
    if (text.empty()) throw Error(code::kInvalidArgument, "\"text\" is empty", whatICanDo(state.languages()));
    if (text.size() > 4096) throw Error(code::kInvalidArgument, "\"text\" is longer than 4096 bytes");
    auto contacts = state.contacts.current();
    std::optional<intents::Recognition> recognition;
    try {
        recognition = state.engine().recognize(text, &contacts->index());  // compiles a language at its first use
    } catch (const intents::LoadError& e) {
        throw Error(code::kInternal, std::string("sentence templates: ") + e.what());
    } catch (const intents::PartMissing& e) {
        throw Error(code::kPluginUnavailable, std::string("cannot read sentences: ") + e.what(),
                    "reinstall jami-skill; requests naming their action (e.g. {\"action\":\"call.start\","
                    "\"contact\":\"Mom\"}) work without it");
    }
    if (!recognition) {
        throw Error(code::kNoIntent, "I did not understand \"" + text + "\"", whatICanDo(state.languages()));
    }
    Understood out{recognitionJson(*recognition), std::nullopt};
    if (recognition->intent == "call.start" || recognition->intent == "call.bridge") {
        std::string asked = text;  // what the call is, not what it says ("tell him the video is up")
        if (auto say = recognition->slots.find("say"); say != recognition->slots.end() && say->is_string()) {
            const auto& said = say->get_ref<const std::string&>();
            if (auto at = asked.find(said); at != std::string::npos) asked.erase(at, said.size());
        }
        if (state.languages().asksForVideo(asked))
            out.recognition["note"] = "the skill places audio calls: this call is placed without video";
    }
    if (auto slot = recognition->slots.find("contact"); slot != recognition->slots.end() && slot->is_string()) {
        auto message = recognition->slots.find("message");
        if (message == recognition->slots.end()) message = recognition->slots.find("say");  // a notify call
        if (message != recognition->slots.end() && message->is_string()) {
            const std::string& said = slot->get_ref<const std::string&>();
            auto names = namesBeforeMessage(state.languages(), *contacts, text, said, message->get<std::string>());
            if (!names.empty()) refuseSeveral(*contacts, text, names, out.recognition);
        }
        out.target = resolveTarget(state.languages(), *contacts, slot->get<std::string>(), recognition->contact_matches,
                                   out.recognition);
        out.recognition["contact"] = out.target->toJson();
    }
    return out;
}

namespace {

// Keys the dispatcher owns: a host may not set them.
constexpr const char* kInternalKeys[] = {"contact_ref", "target", "reservation"};

// Text that reaches jamid or TOOLS.md must say what it shows: D-Bus cuts a
// string at NUL ("pay 10 EUR\0 and NOT 1000" arrived as "pay 10 EUR"), and
// controls or bidi overrides in a name or id make it print as another.
// Message text and sentences may hold tabs and line breaks. The request's
// depth is bounded by the ABI, so this walk is too.
void checkStrings(const json& value, const std::string& field, bool free_text) {
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (text.find('\0') != std::string::npos)
            throw Error(code::kInvalidArgument, "\"" + field + "\" contains a NUL character",
                        "nothing was sent or changed; remove it");
        if (contacts::hasControlOrBidi(text, free_text))
            throw Error(code::kInvalidArgument, "\"" + field + "\" contains control or bidi-override characters",
                        "nothing was sent or changed");
        return;
    }
    if (value.is_array() || value.is_object())
        for (auto it = value.begin(); it != value.end(); ++it)
            checkStrings(*it, value.is_object() ? it.key() : field, free_text);
}

void checkRequestStrings(const json& request) {
    for (auto it = request.begin(); it != request.end(); ++it) {
        const bool free_text = it.key() == "message" || it.key() == "say" || it.key() == "ask" || it.key() == "text" ||
                               it.key() == "password";
        checkStrings(*it, it.key(), free_text);
    }
}

// A request with both "text" and "action" (a model fills every field it
// sees) follows the sentence: the person's own words decide. An action the
// skill does not know ("call") is ignored and said so in the result; a
// known one must be what the sentence means, or nothing is done.
// intent.parse reads "text" as its own argument: that request is no sentence.
bool actionReadsText(const State& state, const json& request) {
    const auto action = request.find("action");
    if (action == request.end() || !action->is_string()) return false;
    const auto known = state.actions.find(action->get<std::string>());
    if (known == state.actions.end()) return false;
    const auto& args = known->second.args;
    return std::any_of(args.begin(), args.end(), [](const ArgSpec& a) { return std::string_view(a.name) == "text"; });
}

void checkActionBesideText(const State& state, const json& request, Request& r) {
    const auto action = request.find("action");
    if (action == request.end()) return;
    if (!action->is_string()) throw Error(code::kInvalidArgument, "\"action\" must be a string");
    const std::string named = action->get<std::string>();
    if (named == r.action) return;
    if (state.actions.count(named) != 0) {
        throw Error(code::kConflictingRequest, "the text means " + r.action + " but \"action\" says " + named,
                    "send the sentence alone ({\"text\": ...}) or the action alone with its arguments",
                    {{"intent", r.action}, {"action", named}});
    }
    r.recognition["action_ignored"] = named;
}

}  // namespace

Request typedRequest(State& state, const json& request) {
    if (!request.is_object())
        throw Error(code::kInvalidArgument, "a request is a JSON object",
                    R"(send {"text":"call Bob"} or {"action":"account.list"})");
    for (const char* key : kInternalKeys)
        if (request.contains(key))
            throw Error(code::kInvalidArgument, std::string("\"") + key + "\" is not a request argument",
                        "name the contact with \"contact\" (a name from TOOLS.md, a Jami ID or a sip: URI)");
    checkRequestStrings(request);
    Request r;
    r.dry_run = boolMember(request, "dry_run").value_or(false) ||
                state.options.dry_run;  // validated even when the skill is dry
    r.confirmed = boolMember(request, "confirmed").value_or(false);
    if (auto text = request.find("text"); text != request.end() && !actionReadsText(state, request)) {
        if (!text->is_string()) throw Error(code::kInvalidArgument, "\"text\" must be a string");
        r.source = "text";
        r.text = text->get<std::string>();
        Understood understood = parseText(state, text->get<std::string>());
        r.recognition = std::move(understood.recognition);
        r.target = std::move(understood.target);
        r.action = r.recognition["intent"].get<std::string>();
        r.args = r.recognition["slots"];
        checkActionBesideText(state, request, r);
        // A host that speaks with its own voice hands the audio of the
        // sentence's words beside it (the OpenClaw plugin, from OpenClaw's
        // text to speech); only for a sentence that says something in a call.
        for (const char* key : {"say_audio", "say_pcm"}) {
            const auto own = request.find(key);
            if (own == request.end()) continue;
            if (r.action != "call.start" || !r.args.contains("say"))
                throw Error(
                    code::kInvalidArgument,
                    std::string(key) + " goes only with a sentence that says something in a call",
                    std::string("e.g. {\"text\":\"call Bob and tell him the build is broken\",\"") + key + "\":...}");
            r.args[key] = *own;
        }
        return r;
    }
    auto a = request.find("action");
    if (a == request.end())
        throw Error(code::kInvalidArgument, "a request needs \"text\" or \"action\"",
                    R"(send {"text":"call Bob"} or {"action":"account.list"})");
    if (!a->is_string()) throw Error(code::kInvalidArgument, "\"action\" must be a string");
    r.source = "action";
    r.action = a->get<std::string>();
    r.args = request;
    return r;
}

}  // namespace jskill
