#include "intents/src/compiler.hpp"

#include <algorithm>

#include "intents/src/han.hpp"
#include "intents/src/normalize.hpp"
#include "intents/src/numbers.hpp"

namespace jskill::intents {
namespace {

// "en/calls.yaml:12", for errors.
std::string whereOf(const LanguageData::Pending& t) { return t.file + ":" + std::to_string(t.line); }

// The more telling of two anchors (prefilter.hpp): the one whose shortest
// literal is longer ("volume" over "to"), then the one with fewer literals.
// An empty anchor is no anchor.
const Anchor& moreTelling(const Anchor& a, const Anchor& b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    auto shortest = [](const Anchor& x) {
        std::size_t n = x.front().size();
        for (const auto& l : x) n = std::min(n, l.size());
        return n;
    };
    if (shortest(a) != shortest(b)) return shortest(a) > shortest(b) ? a : b;
    return a.size() <= b.size() ? a : b;
}

// ---- template syntax -> regular expression --------------------------------
//
//   (a|b)  alternatives      [a]  optional (also [a|b])     {slot}  a slot
//   <rule> an expansion rule words separated by spaces
//
// A sequence is a list of units separated by whitespace; a unit is a list of
// glued atoms. Spaces between units become one space (nothing in compact
// languages); an optional unit carries its own separator so "[please] call"
// matches "call" as well as "please call".
class TemplateCompiler {
public:
    TemplateCompiler(const LanguageData& language, std::string where) : language_(language), where_(std::move(where)) {}

    std::string compile(const std::string& text) {
        text_ = text;
        pos_ = 0;
        std::string regex = sequence(0, false);
        if (pos_ != text_.size()) fail("unexpected '" + std::string(1, text_[pos_]) + "'");
        anchor_ = last_sequence_anchor_;
        return regex;
    }
    // Literals of which any sentence the last compiled template matches
    // contains one (empty: none known).
    const Anchor& anchor() const { return anchor_; }
    // Every literal word of the templates compiled goes here (keywords for
    // typo repair).
    void collectLiterals(std::set<std::string>* literals) { literals_ = literals; }
    // Slot group name -> slot name, e.g. "contact__2" -> "contact".
    const std::map<std::string, std::string>& groups() const { return groups_; }

private:
    struct Unit {
        std::string regex;
        bool optional = false;  // the whole unit may be absent
        Anchor anchor;          // of its required atoms, the most telling
    };

    [[noreturn]] void fail(const std::string& message) const {
        throw LoadError(where_ + ": " + message + " in template \"" + text_ + "\"");
    }

    // The normalizer leaves exactly one ' ' between words (normalize.hpp): a
    // literal space, where \s+ would be a class that RE2 parses and
    // compiles several times more slowly (a third of a pattern's cost).
    std::string separator() const { return language_.compact ? "" : " "; }

