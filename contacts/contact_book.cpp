#include "contacts/contact_book.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace jskill::contacts {
namespace {

std::uint64_t hashOf(std::string_view key) { return std::hash<std::string_view>{}(key); }

// Levenshtein distance over bytes, giving up above `limit`. Only the band of
// cells within `limit` of the diagonal can stay under it, so only those are
// computed: O(limit x length). `row` is scratch.
std::size_t editDistance(std::string_view a, std::string_view b, std::size_t limit, std::vector<std::size_t>& row) {
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > limit) return limit + 1;
    const std::size_t beyond = limit + 1;
    row.assign(a.size() + 1, beyond);
    for (std::size_t i = 0; i <= std::min(a.size(), limit); ++i) row[i] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t lo = j > limit ? j - limit : 1;
        const std::size_t hi = std::min(a.size(), j + limit);
        std::size_t diagonal = row[lo - 1];
        if (lo == 1)
            row[0] = j <= limit ? j : beyond;
        else
            row[lo - 1] = beyond;
        std::size_t best = lo == 1 ? row[0] : beyond;
        for (std::size_t i = lo; i <= hi; ++i) {
            std::size_t up = row[i];
            row[i] = std::min({up + 1, row[i - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1), beyond});
            diagonal = up;
            best = std::min(best, row[i]);
        }
        if (best > limit) return beyond;
    }
    return std::min(row[a.size()], beyond);
}

// The distinct byte bigrams of a key padded with start and end marks.
std::vector<std::uint16_t> bigrams(std::string_view key) {
    std::string padded = "\x01" + std::string(key) + "\x02";
    std::vector<std::uint16_t> out;
    for (std::size_t i = 0; i + 1 < padded.size(); ++i)
        out.push_back(static_cast<std::uint16_t>(static_cast<unsigned char>(padded[i]) << 8 |
                                                 static_cast<unsigned char>(padded[i + 1])));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

template <class F>
void forEachWord(std::string_view key, F&& f) {
    std::size_t start = 0;
    while (start < key.size()) {
        auto end = key.find(' ', start);
        if (end == std::string_view::npos) end = key.size();
        if (end > start) f(key.substr(start, end - start));
        start = end + 1;
    }
}

// hashOf(canonicalId(id)) without building the string when the id is
// already canonical (the usual lower-case 40-hex or username).
std::uint64_t idHash(std::string_view id) {
    const bool canonical =
        std::none_of(id.begin(), id.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == ' ' || c == '\t'; }) &&
        !id.starts_with("jami:") && !id.starts_with("ring:");
    return canonical ? hashOf(id) : hashOf(canonicalId(id));
}

// (distance, contact) pairs reduced to each contact's closest, sorted by
// distance then contact.
void keepClosestPerContact(std::vector<std::pair<std::size_t, std::size_t>>& scored) {
    std::sort(scored.begin(), scored.end(),
              [](auto& a, auto& b) { return std::pair(a.second, a.first) < std::pair(b.second, b.first); });
    scored.erase(std::unique(scored.begin(), scored.end(), [](auto& a, auto& b) { return a.second == b.second; }),
                 scored.end());
    std::sort(scored.begin(), scored.end());
}

}  // namespace

// Spellings near a query by edit distance. Candidates come from a bigram
// index: an edit destroys at most two bigram occurrences, so two keys within
// distance d share at least max(bigrams) - 2d distinct bigrams, and their
// lengths differ by at most d. Spellings are numbered by length, so each
// posting list is cut to the length window by binary search; only the
// survivors run the edit distance.
class FuzzyIndex {
public:
    void add(std::string key, std::uint32_t contact) {
        if (!key.empty()) spellings_.push_back({std::move(key), contact, 0});
    }
    // Call once after the last add().
    void finish() {
        std::stable_sort(spellings_.begin(), spellings_.end(),
                         [](const Spelling& a, const Spelling& b) { return a.key.size() < b.key.size(); });
        for (std::uint32_t id = 0; id < spellings_.size(); ++id) {
            auto grams = bigrams(spellings_[id].key);
            spellings_[id].grams = static_cast<std::uint32_t>(grams.size());
            spellings_[id].histogram = histogram(spellings_[id].key);
            for (auto g : grams) postings_[g].push_back(id);
        }
    }

