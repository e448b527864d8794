#include "intents/src/engine.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <re2/re2.h>
#include <re2/set.h>
#include <yaml-cpp/yaml.h>

#include "intents/src/normalize.hpp"
#include "intents/src/numbers.hpp"

namespace jskill::intents {
namespace {

using nlohmann::json;

// Contact names found by the prefilter are replaced by one private-use code
// point each (U+E000 + k); a {contact} slot prefers exactly one of them.
constexpr char32_t kMarkerBase = 0xE000;
constexpr std::size_t kMaxMarkers = 256;
constexpr const char* kMarkerClass = "[\\x{E000}-\\x{E0FF}]";

enum class SlotKind { Contact, Text, Number, Digits, Id };

std::optional<SlotKind> slotKindFromName(const std::string& kind) {
    if (kind == "contact") return SlotKind::Contact;
    if (kind == "text") return SlotKind::Text;
    if (kind == "number") return SlotKind::Number;
    if (kind == "digits") return SlotKind::Digits;
    if (kind == "id") return SlotKind::Id;
    return std::nullopt;
}

// Everything the templates of one language share, merged from its files.
struct LanguageData {
    std::string name;
    bool compact = false;  // no spaces between words (Chinese)
    std::map<std::string, std::string> rules;
    std::map<std::string, SlotKind> slots;
    std::vector<std::string> skip_prefixes, skip_suffixes;
    std::vector<std::string> pronouns;  // words that never name a contact
    struct Pending {
        std::string intent, text, file;
        int line;
    };
    std::vector<Pending> templates;
};

// ---- template syntax -> regular expression --------------------------------
//
//   (a|b)  alternatives      [a]  optional (also [a|b])     {slot}  a slot
//   <rule> an expansion rule words separated by spaces
//
// A sequence is a list of units separated by whitespace; a unit is a list of
// glued atoms. Spaces between units become \s+ (nothing in compact
// languages); an optional unit carries its own separator so "[please] call"
// matches "call" as well as "please call".
class TemplateCompiler {
public:
    TemplateCompiler(const LanguageData& language, std::string where)
        : language_(language), where_(std::move(where)) {}

    std::string compile(const std::string& text) {
        text_ = text;
        pos_ = 0;
        std::string regex = sequence(0, false);
        if (pos_ != text_.size()) fail("unexpected '" + std::string(1, text_[pos_]) + "'");
        return regex;
    }
    // Slot group name -> slot name, e.g. "contact__2" -> "contact".
    const std::map<std::string, std::string>& groups() const { return groups_; }

private:
    struct Unit {
        std::string regex;
        bool optional = false;  // the whole unit may be absent
    };

    [[noreturn]] void fail(const std::string& message) const {
        throw LoadError(where_ + ": " + message + " in template \"" + text_ + "\"");
    }

    std::string separator() const { return language_.compact ? "" : "\\s+"; }

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
            result.regex += atom(depth, &optional);
            all_optional = all_optional && optional;
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

    std::string atom(int depth, bool* optional) {
        char c = text_[pos_];
        if (c == '(' || c == '[') {
            char close = c == '(' ? ')' : ']';
            ++pos_;
            std::vector<std::string> alternatives;
            bool empty_alternative = false;
            while (true) {
                std::string alt = sequence(depth, true);
                if (alt.empty()) empty_alternative = true;
                else alternatives.push_back(alt);
                if (pos_ >= text_.size()) fail(std::string("missing '") + close + "'");
                if (text_[pos_] == '|') { ++pos_; continue; }
                if (text_[pos_] != close) fail(std::string("expected '") + close + "'");
                ++pos_;
                break;
            }
            if (alternatives.empty()) fail("empty group");
            std::string group = "(?:";
            for (std::size_t i = 0; i < alternatives.size(); ++i) group += (i ? "|" : "") + alternatives[i];
            group += ")";
            *optional = close == ']' || empty_alternative;
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
            inner.group_counter_ = group_counter_;
            std::string regex;
            inner.text_ = rule->second;
            inner.pos_ = 0;
            regex = inner.sequenceAtDepth(depth + 1);
            if (inner.pos_ != inner.text_.size()) fail("malformed rule <" + name + ">");
            const bool rule_optional = inner.last_sequence_optional_;
            group_counter_ = inner.group_counter_;
            for (auto& g : inner.groups_) groups_.insert(g);
            *optional = rule_optional;
            return rule_optional ? "(?:" + regex + ")?" : "(?:" + regex + ")";
        }
        // Literal text up to the next syntax character or space.
        std::size_t start = pos_;
        while (pos_ < text_.size() && !atSpace() && std::string_view("()[]{}<>|").find(text_[pos_]) == std::string_view::npos)
            ++pos_;
        std::string literal = normalizeName(text_.substr(start, pos_ - start), language_.compact);
        *optional = false;
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
            // Free text when the name is not in the contact book. Chinese
            // names have two characters or more; without that floor,
            // "告诉李四明天见" would split after the first character.
            body = std::string(kMarkerClass) + "|[^\\x{E000}-\\x{E0FF}]" + (language_.compact ? "{2,}?" : "+?");
            break;
        case SlotKind::Text:
            body = ".+?";
            break;
        case SlotKind::Number:
            body = "[0-9]{1,3}|" + englishNumberPattern() + "|[零〇一二两三四五六七八九十百]+";
            break;
        case SlotKind::Digits:
            body = "[0-9*#]+(?:[ ,]*[0-9*#]+)*";
            break;
        case SlotKind::Id:
            body = "(?:jami:|ring:)?[0-9a-f]{40}|sips?:[^ ]+|[a-z0-9_-]{3,32}";
            break;
        }
        return "(?P<" + group + ">" + body + ")";
    }