    bool atSpace() const { return pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t'); }

    // Parses units until ')' ']' '|' or the end; depth guards rule recursion.
    std::string sequence(int depth, bool inside_group) {
        std::vector<Unit> units;
        while (pos_ < text_.size()) {
            while (atSpace()) ++pos_;
            if (pos_ >= text_.size()) break;
            char c = text_[pos_];
            if (c == ')' || c == ']' || c == '|') {
                if (!inside_group) fail(std::string("unbalanced '") + c + "'");
                break;
            }
            units.push_back(unit(depth));
        }
        last_sequence_optional_ = std::all_of(units.begin(), units.end(), [](const Unit& u) { return u.optional; });
        last_sequence_anchor_.clear();
        for (const auto& u : units)
            if (!u.optional) last_sequence_anchor_ = moreTelling(last_sequence_anchor_, u.anchor);
        return join(units);
    }

    std::string join(const std::vector<Unit>& units) const {
        std::string out;
        bool started = false;
        const std::string sep = separator();
        // A sequence of optional units only ("[now|right now]" as a rule): no
        // required unit follows to absorb a trailing separator, so separators
        // go between units and the caller places the one before the sequence.
        const bool has_required = std::any_of(units.begin(), units.end(), [](const Unit& u) { return !u.optional; });
        if (!has_required) {
            for (std::size_t i = 0; i < units.size(); ++i)
                out += i == 0 ? "(?:" + units[i].regex + ")?" : "(?:" + sep + units[i].regex + ")?";
            return out;
        }
        for (const auto& u : units) {
            if (!started) {
                if (u.optional && !sep.empty()) {
                    out += "(?:" + u.regex + sep + ")?";
                } else if (u.optional) {
                    out += "(?:" + u.regex + ")?";
                } else {
                    out += u.regex;
                    started = true;
                }
            } else if (u.optional) {
                out += "(?:" + sep + u.regex + ")?";
            } else {
                out += sep + u.regex;
            }
        }
        return out;
    }

    Unit unit(int depth) {
        Unit result;
        int atoms = 0;
        bool all_optional = true;
        while (pos_ < text_.size() && !atSpace()) {
            char c = text_[pos_];
            if (c == ')' || c == ']' || c == '|') break;
            bool optional = false;
            Anchor anchor;
            result.regex += atom(depth, &optional, &anchor);
            all_optional = all_optional && optional;
            if (!optional) result.anchor = moreTelling(result.anchor, anchor);
            ++atoms;
        }
        result.optional = atoms > 0 && all_optional;
        if (result.optional) {
            // Atoms were emitted as (?:x)?; the unit as a whole is wrapped by
            // join(), so strip the outer '?' of a single optional atom.
            if (atoms == 1 && result.regex.ends_with(")?")) result.regex.pop_back();
        }
        return result;
    }

    // *anchor: what the atom guarantees the text contains, when required.
    std::string atom(int depth, bool* optional, Anchor* anchor) {
        char c = text_[pos_];
        if (c == '(' || c == '[') {
            char close = c == '(' ? ')' : ']';
            ++pos_;
            std::vector<std::string> alternatives;
            bool empty_alternative = false;
            // One literal of each alternative: the group's anchor only when
            // every alternative has one.
            bool every_alternative_anchored = true;
            Anchor any_of;
            while (true) {
                std::string alt = sequence(depth, true);
                if (alt.empty())
                    empty_alternative = true;
                else
                    alternatives.push_back(alt);
                if (last_sequence_anchor_.empty()) every_alternative_anchored = false;
                any_of.insert(any_of.end(), last_sequence_anchor_.begin(), last_sequence_anchor_.end());
                if (pos_ >= text_.size()) fail(std::string("missing '") + close + "'");
                if (text_[pos_] == '|') {
                    ++pos_;
                    continue;
                }
                if (text_[pos_] != close) fail(std::string("expected '") + close + "'");
                ++pos_;
                break;
            }
            if (alternatives.empty()) fail("empty group");
            std::string group = "(?:";
            for (std::size_t i = 0; i < alternatives.size(); ++i) group += (i ? "|" : "") + alternatives[i];
            group += ")";
            *optional = close == ']' || empty_alternative;
            if (!*optional && every_alternative_anchored) *anchor = std::move(any_of);
            return *optional ? group + "?" : group;
        }
        if (c == '{') {
            auto close = text_.find('}', pos_);
            if (close == std::string::npos) fail("missing '}'");
            std::string name = text_.substr(pos_ + 1, close - pos_ - 1);
            pos_ = close + 1;
            return slot(name);
        }
        if (c == '<') {
            auto close = text_.find('>', pos_);
            if (close == std::string::npos) fail("missing '>'");
            std::string name = text_.substr(pos_ + 1, close - pos_ - 1);
            pos_ = close + 1;
            auto rule = language_.rules.find(name);
            if (rule == language_.rules.end()) fail("unknown rule <" + name + ">");
            if (depth > 8) fail("rule <" + name + "> expands into itself");
            // Compile the rule text in place with the same state machine.
            TemplateCompiler inner(language_, where_);
            inner.literals_ = literals_;
            inner.group_counter_ = group_counter_;
            std::string regex;
            inner.text_ = rule->second;
            inner.pos_ = 0;
            regex = inner.sequenceAtDepth(depth + 1);
            if (inner.pos_ != inner.text_.size()) fail("malformed rule <" + name + ">");
            const bool rule_optional = inner.last_sequence_optional_;
            if (!rule_optional) *anchor = inner.last_sequence_anchor_;
            group_counter_ = inner.group_counter_;
            for (auto& g : inner.groups_) groups_.insert(g);
            *optional = rule_optional;
            return rule_optional ? "(?:" + regex + ")?" : "(?:" + regex + ")";
        }
        // Literal text up to the next syntax character or space.
        std::size_t start = pos_;
        while (pos_ < text_.size() && !atSpace() &&
               std::string_view("()[]{}<>|").find(text_[pos_]) == std::string_view::npos)
            ++pos_;
        std::string literal = normalizeName(text_.substr(start, pos_ - start), language_.compact);
        if (literals_) literals_->insert(literal);
        *optional = false;
        if (!literal.empty()) *anchor = {literal};
        return RE2::QuoteMeta(literal);
    }

    std::string sequenceAtDepth(int depth) { return sequence(depth, false); }

    std::string slot(const std::string& name) {
        auto kind = language_.slots.find(name);
        if (kind == language_.slots.end()) fail("unknown slot {" + name + "} (declare it under `slots:`)");
        std::string group = name + "__" + std::to_string(group_counter_++);
        groups_[group] = name;
        std::string body;
        switch (kind->second) {
        case SlotKind::Contact:
            // Free text when the name is not in the contact book: bytes that
            // are not a marker (0xEE leads U+E000-U+EFFF, private use). Chinese
            // names have two characters or more; without that floor,
            // "告诉李四明天见" would split after the first character. In a
            // compact language a Latin name is one whole run of letters
            // ("告诉Bob我到了" names Bob, not "Bo").
            body =
                std::string(kMarkerClass) + "|" +
                (language_.compact ? "[a-z0-9][a-z0-9._-]*|(?:[^\\xEE\\x80-\\xBF][\\x80-\\xBF]*){2,}?" : "[^\\xEE]+?");
            break;
        case SlotKind::Text: body = ".+?"; break;
        case SlotKind::Number:
            // Any short text, read by NumberWords afterwards (a template whose
            // number does not read as one does not match): the language's
            // number words spelled out in every number slot would make the
            // patterns ten times longer and their compiling as much slower.
            body = "[0-9]{1,3}|[^0-9 %][^%]*?";
            break;
        case SlotKind::Digits:
            body = "[^ %][^%]*?";  // read by NumberWords, as numbers are
            break;
        case SlotKind::Id:
            // A Jami ID, sip:/sips: URI or username; its shape is checked
            // by the matcher (counted repeats like {40} would multiply the
            // pattern's size).
            body = "(?:jami:|ring:)?[0-9a-f]+|sips?:[^ ]+|[a-z0-9_-]+";
            break;
        }
        return "(?P<" + group + ">" + body + ")";
    }

    const LanguageData& language_;
    std::set<std::string>* literals_ = nullptr;
    std::string where_;
    std::string text_;
    std::size_t pos_ = 0;
    int group_counter_ = 0;
    bool last_sequence_optional_ = false;
    Anchor last_sequence_anchor_, anchor_;
    std::map<std::string, std::string> groups_;
};

// Patterns read the normalized UTF-8 text as bytes (Latin-1 to RE2): a
// UTF-8 literal is the same bytes either way, and byte classes compile to
// programs several times smaller than UTF-8 ones (the templates of a
// language compile in ~4 ms instead of ~10). Slot edges fall on character
// boundaries because the literals around them start with whole characters.
RE2::Options regexOptions() {
    RE2::Options options;
    options.set_encoding(RE2::Options::EncodingLatin1);
    options.set_log_errors(false);  // the library never writes to stderr
    options.set_max_mem(64 << 20);
    return options;
}

}  // namespace

const CompiledTemplate::Matcher& CompiledTemplate::matcher() const {
    std::call_once(once_, [this] {
        matcher_.regex = std::make_unique<RE2>(pattern, regexOptions());
        matcher_.group_slot.assign(static_cast<std::size_t>(matcher_.regex->NumberOfCapturingGroups()) + 1, "");
        for (const auto& [group, index] : matcher_.regex->NamedCapturingGroups())
            if (auto slot = groups.find(group); slot != groups.end())
                matcher_.group_slot[static_cast<std::size_t>(index)] = slot->second;
    });
    return matcher_;
}

LanguagePatterns patternsOf(const LanguageData& data) {
    LanguagePatterns out;
    for (const auto& t : data.templates) {
        TemplateCompiler compiler(data, whereOf(t));
        compiler.collectLiterals(&out.keywords);
        std::string pattern = compiler.compile(t.text);
        out.templates.push_back({std::move(pattern), compiler.anchor(), compiler.groups()});
    }
    for (const auto& t : data.not_commands) {
        TemplateCompiler compiler(data, whereOf(t));
        std::string pattern = compiler.compile(t.text);
        out.not_commands.push_back({std::move(pattern), compiler.anchor(), {}});
    }
    return out;
}

CompiledLanguage compileLanguage(const LanguageData& data, LanguagePatterns patterns, unsigned whole_after) {
    if (patterns.templates.size() != data.templates.size() || patterns.not_commands.size() != data.not_commands.size())
        throw LoadError(data.name + ": the patterns made at build time do not fit its templates");
    CompiledLanguage out;
    out.name = data.name;
    out.compact = data.compact;
    out.slots = data.slots;
    for (const auto& p : data.skip_prefixes) out.skip_prefixes.push_back(normalizeName(p, data.compact));
    for (const auto& s : data.skip_suffixes) out.skip_suffixes.push_back(normalizeName(s, data.compact));
    for (const auto& p : data.pronouns) out.pronouns.insert(normalizeName(p, data.compact));
    // Longest first so "could you please" wins over "could you".
    auto by_length = [](const std::string& a, const std::string& b) { return a.size() > b.size(); };
    std::sort(out.skip_prefixes.begin(), out.skip_prefixes.end(), by_length);
    std::sort(out.skip_suffixes.begin(), out.skip_suffixes.end(), by_length);

    out.numbers = std::make_unique<NumberWords>(data);
    auto known = [&](const std::string& word) { out.known_words.insert(normalizeName(word, data.compact)); };
    for (const auto& w : data.skip_prefixes) known(w);
    for (const auto& w : data.skip_suffixes) known(w);
    for (const auto& w : data.pronouns) known(w);
    for (const auto& [w, v] : data.number_words) known(w);
    for (const auto& [w, v] : data.digit_words) known(w);
    out.set = std::make_unique<PrefilteredSet>(regexOptions(), whole_after);
    for (std::size_t i = 0; i < data.templates.size(); ++i) {
        const auto& t = data.templates[i];
        auto& p = patterns.templates[i];
        auto compiled = std::make_unique<CompiledTemplate>();
        compiled->intent = t.intent;
        compiled->text = t.text;
        compiled->pattern = p.pattern;
        compiled->groups = std::move(p.groups);
        out.set->add(std::move(p.pattern), std::move(p.anchor), whereOf(t) + ": template \"" + t.text + "\"");
        out.templates.push_back(std::move(compiled));
    }
    out.set->finish();
    out.keywords = std::move(patterns.keywords);
    out.known_words.insert(out.keywords.begin(), out.keywords.end());
    if (data.compact) {
        // The characters the templates use, by reading. (Skip words do not
        // count: "快点" must not make 点 a known character.)
        for (const auto& word : out.keywords)
            for (std::size_t i = 0; i < word.size();) {
                char32_t cp;
                const int n = decodeUtf8(word, i, &cp);
                out.keyword_chars.push_back(cp);
                if (const std::uint16_t reading = hanSyllable(cp))
                    out.keyword_chars_by_reading.emplace_back(reading, word.substr(i, n));
                i += static_cast<std::size_t>(n);
            }
        auto unique = [](auto& v) {
            std::sort(v.begin(), v.end());
            v.erase(std::unique(v.begin(), v.end()), v.end());
        };
        unique(out.keyword_chars);
        unique(out.keyword_chars_by_reading);
    }
    out.not_commands = std::make_unique<PrefilteredSet>(regexOptions(), whole_after);
    for (std::size_t i = 0; i < data.not_commands.size(); ++i) {
        const auto& t = data.not_commands[i];
        auto& p = patterns.not_commands[i];
        out.not_commands->add(std::move(p.pattern), std::move(p.anchor), whereOf(t) + ": \"" + t.text + "\"");
    }
    out.not_commands->finish();
    return out;
}

}  // namespace jskill::intents