    // (distance, contact) for every spelling within `max_distance`, each
    // contact once at its closest.
    std::vector<std::pair<std::size_t, std::size_t>> near(std::string_view query, std::size_t max_distance) const {
        // The ids whose length is within max_distance of the query's.
        auto byLength = [&](std::size_t length) {
            return static_cast<std::uint32_t>(
                std::lower_bound(spellings_.begin(), spellings_.end(), length,
                                 [](const Spelling& s, std::size_t l) { return s.key.size() < l; }) -
                spellings_.begin());
        };
        const std::uint32_t first = byLength(query.size() > max_distance ? query.size() - max_distance : 0);
        const std::uint32_t last = byLength(query.size() + max_distance + 1);
        const auto grams = bigrams(query);
        const auto query_grams = static_cast<long>(grams.size());
        const long slack = 2 * static_cast<long>(max_distance);

        std::vector<std::uint16_t> shared(last - first, 0);
        std::vector<std::uint32_t> touched;
        for (auto g : grams) {
            auto it = postings_.find(g);
            if (it == postings_.end()) continue;
            const auto& list = it->second;
            for (auto at = std::lower_bound(list.begin(), list.end(), first); at != list.end() && *at < last; ++at)
                if (shared[*at - first]++ == 0) touched.push_back(*at);
        }
        // Spellings sharing nothing qualify only when both sides are tiny.
        if (query_grams <= slack)
            for (std::uint32_t id = first; id < last; ++id)
                if (shared[id - first] == 0 && static_cast<long>(spellings_[id].grams) <= slack) touched.push_back(id);

        std::vector<std::pair<std::size_t, std::size_t>> out;
        std::vector<std::size_t> row;
        const Histogram query_histogram = histogram(query);
        for (auto id : touched) {
            const auto& s = spellings_[id];
            if (static_cast<long>(shared[id - first]) < std::max(query_grams, static_cast<long>(s.grams)) - slack)
                continue;
            if (histogramDistance(query_histogram, s.histogram) > static_cast<unsigned>(slack)) continue;
            std::size_t d = editDistance(query, s.key, max_distance, row);
            if (d <= max_distance) out.emplace_back(d, s.contact);
        }
        keepClosestPerContact(out);
        return out;
    }

private:
    using Histogram = std::array<std::uint8_t, 32>;
    struct Spelling {
        std::string key;
        std::uint32_t contact;
        std::uint32_t grams = 0;
        Histogram histogram{};
    };
    // Byte counts folded to 32 bins: an edit moves the L1 distance of two
    // histograms by at most 2, a second cheap filter before the edit distance.
    static Histogram histogram(std::string_view key) {
        Histogram h{};
        for (unsigned char c : key) h[c % 32] = static_cast<std::uint8_t>(std::min(255, h[c % 32] + 1));
        return h;
    }
    static unsigned histogramDistance(const Histogram& a, const Histogram& b) {
        unsigned sum = 0;
        for (std::size_t i = 0; i < a.size(); ++i) sum += static_cast<unsigned>(std::abs(a[i] - b[i]));
        return sum;
    }
    std::vector<Spelling> spellings_;  // by key length
    std::unordered_map<std::uint16_t, std::vector<std::uint32_t>> postings_;
};

