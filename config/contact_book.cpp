#include "config/contact_book.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <limits>
#include <mutex>

namespace jskill::config {
namespace {

// Levenshtein distance over bytes, giving up above `limit`.
std::size_t editDistance(std::string_view a, std::string_view b, std::size_t limit) {
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > limit) return limit + 1;
    std::vector<std::size_t> row(a.size() + 1);
    for (std::size_t i = 0; i <= a.size(); ++i) row[i] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
        std::size_t diagonal = row[0], best = ++row[0];
        for (std::size_t i = 1; i <= a.size(); ++i) {
            std::size_t up = row[i];
            row[i] = std::min({row[i] + 1, row[i - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
            best = std::min(best, row[i]);
        }
        if (best > limit) return limit + 1;
    }
    return row[a.size()];
}

// One byte edit changes at most two members of a string's byte set (a
// substitution removes one and adds one; hashing to 64 bits only merges
// members), so a set difference above 2 x limit rules a pair out without
// running the edit distance.
std::uint64_t characterSet(std::string_view s) {
    std::uint64_t set = 0;
    for (unsigned char c : s) set |= std::uint64_t{1} << (c % 64);
    return set;
}

std::vector<std::string> words(std::string_view key) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < key.size()) {
        auto end = key.find(' ', start);
        if (end == std::string_view::npos) end = key.size();
        if (end > start) out.emplace_back(key.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

void add(std::unordered_map<std::string, std::vector<std::size_t>>& index, std::string key, std::size_t contact) {
    if (key.empty()) return;
    auto& list = index[std::move(key)];
    if (list.empty() || list.back() != contact) list.push_back(contact);
}

const std::vector<std::size_t>* find(const std::unordered_map<std::string, std::vector<std::size_t>>& index,
                                     const std::string& key) {
    if (key.empty()) return nullptr;
    auto it = index.find(key);
    return it == index.end() ? nullptr : &it->second;
}

}  // namespace

std::string canonicalId(std::string_view id) {
    std::string out;
    for (char c : id) {
        if (c == ' ' || c == '\t') continue;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (std::string_view prefix : {"jami:", "ring:"}) {
        if (out.starts_with(prefix) && out.size() == prefix.size() + 40) out.erase(0, prefix.size());
    }
    return out;
}

struct ContactBook::PinyinIndex {
    std::once_flag built;
    Index index;
};

ContactBook::ContactBook() : ContactBook(std::vector<Contact>{}) {}

ContactBook::ContactBook(std::vector<Contact> contacts, std::shared_ptr<PinyinKeys> pinyin)
    : contacts_(std::move(contacts)),
      pinyin_(pinyin ? std::move(pinyin) : std::make_shared<PinyinKeys>()),
      pinyin_index_(std::make_shared<PinyinIndex>()) {
    spellings_.reserve(contacts_.size());
    for (std::size_t i = 0; i < contacts_.size(); ++i) {
        const Contact& c = contacts_[i];
        add(by_id_, canonicalId(c.id), i);
        any_han_ = any_han_ || hasHan(c.name) || std::any_of(c.aliases.begin(), c.aliases.end(), [](auto& a) { return hasHan(a); });
        const std::string name = exactKey(c.name);
        add(by_name_, name, i);
        if (auto ws = words(name); ws.size() > 1)
            for (auto& w : ws) add(by_word_, std::move(w), i);
        auto addLoose = [&](std::string loose) {
            if (loose.empty()) return;
            spellings_.push_back({loose, characterSet(loose), i});
            add(by_loose_, std::move(loose), i);
        };
        addLoose(looseKey(c.name));
        for (const auto& alias : c.aliases) {
            add(by_alias_, exactKey(alias), i);
            addLoose(looseKey(alias));
        }
    }
}

const ContactBook::Index& ContactBook::pinyinIndex() const {
    std::call_once(pinyin_index_->built, [this] {
        for (std::size_t i = 0; i < contacts_.size(); ++i) {
            add(pinyin_index_->index, pinyin_->of(contacts_[i].name), i);
            for (const auto& alias : contacts_[i].aliases) add(pinyin_index_->index, pinyin_->of(alias), i);
        }
    });
    return pinyin_index_->index;
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

    auto settle = [&](const std::vector<std::size_t>* hits, const char* how) -> bool {
        if (!hits || hits->empty()) return false;
        r.match = how;
        if (hits->size() == 1) {
            r.kind = Resolution::Kind::Found;
            r.index = hits->front();
        } else {
            r.kind = Resolution::Kind::Ambiguous;
            r.candidates = *hits;
        }
        return true;
    };

    if (settle(find(by_id_, canonicalId(query)), "id")) return r;
    if (settle(find(by_name_, exact), "name")) return r;
    if (settle(find(by_alias_, exact), "alias")) return r;
    if (settle(find(by_loose_, loose), "normalized")) return r;
    // Chinese typed as pinyin, or a homophone typed in Chinese.
    if (!loose.empty() && any_han_) {
        const std::string pinyin = hasHan(query) ? pinyin_->of(query) : loose;
        if (settle(find(pinyinIndex(), pinyin), "pinyin")) return r;
    }
    if (exact.find(' ') == std::string::npos && settle(find(by_word_, exact), "word")) return r;

    // Typos: the smallest edit distance within a bound that grows with length.
    const std::size_t limit = loose.size() <= 4 ? 1 : loose.size() <= 8 ? 2 : 3;
    const std::size_t suggest = limit + 2;
    const std::uint64_t query_set = characterSet(loose);
    std::vector<std::pair<std::size_t, std::size_t>> scored;  // distance, contact
    for (const auto& s : spellings_) {
        if (static_cast<std::size_t>(std::popcount(query_set ^ s.characters)) > 2 * suggest) continue;
        std::size_t d = editDistance(loose, s.loose, suggest);
        if (d <= suggest) scored.emplace_back(d, s.contact);
    }
    // A contact with several spellings counts once, at its closest.
    std::sort(scored.begin(), scored.end(), [](auto& a, auto& b) { return std::pair(a.second, a.first) < std::pair(b.second, b.first); });
    scored.erase(std::unique(scored.begin(), scored.end(), [](auto& a, auto& b) { return a.second == b.second; }),
                 scored.end());
    std::sort(scored.begin(), scored.end());
    if (!scored.empty() && scored.front().first <= limit) {
        std::vector<std::size_t> best;
        for (const auto& [d, i] : scored)
            if (d == scored.front().first) best.push_back(i);
        settle(&best, "similar");
        return r;
    }
    for (const auto& [d, i] : scored) {
        if (r.candidates.size() >= 3) break;
        if (std::find(r.candidates.begin(), r.candidates.end(), i) == r.candidates.end()) r.candidates.push_back(i);
    }
    r.kind = Resolution::Kind::Unknown;
    r.match.clear();
    return r;
}

}  // namespace jskill::config