    const LanguageData& language_;
    std::string where_;
    std::string text_;
    std::size_t pos_ = 0;
    int group_counter_ = 0;
    bool last_sequence_optional_ = false;
    std::map<std::string, std::string> groups_;
};

struct CompiledTemplate {
    std::string intent;
    std::string text;
    std::string example;  // a sentence it accepts, for help
    std::unique_ptr<RE2> regex;
    std::vector<std::string> group_slot;  // capture index (1-based) -> slot name ("" = none)
};

struct CompiledLanguage {
    std::string name;
    bool compact = false;
    std::vector<std::string> skip_prefixes, skip_suffixes;  // normalized
    std::set<std::string> pronouns;                          // normalized
    std::map<std::string, SlotKind> slots;
    std::vector<CompiledTemplate> templates;
    std::unique_ptr<RE2::Set> set;
};

RE2::Options regexOptions() {
    RE2::Options options;
    options.set_log_errors(false);  // the library never writes to stderr
    options.set_max_mem(64 << 20);
    return options;
}

std::string yamlWhere(const std::string& file, const YAML::Node& node) {
    return file + ":" + std::to_string(node.Mark().line + 1);
}

void loadFile(const TemplateSource& source, std::map<std::string, LanguageData>& languages) {
    YAML::Node root;
    try {
        root = YAML::Load(source.text);
    } catch (const YAML::Exception& e) {
        throw LoadError(source.file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    if (!root.IsMap()) throw LoadError(source.file + ":1: expected a mapping with `language:`");
    auto language_node = root["language"];
    if (!language_node || !language_node.IsScalar())
        throw LoadError(source.file + ":1: missing `language:`");
    auto& language = languages[language_node.as<std::string>()];
    language.name = language_node.as<std::string>();
    try {
        if (auto compact = root["compact"]) language.compact = compact.as<bool>();
        if (auto rules = root["rules"]) {
            for (auto it : rules) language.rules[it.first.as<std::string>()] = it.second.as<std::string>();
        }
        if (auto slots = root["slots"]) {
            for (auto it : slots) {
                auto kind = slotKindFromName(it.second.as<std::string>());
                if (!kind)
                    throw LoadError(yamlWhere(source.file, it.second) + ": unknown slot kind \"" +
                                    it.second.as<std::string>() + "\" (contact, text, number, digits, id)");
                language.slots[it.first.as<std::string>()] = *kind;
            }
        }
        for (const char* key : {"skip_prefixes", "skip_suffixes", "pronouns"}) {
            if (auto list = root[key]) {
                auto& target = std::string_view(key) == "skip_prefixes"   ? language.skip_prefixes
                               : std::string_view(key) == "skip_suffixes" ? language.skip_suffixes
                                                                          : language.pronouns;
                for (auto item : list) target.push_back(item.as<std::string>());
            }
        }
        if (auto intents = root["intents"]) {
            if (!intents.IsMap()) throw LoadError(yamlWhere(source.file, intents) + ": `intents:` must be a mapping");
            for (auto it : intents) {
                auto name = it.first.as<std::string>();
                if (!it.second.IsSequence())
                    throw LoadError(yamlWhere(source.file, it.second) + ": intent " + name + " needs a list of sentences");
                for (auto sentence : it.second) {
                    language.templates.push_back(
                        {name, sentence.as<std::string>(), source.file, sentence.Mark().line + 1});
                }
            }
        }
    } catch (const YAML::Exception& e) {
        throw LoadError(source.file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}

// ---- one example sentence per template (for `help`) ----------------------

// The index of the bracket closing the one at `open` (nesting of () and []).
std::size_t closingBracket(std::string_view text, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
        if (text[i] == '(' || text[i] == '[') ++depth;
        if ((text[i] == ')' || text[i] == ']') && --depth == 0) return i;
    }
    return text.size();
}

std::string_view firstAlternative(std::string_view inner) {
    int depth = 0;
    for (std::size_t i = 0; i < inner.size(); ++i) {
        if (inner[i] == '(' || inner[i] == '[') ++depth;
        if (inner[i] == ')' || inner[i] == ']') --depth;
        if (inner[i] == '|' && depth == 0) return inner.substr(0, i);
    }
    return inner;
}

std::string sampleFor(const std::string& slot, const LanguageData& data) {
    const bool zh = data.name == "zh";
    if (slot == "contact") return zh ? "张三" : "Bob";
    if (slot == "message") return zh ? "我晚点到" : "running late";
    if (slot == "new_name") return zh ? "老王" : "Robert";
    if (slot == "name") return zh ? "小王" : "Carol";
    if (slot == "volume") return "50";
    if (slot == "digits") return "123#";
    if (slot == "id") return "<Jami ID>";
    return slot;
}

// First alternatives, no optional parts, a sample value per slot.
std::string renderExample(std::string_view text, const LanguageData& data, int depth = 0) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '(' || c == '[') {
            const std::size_t end = closingBracket(text, i);
            if (c == '(') out += renderExample(firstAlternative(text.substr(i + 1, end - i - 1)), data, depth + 1);
            i = end + 1;
        } else if (c == '{' || c == '<') {
            const std::size_t end = std::min(text.find(c == '{' ? '}' : '>', i), text.size());
            const std::string name(text.substr(i + 1, end - i - 1));
            if (c == '{') out += sampleFor(name, data);
            else if (auto rule = data.rules.find(name); rule != data.rules.end() && depth < 8)
                out += renderExample(rule->second, data, depth + 1);
            i = end + 1;
        } else {
            out += c;
            ++i;
        }
    }
    if (depth > 0) return out;
    std::string tidy;  // one space between words, none in compact languages
    for (char ch : out) {
        if (ch == ' ' && (data.compact || tidy.empty() || tidy.back() == ' ')) continue;
        tidy += ch;
    }
    while (!tidy.empty() && tidy.back() == ' ') tidy.pop_back();
    return tidy;
}

CompiledLanguage compileLanguage(const LanguageData& data) {
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

    out.set = std::make_unique<RE2::Set>(regexOptions(), RE2::ANCHOR_BOTH);
    for (const auto& t : data.templates) {
        std::string where = t.file + ":" + std::to_string(t.line);
        TemplateCompiler compiler(data, where);
        std::string pattern = compiler.compile(t.text);
        CompiledTemplate compiled;
        compiled.intent = t.intent;
        compiled.text = t.text;
        compiled.example = renderExample(t.text, data);
        compiled.regex = std::make_unique<RE2>(pattern, regexOptions());
        if (!compiled.regex->ok())
            throw LoadError(where + ": template \"" + t.text + "\" compiles to an invalid pattern: " +
                            compiled.regex->error());
        compiled.group_slot.assign(compiled.regex->NumberOfCapturingGroups() + 1, "");
        for (const auto& [group, index] : compiled.regex->NamedCapturingGroups()) {
            auto slot = compiler.groups().find(group);
            if (slot != compiler.groups().end()) compiled.group_slot[index] = slot->second;
        }
        std::string error;
        if (out.set->Add(pattern, &error) < 0) throw LoadError(where + ": " + error);
        out.templates.push_back(std::move(compiled));
    }
    if (!out.set->Compile()) throw LoadError(data.name + ": the templates are too large to compile together");
    return out;
}

// Removes skip words ("please", "hey", "请", "吧") from both ends.
std::pair<std::size_t, std::size_t> trimSkipWords(const CompiledLanguage& language, const std::string& text) {
    std::size_t b = 0, e = text.size();
    bool changed = true;
    auto boundary = [&](std::size_t at) {
        return language.compact || at == e || at == b || text[at] == ' ' || text[at] == ',';
    };
    while (changed) {
        changed = false;
        for (const auto& p : language.skip_prefixes) {
            if (e - b > p.size() && text.compare(b, p.size(), p) == 0 && boundary(b + p.size())) {
                b += p.size();
                // "hey jami, call mom", "请，给妈妈打电话" (the Chinese comma is 3 bytes).
                for (bool skipped = true; skipped;) {
                    skipped = false;
                    for (std::string_view sep : {" ", ",", "\xEF\xBC\x8C"}) {
                        if (e - b >= sep.size() && text.compare(b, sep.size(), sep) == 0) {
                            b += sep.size();
                            skipped = true;
                        }
                    }
                }
                changed = true;
            }
        }
        for (const auto& s : language.skip_suffixes) {
            if (e - b > s.size() && text.compare(e - s.size(), s.size(), s) == 0 &&
                (language.compact || text[e - s.size() - 1] == ' ')) {
                e -= s.size();
                while (e > b && (text[e - 1] == ' ' || text[e - 1] == ',')) --e;
                changed = true;
            }
        }
    }
    return {b, e};
}

bool containsCjk(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp;
        i += decodeUtf8(text, i, &cp);
        if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)) return true;
    }
    return false;
}