// LSD radix sort on the hash, 8 bits a pass: stable, so entries of one hash
// stay in contact order; a third of the time std::sort took at 10,000.
void ContactBook::sortByHash(KeyIndex& index) {
    KeyIndex buffer(index.size());
    for (int shift = 0; shift < 64; shift += 8) {
        std::array<std::size_t, 257> start{};
        for (const auto& k : index) ++start[((k.hash >> shift) & 0xFF) + 1];
        for (std::size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
        for (const auto& k : index) buffer[start[(k.hash >> shift) & 0xFF]++] = k;
        index.swap(buffer);
    }
}

// Built on first need, each on its own: the fuzzy index of loose keys is
// cheap; the pinyin part needs ICU's transliterator (~150 ms to create).
struct ContactBook::LazyIndexes {
    std::once_flag fuzzy_built, pinyin_built;
    FuzzyIndex fuzzy;         // loose keys of names and aliases
    KeyIndex by_pinyin;       // pinyin keys of Chinese names and aliases
    FuzzyIndex pinyin_fuzzy;  // the same, for "zhang shan" -> 张三
};

ContactBook::ContactBook() : ContactBook(std::vector<Contact>{}) {}

ContactBook::ContactBook(std::vector<Contact> contacts, std::shared_ptr<PinyinKeys> pinyin)
    : contacts_(std::move(contacts)),
      pinyin_(pinyin ? std::move(pinyin) : std::make_shared<PinyinKeys>()),
      lazy_(std::make_shared<LazyIndexes>()) {
    by_id_.reserve(contacts_.size());
    by_name_.reserve(contacts_.size());
    by_loose_.reserve(contacts_.size());
    by_word_.reserve(contacts_.size() * 2);
    for (std::size_t i = 0; i < contacts_.size(); ++i) {
        const Contact& c = contacts_[i];
        const auto n = static_cast<std::uint32_t>(i);
        by_id_.push_back({idHash(c.id), n});
        const std::string name = exactKey(c.name);
        by_name_.push_back({hashOf(name), n});
        if (name.find(' ') != std::string::npos)
            forEachWord(name, [&](std::string_view w) { by_word_.push_back({hashOf(w), n}); });
        by_loose_.push_back({hashOf(looseKey(c.name)), n});
        any_han_ = any_han_ || hasHan(c.name);
        for (const auto& alias : c.aliases) {
            by_alias_.push_back({hashOf(exactKey(alias)), n});
            by_loose_.push_back({hashOf(looseKey(alias)), n});
            any_han_ = any_han_ || hasHan(alias);
        }
    }
    for (KeyIndex* index : {&by_id_, &by_name_, &by_alias_, &by_loose_, &by_word_}) {
        sortByHash(*index);
        index->erase(std::unique(index->begin(), index->end(),
                                 [](auto& a, auto& b) { return a.hash == b.hash && a.contact == b.contact; }),
                     index->end());
    }
}

std::vector<std::size_t> ContactBook::lookup(const KeyIndex& index, std::string_view key) const {
    if (key.empty()) return {};
    return lookupHash(index, hashOf(key));
}

// The contacts with this hash, in contact order (sortByHash is stable).
std::vector<std::size_t> ContactBook::lookupHash(const KeyIndex& index, std::uint64_t h) const {
    std::vector<std::size_t> hits;
    for (auto it = std::lower_bound(index.begin(), index.end(), KeyHash{h, 0}); it != index.end() && it->hash == h;
         ++it)
        hits.push_back(it->contact);
    return hits;
}

const FuzzyIndex& ContactBook::fuzzy() const {
    std::call_once(lazy_->fuzzy_built, [this] {
        for (std::size_t i = 0; i < contacts_.size(); ++i) {
            const auto n = static_cast<std::uint32_t>(i);
            lazy_->fuzzy.add(looseKey(contacts_[i].name), n);
            for (const auto& alias : contacts_[i].aliases) lazy_->fuzzy.add(looseKey(alias), n);
        }
        lazy_->fuzzy.finish();
    });
    return lazy_->fuzzy;
}

const ContactBook::LazyIndexes& ContactBook::pinyin() const {
    std::call_once(lazy_->pinyin_built, [this] {
        auto& l = *lazy_;
        for (std::size_t i = 0; i < contacts_.size(); ++i) {
            const auto n = static_cast<std::uint32_t>(i);
            auto addSpelling = [&](const std::string& spelling) {
                std::string key = pinyin_->of(spelling);
                if (key.empty()) return;
                l.by_pinyin.push_back({hashOf(key), n});
                l.pinyin_fuzzy.add(std::move(key), n);
            };
            addSpelling(contacts_[i].name);
            for (const auto& alias : contacts_[i].aliases) addSpelling(alias);
        }
        sortByHash(l.by_pinyin);
        l.pinyin_fuzzy.finish();
    });
    return *lazy_;
}

std::optional<std::size_t> ContactBook::findById(std::string_view id) const {
    auto hits = lookupHash(by_id_, idHash(id));
    if (hits.size() != 1) return std::nullopt;
    return hits.front();
}

std::vector<std::vector<std::string>> ContactBook::spellings() const {
    std::vector<std::vector<std::string>> out;
    out.reserve(contacts_.size());
    for (const auto& c : contacts_) {
        std::vector<std::string> names{c.name};
        names.insert(names.end(), c.aliases.begin(), c.aliases.end());
        out.push_back(std::move(names));
    }
    return out;
}

Resolution ContactBook::resolve(std::string_view query) const {
    Resolution r;
    const std::string exact = exactKey(query);
    if (exact.empty()) return r;
    const std::string loose = looseKey(query);

    auto settle = [&](std::vector<std::size_t> hits, const char* how) -> bool {
        hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
        if (hits.empty()) return false;
        r.match = how;
        if (hits.size() == 1) {
            r.kind = Resolution::Kind::Found;
            r.index = hits.front();
        } else {
            r.kind = Resolution::Kind::Ambiguous;
            r.candidates = std::move(hits);
        }
        return true;
    };

    if (settle(lookupHash(by_id_, idHash(query)), "id")) return r;
    if (settle(lookup(by_name_, exact), "name")) return r;
    if (settle(lookup(by_alias_, exact), "alias")) return r;
    if (settle(lookup(by_loose_, loose), "normalized")) return r;
    // Chinese typed as pinyin (ASCII letters and digits, not an address), or
    // a homophone typed in Chinese. Anything else skips the step: its index
    // costs ICU's transliterator.
    const bool han_query = hasHan(query);
    const bool could_be_pinyin =
        !loose.empty() && (han_query || (query.find_first_of(":@") == std::string_view::npos &&
                                         std::all_of(loose.begin(), loose.end(), [](char c) {
                                             return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                                         })));
    // From here on nothing acts: a shared word or a near spelling only
    // suggests (Unknown with candidates), so "call Bill" never calls Will.
    auto suggest = [&](std::vector<std::size_t> hits, const char* how) {
        hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
        if (hits.size() > 5) hits.resize(5);
        r.kind = Resolution::Kind::Unknown;
        r.match = hits.empty() ? "" : how;
        r.candidates = std::move(hits);
        return !r.candidates.empty();
    };
    if (any_han_ && could_be_pinyin) {
        // Pinyin typed in Latin letters acts; other characters that read the
        // same ("章三" for "张三") are another name, so they only suggest.
        auto hits = lookup(this->pinyin().by_pinyin, han_query ? pinyin_->of(query) : loose);
        if (han_query ? suggest(std::move(hits), "homophone") : settle(std::move(hits), "pinyin")) return r;
    }
    if (exact.find(' ') == std::string::npos && suggest(lookup(by_word_, exact), "word")) return r;

    // Typos: the smallest edit distance within a bound that grows with
    // length; a little further out, more distant suggestions.
    if (loose.empty()) return r;
    const std::size_t limit = loose.size() <= 4 ? 1 : loose.size() <= 8 ? 2 : 3;
    const bool with_pinyin = any_han_ && could_be_pinyin && !han_query;
    auto near = [&](std::size_t distance) {
        auto scored = fuzzy().near(loose, distance);
        if (with_pinyin) {
            // Only pinyin keys at least as close as the best name can matter.
            auto more = pinyin().pinyin_fuzzy.near(loose, scored.empty() ? distance : scored.front().first);
            scored.insert(scored.end(), more.begin(), more.end());
            keepClosestPerContact(scored);
        }
        return scored;
    };
    auto scored = near(limit);
    if (scored.empty()) scored = near(limit + 2);
    std::vector<std::size_t> closest;
    for (const auto& [d, i] : scored) {  // sorted by distance, then contact
        if (closest.size() >= 3) break;
        closest.push_back(i);
    }
    suggest(std::move(closest), "similar");
    return r;
}

}  // namespace jskill::contacts
