#include "intents/src/matcher.hpp"

#include <algorithm>

#include "contacts/contact_id.hpp"
#include "intents/src/normalize.hpp"
#include "intents/src/numbers.hpp"
#include "intents/src/typos.hpp"

namespace jskill::intents {
namespace {

using nlohmann::json;

// Removes skip words ("please", "hey", "请", "吧") from both ends.
std::pair<std::size_t, std::size_t> trimSkipWords(const CompiledLanguage& language, const std::string& text) {
    std::size_t b = 0, e = text.size();
    bool changed = true;
    auto boundary = [&](std::size_t at) {
        return language.compact || at == e || at == b || text[at] == ' ' || text[at] == ',';
    };
    // After every cut, start again from the longest word: "能帮我…" is "能"
    // then "帮我", never "能" then "帮" (which would leave "我…").
    while (changed) {
        changed = false;
        for (const auto& p : language.skip_prefixes) {
            if (e - b > p.size() && text[b] == p[0] && text.compare(b, p.size(), p) == 0 && boundary(b + p.size())) {
                b += p.size();
                // "hey jami, call mom", "请，给妈妈打电话" (the Chinese comma is folded to ',').
                while (e > b && (text[b] == ' ' || text[b] == ',')) ++b;
                changed = true;
                break;
            }
        }
        if (changed) continue;
        for (const auto& s : language.skip_suffixes) {
            if (e - b > s.size() && text[e - 1] == s.back() && text.compare(e - s.size(), s.size(), s) == 0 &&
                (language.compact || text[e - s.size() - 1] == ' ' || text[e - s.size() - 1] == ',')) {
                e -= s.size();
                while (e > b && (text[e - 1] == ' ' || text[e - 1] == ',')) --e;
                changed = true;
                break;
            }
        }
    }
    return {b, e};
}

std::string_view stripQuotes(std::string_view s) {
    // Separators a template could not place: "赵六，" -> "赵六", "Mom :" -> "Mom".
    auto trim = [&] {
        for (bool changed = true; changed;) {
            changed = false;
            for (std::string_view p : {" ", ",", ":", "\xEF\xBC\x8C", "\xEF\xBC\x9A", "\xE3\x80\x81"}) {
                if (s.starts_with(p)) {
                    s.remove_prefix(p.size());
                    changed = true;
                }
                if (s.ends_with(p)) {
                    s.remove_suffix(p.size());
                    changed = true;
                }
            }
        }
    };
    trim();
    static const std::vector<std::pair<std::string_view, std::string_view>> pairs = {
        {"\"", "\""}, {"'", "'"}, {"\u201C", "\u201D"}, {"\u2018", "\u2019"}, {"\u300C", "\u300D"}, {"\u201C", "\""}};
    for (const auto& [open, close] : pairs) {
        if (s.size() >= open.size() + close.size() && s.starts_with(open) && s.ends_with(close)) {
            s = s.substr(open.size(), s.size() - open.size() - close.size());
            trim();
            break;
        }
    }
    return s;
}

// A contact from the contact list outranks any amount of literal text.
constexpr long kKnownContactBonus = 1'000'000;

struct Candidate {
    const CompiledTemplate* tmpl = nullptr;
    const CompiledLanguage* language = nullptr;
    json slots = json::object();
    std::vector<std::size_t> contact_matches;
    long score = 0;
    // A text slot that ends where the matched range ends: when a skip
    // suffix was cut there, the message gets it back (what the user said is
    // what is sent: "send bob hello, please" sends "hello, please").
    std::string tail_slot;
    std::uint32_t tail_begin = 0, tail_end = 0;  // source bytes of that slot
    std::uint32_t extend_to = 0;                 // source end before the cut, when one was made
};

// Matches one language against one prepared text. `markers` maps marker k to
// the contacts of its span and the span's normalized range.
void matchLanguage(const CompiledLanguage& language, std::string_view source, const NormalizedText& norm,
                   std::size_t from, std::size_t to, const std::vector<ContactIndex::Span>& markers,
                   std::optional<Candidate>& best) {
    re2::StringPiece text(norm.text.data() + from, to - from);
    std::vector<int> hits;
    if (!language.set->match(std::string_view(text.data(), text.size()), &hits)) return;
    for (int index : hits) {
        const CompiledTemplate& t = *language.templates[static_cast<std::size_t>(index)];
        const auto& m = t.matcher();
        int groups = m.regex->NumberOfCapturingGroups();
        std::vector<re2::StringPiece> captures(static_cast<std::size_t>(groups) + 1);
        if (!m.regex->Match(text, 0, text.size(), RE2::ANCHOR_BOTH, captures.data(), groups + 1)) continue;

        Candidate c;
        c.tmpl = &t;
        c.language = &language;
        long slot_bytes = 0, wildcard_bytes = 0;
        bool valid = true, known_contact = false;
        for (int g = 1; g <= groups && valid; ++g) {
            const auto& slot = m.group_slot[static_cast<std::size_t>(g)];
            const auto& cap = captures[static_cast<std::size_t>(g)];
            if (slot.empty() || cap.data() == nullptr) continue;
            std::size_t b = static_cast<std::size_t>(cap.data() - norm.text.data());
            std::size_t e = b + cap.size();
            slot_bytes += static_cast<long>(cap.size());
            std::string_view original = norm.original(source, b, e);
            switch (language.slots.at(slot)) {
            case SlotKind::Contact: {
                char32_t cp = 0;
                int length = decodeUtf8(norm.text, b, &cp);
                if (cp >= kMarkerBase && cp - kMarkerBase < markers.size() &&
                    static_cast<std::size_t>(length) == cap.size()) {
                    const auto& span = markers[cp - kMarkerBase];
                    c.contact_matches = span.contacts;
                    known_contact = true;
                } else {
                    wildcard_bytes += static_cast<long>(cap.size());
                }
                c.slots[slot] = std::string(stripQuotes(original));
                break;
            }
            case SlotKind::Text:
                wildcard_bytes += static_cast<long>(cap.size());
                c.slots[slot] = std::string(stripQuotes(original));
                if (c.slots[slot].get_ref<const std::string&>().empty()) valid = false;
                if (e == to && e > b) {
                    c.tail_slot = slot;
                    c.tail_begin = norm.begin[b];
                    c.tail_end = norm.end[e - 1];
                }
                break;
            case SlotKind::Number: {
                auto value = language.numbers->parseNumber(std::string_view(cap.data(), cap.size()));
                if (!value)
                    valid = false;
                else
                    c.slots[slot] = *value;
                break;
            }
            case SlotKind::Digits: {
                auto digits = language.numbers->parseDigits(std::string_view(cap.data(), cap.size()));
                if (!digits)
                    valid = false;
                else
                    c.slots[slot] = *digits;
                break;
            }
            case SlotKind::Id:
                // An id's shape, as contacts/contact_id.hpp (the one owner of
                // the forms) knows it, as the user wrote it. A sip: URI TOOLS.md
                // would refuse still reads as an id: the contact edit then
                // says what is wrong with it, better than "not understood".
                if (!contacts::isAddress(original) && !contacts::isValidContactId(original))
                    valid = false;
                else
                    c.slots[slot] = std::string(original);
                break;
            }
        }
        if (!valid) continue;
        // Ranking (docs/intents.md): a contact found in the contact list beats
        // free text, then more literal template text, then less wildcard text,
        // then the earlier template.
        long literal = static_cast<long>(text.size()) - slot_bytes;
        c.score = (known_contact ? kKnownContactBonus : 0) + literal * 100 - wildcard_bytes;
        if (!best || c.score > best->score) best = std::move(c);
    }
}

// Appends norm's bytes [from, to) with their map to the source.
void copyRange(const NormalizedText& norm, std::size_t from, std::size_t to, NormalizedText& out) {
    if (from >= to) return;
    out.text.append(norm.text, from, to - from);
    out.begin.insert(out.begin.end(), norm.begin.begin() + static_cast<long>(from),
                     norm.begin.begin() + static_cast<long>(to));
    out.end.insert(out.end.end(), norm.end.begin() + static_cast<long>(from), norm.end.begin() + static_cast<long>(to));
}

bool isNotCommand(const CompiledLanguage& language, const std::string& text, std::size_t from, std::size_t to) {
    std::vector<int> hits;
    return from < to && language.not_commands->match(std::string_view(text).substr(from, to - from), &hits);
}

// Where a new sentence starts in the source: after ". " "! " "? " "; " (a
// space follows, so "v1.2" and "bob.smith" stay whole) or after "。" "！"
// "？" "；".
std::vector<std::size_t> sentenceStarts(std::string_view source) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < source.size(); ++i) {
        std::size_t next = 0;
        const char c = source[i];
        if ((c == '.' || c == '!' || c == '?' || c == ';') && i + 1 < source.size() && source[i + 1] == ' ')
            next = i + 1;
        for (std::string_view stop : {"\u3002", "\uFF01", "\uFF1F", "\uFF1B"})
            if (source.compare(i, stop.size(), stop) == 0) next = i + stop.size();
        if (!next) continue;
        while (next < source.size() && source[next] == ' ') ++next;
        if (next < source.size() && (starts.empty() || starts.back() != next)) starts.push_back(next);
    }
    return starts;
}