std::string_view stripQuotes(std::string_view s) {
    // Separators a template could not place: "赵六，" -> "赵六", "Mom :" -> "Mom".
    auto trim = [&] {
        for (bool changed = true; changed;) {
            changed = false;
            for (std::string_view p : {" ", ",", ":", "\xEF\xBC\x8C", "\xEF\xBC\x9A", "\xE3\x80\x81"}) {
                if (s.starts_with(p)) { s.remove_prefix(p.size()); changed = true; }
                if (s.ends_with(p)) { s.remove_suffix(p.size()); changed = true; }
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

}  // namespace

// ---- contact prefilter -----------------------------------------------------

// A read-only trie in flat arrays, built from the sorted keys in one pass:
// each node's edges (sorted by byte) and contacts are contiguous, so a
// 10,000-contact book costs a sort and a few allocations, not one per node.
struct ContactIndex::Trie {
    struct Node {
        std::uint32_t first_edge = 0, edge_count = 0;
        std::uint32_t first_contact = 0, contact_count = 0;
    };
    std::vector<Node> nodes;
    std::vector<unsigned char> edge_bytes;
    std::vector<std::uint32_t> edge_targets;
    std::vector<std::size_t> contacts;

    explicit Trie(std::vector<std::pair<std::string, std::size_t>> keys) {
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        struct Pending {
            std::uint32_t node;
            std::size_t lo, hi, depth;  // keys[lo, hi) share their first `depth` bytes
        };
        nodes.emplace_back();
        std::vector<Pending> pending{{0, 0, keys.size(), 0}};
        while (!pending.empty()) {
            const Pending p = pending.back();
            pending.pop_back();
            std::size_t i = p.lo;
            nodes[p.node].first_contact = static_cast<std::uint32_t>(contacts.size());
            for (; i < p.hi && keys[i].first.size() == p.depth; ++i) contacts.push_back(keys[i].second);
            nodes[p.node].contact_count = static_cast<std::uint32_t>(contacts.size()) - nodes[p.node].first_contact;
            nodes[p.node].first_edge = static_cast<std::uint32_t>(edge_bytes.size());
            while (i < p.hi) {
                const char byte = keys[i].first[p.depth];
                std::size_t j = i;
                while (j < p.hi && keys[j].first[p.depth] == byte) ++j;
                const auto child = static_cast<std::uint32_t>(nodes.size());
                nodes.emplace_back();
                edge_bytes.push_back(static_cast<unsigned char>(byte));
                edge_targets.push_back(child);
                pending.push_back({child, i, j, p.depth + 1});
                i = j;
            }
            nodes[p.node].edge_count = static_cast<std::uint32_t>(edge_bytes.size()) - nodes[p.node].first_edge;
        }
    }

    std::int64_t step(std::uint32_t at, unsigned char c) const {
        const Node& n = nodes[at];
        auto first = edge_bytes.begin() + n.first_edge, last = first + n.edge_count;
        auto it = std::lower_bound(first, last, c);
        return it != last && *it == c ? static_cast<std::int64_t>(edge_targets[static_cast<std::size_t>(it - edge_bytes.begin())])
                                      : std::int64_t{-1};
    }
};

ContactIndex::ContactIndex(const std::vector<std::vector<std::string>>& names) {
    std::vector<std::pair<std::string, std::size_t>> spaced, compact;
    for (std::size_t i = 0; i < names.size(); ++i) {
        for (const auto& name : names[i]) {
            if (auto key = normalizeName(name, false); !key.empty()) spaced.emplace_back(std::move(key), i);
            if (auto key = normalizeName(name, true); !key.empty()) compact.emplace_back(std::move(key), i);
        }
    }
    spaced_ = std::make_unique<Trie>(std::move(spaced));
    compact_ = std::make_unique<Trie>(std::move(compact));
}
ContactIndex::~ContactIndex() = default;
ContactIndex::ContactIndex(ContactIndex&&) noexcept = default;
ContactIndex& ContactIndex::operator=(ContactIndex&&) noexcept = default;

std::vector<ContactIndex::Span> ContactIndex::find(std::string_view text, bool compact) const {
    const Trie& trie = compact ? *compact_ : *spaced_;
    std::vector<Span> spans;
    auto word_byte = [&](std::size_t i) { return isAsciiWordByte(static_cast<unsigned char>(text[i])); };
    for (std::size_t start = 0; start < text.size();) {
        auto lead = static_cast<unsigned char>(text[start]);
        bool utf8_start = (lead & 0xC0) != 0x80;
        // Latin names must start on a word boundary; CJK names may start anywhere.
        bool can_start = utf8_start && (start == 0 || !word_byte(start) || !word_byte(start - 1));
        std::size_t best_end = 0;
        const Trie::Node* best = nullptr;
        if (can_start) {
            std::uint32_t at = 0;
            for (std::size_t i = start; i < text.size(); ++i) {
                auto next = trie.step(at, static_cast<unsigned char>(text[i]));
                if (next < 0) break;
                at = static_cast<std::uint32_t>(next);
                const auto& node = trie.nodes[at];
                bool at_char_end = i + 1 == text.size() || (static_cast<unsigned char>(text[i + 1]) & 0xC0) != 0x80;
                bool at_word_end = i + 1 == text.size() || !word_byte(i) || !word_byte(i + 1);
                if (node.contact_count && at_char_end && at_word_end) {
                    best_end = i + 1;
                    best = &node;
                }
            }
        }
        if (best) {
            auto first = trie.contacts.begin() + best->first_contact;
            spans.push_back({start, best_end, std::vector<std::size_t>(first, first + best->contact_count)});
            start = best_end;
        } else {
            ++start;
        }
    }
    return spans;
}

// ---- engine ------------------------------------------------------------------

struct Engine::Impl {
    std::vector<CompiledLanguage> languages;
};

Engine::Engine(const std::vector<TemplateSource>& sources) : impl_(std::make_unique<Impl>()) {
    std::map<std::string, LanguageData> languages;
    for (const auto& source : sources) loadFile(source, languages);
    for (const auto& [name, data] : languages) {
        if (data.templates.empty()) continue;
        impl_->languages.push_back(compileLanguage(data));
    }
    if (impl_->languages.empty()) throw LoadError("no sentence templates were loaded");
}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

std::size_t Engine::templateCount() const {
    std::size_t n = 0;
    for (const auto& l : impl_->languages) n += l.templates.size();
    return n;
}

std::vector<std::string> Engine::intentNames() const {
    std::set<std::string> names;
    for (const auto& l : impl_->languages)
        for (const auto& t : l.templates) names.insert(t.intent);
    return {names.begin(), names.end()};
}

Pronouns::Pronouns(const std::vector<TemplateSource>& sources) {
    std::map<std::string, LanguageData> languages;
    for (const auto& source : sources)
        if (source.file.ends_with("_language.yaml")) loadFile(source, languages);
    for (const auto& [name, data] : languages) {
        std::vector<std::string> words;
        for (const auto& p : data.pronouns) words.push_back(normalizeName(p, data.compact));
        std::sort(words.begin(), words.end());
        languages_.emplace_back(data.compact, std::move(words));
    }
}

bool Pronouns::contains(std::string_view text) const {
    for (const auto& [compact, words] : languages_)
        if (std::binary_search(words.begin(), words.end(), normalizeName(text, compact))) return true;
    return false;
}

bool Engine::isPronoun(std::string_view text) const {
    for (const auto& l : impl_->languages)
        if (l.pronouns.count(normalizeName(text, l.compact))) return true;
    return false;
}

std::vector<std::string> Engine::examples(const std::string& language) const {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& l : impl_->languages) {
        if (l.name != language) continue;
        for (const auto& t : l.templates)
            if (seen.insert(t.intent).second) out.push_back(t.intent + ": " + t.example);
    }
    return out;
}

namespace {

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
    if (!language.set->Match(text, &hits)) return;
    std::sort(hits.begin(), hits.end());
    for (int index : hits) {
        const auto& t = language.templates[static_cast<std::size_t>(index)];
        int groups = t.regex->NumberOfCapturingGroups();
        std::vector<re2::StringPiece> captures(static_cast<std::size_t>(groups) + 1);
        if (!t.regex->Match(text, 0, text.size(), RE2::ANCHOR_BOTH, captures.data(), groups + 1)) continue;

        Candidate c;
        c.tmpl = &t;
        c.language = &language;
        long slot_bytes = 0, wildcard_bytes = 0;
        bool valid = true, known_contact = false;
        for (int g = 1; g <= groups && valid; ++g) {
            const auto& slot = t.group_slot[static_cast<std::size_t>(g)];
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
                if (cp >= kMarkerBase && cp - kMarkerBase < markers.size() && static_cast<std::size_t>(length) == cap.size()) {
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
                auto value = parseNumber(std::string(cap.data(), cap.size()));
                if (!value) valid = false;
                else c.slots[slot] = *value;
                break;
            }
            case SlotKind::Digits: {
                std::string digits;
                for (char ch : std::string_view(cap.data(), cap.size()))
                    if (ch != ' ' && ch != ',') digits += ch;
                c.slots[slot] = digits;
                break;
            }
            case SlotKind::Id:
                c.slots[slot] = std::string(original);
                break;
            }
        }
        if (!valid) continue;
        // Ranking (docs/intents.md): a contact found in the contact list beats
        // free text, then more literal template text, then less wildcard text,
        // then the earlier template.
        long literal = static_cast<long>(text.size()) - slot_bytes;
        c.score = (known_contact ? 1'000'000 : 0) + literal * 100 - wildcard_bytes;
        if (!best || c.score > best->score) best = std::move(c);
    }
}

}  // namespace

