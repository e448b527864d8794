#include "config/contact_book.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

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

std::vector<std::string> words(std::string_view folded) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < folded.size()) {
        auto end = folded.find(' ', start);
        if (end == std::string_view::npos) end = folded.size();
        if (end > start) out.emplace_back(folded.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace

std::string foldName(std::string_view name) {
    std::string out;
    bool space = false;
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (u == ' ' || u == '\t' || u == '\r' || u == '\n') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += static_cast<char>(std::tolower(u));
    }
    return out;
}

std::string squeezeName(std::string_view name) {
    std::string out;
    for (char c : foldName(name)) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x80 && !std::isalnum(u)) continue;
        out += c;
    }
    return out;
}

std::string canonicalId(std::string_view id) {
    std::string out = foldName(id);
    for (std::string_view prefix : {"jami:", "ring:"}) {
        if (out.starts_with(prefix) && out.size() == prefix.size() + 40) out.erase(0, prefix.size());
    }
    return out;
}

ContactBook::ContactBook(std::vector<Contact> contacts) : contacts_(std::move(contacts)) {}

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
    const std::string folded = foldName(query);
    const std::string squeezed = squeezeName(query);
    if (folded.empty()) return r;

    auto settle = [&](std::vector<std::size_t> hits, const char* how) -> bool {
        std::sort(hits.begin(), hits.end());
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

    std::vector<std::size_t> hits;
    const std::string id = canonicalId(query);
    for (std::size_t i = 0; i < contacts_.size(); ++i)
        if (canonicalId(contacts_[i].id) == id) hits.push_back(i);
    if (settle(hits, "id")) return r;

    for (std::size_t i = 0; i < contacts_.size(); ++i)
        if (foldName(contacts_[i].name) == folded) hits.push_back(i);
    if (settle(hits, "name")) return r;

    for (std::size_t i = 0; i < contacts_.size(); ++i)
        for (const auto& alias : contacts_[i].aliases)
            if (foldName(alias) == folded) hits.push_back(i);
    if (settle(hits, "alias")) return r;

    for (std::size_t i = 0; i < contacts_.size(); ++i) {
        if (squeezeName(contacts_[i].name) == squeezed) hits.push_back(i);
        for (const auto& alias : contacts_[i].aliases)
            if (squeezeName(alias) == squeezed) hits.push_back(i);
    }
    if (!squeezed.empty() && settle(hits, "normalized")) return r;

    // One word of a longer name: "bob" for "Bob Smith". Unique -> found;
    // shared by several contacts -> ambiguous.
    if (folded.find(' ') == std::string::npos) {
        for (std::size_t i = 0; i < contacts_.size(); ++i) {
            auto ws = words(foldName(contacts_[i].name));
            if (ws.size() > 1 && std::find(ws.begin(), ws.end(), folded) != ws.end()) hits.push_back(i);
        }
        if (settle(hits, "word")) return r;
    }

    // Typos: the smallest edit distance within a bound that grows with length.
    const std::size_t limit = squeezed.size() <= 4 ? 1 : squeezed.size() <= 8 ? 2 : 3;
    std::size_t best = std::numeric_limits<std::size_t>::max();
    std::vector<std::pair<std::size_t, std::size_t>> scored;  // distance, contact
    for (std::size_t i = 0; i < contacts_.size(); ++i) {
        std::size_t d = editDistance(squeezed, squeezeName(contacts_[i].name), limit + 2);
        for (const auto& alias : contacts_[i].aliases) d = std::min(d, editDistance(squeezed, squeezeName(alias), limit + 2));
        scored.emplace_back(d, i);
        best = std::min(best, d);
    }
    if (best <= limit) {
        for (const auto& [d, i] : scored)
            if (d == best) hits.push_back(i);
        settle(hits, "similar");
        if (r.kind == Resolution::Kind::Found) return r;
        if (r.kind == Resolution::Kind::Ambiguous) return r;
    }
    std::sort(scored.begin(), scored.end());
    for (const auto& [d, i] : scored) {
        if (d > limit + 2 || r.candidates.size() >= 3) break;
        r.candidates.push_back(i);
    }
    r.kind = Resolution::Kind::Unknown;
    r.match.clear();
    return r;
}

}  // namespace jskill::config