// Every text slot of r is said verbatim in source: a typo repair fixed a
// keyword, not the message or a name.
bool slotsAsSaid(const Recognition& r, std::string_view source) {
    for (const auto& [name, value] : r.slots.items())
        if (value.is_string() && source.find(value.get_ref<const std::string&>()) == std::string_view::npos)
            return false;
    return true;
}

// Forward: the sentence as a whole, then after each sentence start.
std::optional<Recognition> recognizeSentences(const std::vector<const CompiledLanguage*>& languages,
                                              std::string_view source, const ContactIndex* contacts,
                                              bool* not_a_command);

// One sentence as a whole. Sets *not_a_command when one of a language's
// `not_commands:` matches it (skip words cut or not, contacts marked or not).
std::optional<Recognition> recognizeSentence(const std::vector<const CompiledLanguage*>& languages,
                                             std::string_view source, const ContactIndex* contacts,
                                             bool* not_a_command) {
    std::optional<Candidate> best;
    const bool cjk = usesScript(source, Script::Han);
    for (const CompiledLanguage* each : languages) {
        const CompiledLanguage& language = *each;
        NormalizedText norm = normalizeUtterance(source, language.compact);
        const auto trimmed = trimSkipWords(language, norm.text);
        const std::size_t from = trimmed.first, to = trimmed.second;  // plain names: lambdas capture them
        if (from >= to) continue;
        if (isNotCommand(language, norm.text, from, to) ||
            (to < norm.text.size() && isNotCommand(language, norm.text, from, norm.text.size()))) {
            *not_a_command = true;
            return std::nullopt;
        }

        std::vector<ContactIndex::Span> spans;
        if (contacts) {
            spans = contacts->find(std::string_view(norm.text).substr(0, to), language.compact);
            spans.erase(std::remove_if(spans.begin(), spans.end(), [&](const auto& s) { return s.begin < from; }),
                        spans.end());
            if (spans.size() > kMaxMarkers) spans.resize(kMaxMarkers);
        }
        if (!spans.empty()) {
            // Rebuild the text with one marker per contact span.
            NormalizedText marked;
            marked.text.reserve(to);
            marked.begin.reserve(to);
            marked.end.reserve(to);
            std::size_t at = from;
            for (std::size_t k = 0; k < spans.size(); ++k) {
                copyRange(norm, at, spans[k].begin, marked);
                std::string marker;
                appendUtf8(marker, kMarkerBase + static_cast<char32_t>(k));
                marked.append(marker, norm.begin[spans[k].begin], norm.end[spans[k].end - 1]);
                at = spans[k].end;
            }
            copyRange(norm, at, to, marked);
            if (isNotCommand(language, marked.text, 0, marked.text.size())) {
                *not_a_command = true;
                return std::nullopt;
            }
            std::optional<Candidate> marked_best;
            matchLanguage(language, source, marked, 0, marked.text.size(), spans, marked_best);
            if (marked_best && to < norm.text.size()) marked_best->extend_to = norm.end[norm.text.size() - 1];
            // A skip suffix may be the whole message ("write to Alice saying
            // thanks", "text mom saying thank you"): the uncut text wins
            // when it reads better (a listed contact, more literal text).
            if (to < norm.text.size()) {
                copyRange(norm, to, norm.text.size(), marked);
                std::optional<Candidate> uncut;
                matchLanguage(language, source, marked, 0, marked.text.size(), spans, uncut);
                if (uncut && (!marked_best || uncut->score > marked_best->score)) marked_best = std::move(uncut);
            }
            if (marked_best) marked_best->extend_to = std::max(marked_best->extend_to, norm.symbols_end);
            if (marked_best && (!best || marked_best->score > best->score)) best = std::move(marked_best);
        }
        // The plain text too: a contact name may also be an ordinary word.
        // Not needed when the marked text found a listed contact: a
        // plain reading never outranks one (docs/intents.md, ranking).
        if (best && best->language == &language && best->score >= kKnownContactBonus) continue;
        std::optional<Candidate> plain_best;
        matchLanguage(language, source, norm, from, to, {}, plain_best);
        if (plain_best && to < norm.text.size()) plain_best->extend_to = norm.end[norm.text.size() - 1];
        if (plain_best) plain_best->extend_to = std::max(plain_best->extend_to, norm.symbols_end);
        // A skip suffix may be the end of a real word ("在运行吗" ends in the
        // politeness suffix "行吗"): without a match, try the untrimmed end.
        if (!plain_best && to < norm.text.size())
            matchLanguage(language, source, norm, from, norm.text.size(), {}, plain_best);
        // Likewise a skip prefix may begin a real word.
        if (!plain_best && from > 0) matchLanguage(language, source, norm, 0, norm.text.size(), {}, plain_best);
        if (plain_best) {
            // A Chinese utterance prefers the Chinese templates on equal terms.
            if (cjk && language.compact) plain_best->score += 1;
            if (!best || plain_best->score > best->score) best = std::move(plain_best);
        }
    }
    if (!best) return std::nullopt;
    if (!best->tail_slot.empty() && best->extend_to > best->tail_end)
        best->slots[best->tail_slot] = std::string(source.substr(best->tail_begin, best->extend_to - best->tail_begin));
    Recognition r;
    r.intent = best->tmpl->intent;
    r.language = best->language->name;
    r.slots = std::move(best->slots);
    r.contact_matches = std::move(best->contact_matches);
    r.template_text = best->tmpl->text;
    return r;
}