std::optional<Recognition> Engine::recognize(std::string_view source, const ContactIndex* contacts) const {
    std::optional<Candidate> best;
    const bool cjk = containsCjk(source);
    for (const auto& language : impl_->languages) {
        NormalizedText norm = normalizeUtterance(source, language.compact);
        const auto trimmed = trimSkipWords(language, norm.text);
        const std::size_t from = trimmed.first, to = trimmed.second;  // plain names: lambdas capture them
        if (from >= to) continue;

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
            std::size_t at = from;
            for (std::size_t k = 0; k < spans.size(); ++k) {
                for (; at < spans[k].begin; ++at) marked.append(std::string_view(&norm.text[at], 1), norm.begin[at], norm.end[at]);
                std::string marker;
                appendUtf8(marker, kMarkerBase + static_cast<char32_t>(k));
                marked.append(marker, norm.begin[spans[k].begin], norm.end[spans[k].end - 1]);
                at = spans[k].end;
            }
            for (; at < to; ++at) marked.append(std::string_view(&norm.text[at], 1), norm.begin[at], norm.end[at]);
            std::optional<Candidate> marked_best;
            matchLanguage(language, source, marked, 0, marked.text.size(), spans, marked_best);
            if (marked_best && to < norm.text.size()) marked_best->extend_to = norm.end[norm.text.size() - 1];
            if (marked_best && (!best || marked_best->score > best->score)) best = std::move(marked_best);
        }
        // The plain text too: a contact name may also be an ordinary word.
        std::optional<Candidate> plain_best;
        matchLanguage(language, source, norm, from, to, {}, plain_best);
        if (plain_best && to < norm.text.size()) plain_best->extend_to = norm.end[norm.text.size() - 1];
        // A skip suffix may be the end of a real word ("在运行吗" ends in the
        // politeness suffix "行吗"): without a match, try the untrimmed end.
        if (!plain_best && to < norm.text.size())
            matchLanguage(language, source, norm, from, norm.text.size(), {}, plain_best);
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

}  // namespace jskill::intents