std::optional<Recognition> recognizeSentences(const std::vector<const CompiledLanguage*>& languages,
                                              std::string_view source, const ContactIndex* contacts,
                                              bool* not_a_command) {
    if (auto whole = recognizeSentence(languages, source, contacts, not_a_command)) return whole;
    if (*not_a_command) return std::nullopt;
    // The command may follow other sentences ("Running late. Tell Bob I'll be
    // there at 8", "ok thanks. now call alice"): the longest tail that starts
    // a sentence, so later sentences stay in a message.
    const auto starts = sentenceStarts(source);
    // A bound on the work for hostile text: the first sentences only.
    constexpr std::size_t kMaxSentences = 8;
    for (std::size_t k = 0; k < starts.size() && k < kMaxSentences; ++k) {
        const std::size_t at = starts[k];
        auto tail = recognizeSentence(languages, source.substr(at), contacts, not_a_command);
        if (tail || *not_a_command) return tail;
    }
    return std::nullopt;
}

}  // namespace

std::optional<Recognition> recognizeIn(const std::vector<const CompiledLanguage*>& languages, std::string_view source,
                                       const ContactIndex* contacts) {
    bool not_a_command = false;
    if (auto r = recognizeSentences(languages, source, contacts, &not_a_command)) return r;
    if (not_a_command) return std::nullopt;
    // Nothing understood: one keyword typo, kept only when exactly one
    // reading is understood and no reading is a not_command ("cal it a
    // day" stays nothing).
    // Typed commands are short; a long text or one with many would-be typos
    // is not guessed at (and the work stays bounded).
    constexpr std::size_t kMaxTypoText = 200, kMaxReadings = 16;
    if (source.size() > kMaxTypoText) return std::nullopt;
    std::vector<TypoReading> readings;
    for (const CompiledLanguage* language : languages)
        for (auto& reading : typoReadings(*language, source, contacts)) readings.push_back(std::move(reading));
    if (readings.size() > kMaxReadings) return std::nullopt;
    std::optional<Recognition> repaired;
    std::string repaired_as;
    {
        for (const auto& reading : readings) {
            auto r = recognizeSentences(languages, reading.source, contacts, &not_a_command);
            if (not_a_command) return std::nullopt;
            if (!r || !slotsAsSaid(*r, source)) continue;  // the repair must not change a slot
            // replace: a slot may hold bytes that are not UTF-8 (the engine takes any text).
            const std::string as = r->intent + r->slots.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            if (repaired && as != repaired_as) return std::nullopt;  // two readings: no guess
            if (!repaired) {
                repaired = std::move(r);
                repaired_as = as;
                repaired->corrected = reading.typo + " -> " + reading.keyword;
            }
        }
    }
    return repaired;
}

}  // namespace jskill::intents
