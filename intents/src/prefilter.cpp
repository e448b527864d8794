#include "intents/src/prefilter.hpp"

#include <algorithm>
#include <map>

#include "intents/types.hpp"

namespace jskill::intents {

void PrefilteredSet::add(std::string pattern, Anchor anchor, std::string where) {
    std::sort(anchor.begin(), anchor.end());
    anchor.erase(std::unique(anchor.begin(), anchor.end()), anchor.end());
    // The bigram index needs two bytes; a one-byte literal says too little anyway.
    if (std::any_of(anchor.begin(), anchor.end(), [](const std::string& l) { return l.size() < 2; })) anchor.clear();
    patterns_.push_back({std::move(pattern), std::move(where), std::move(anchor)});
}

void PrefilteredSet::finish() {
    std::map<Anchor, std::uint32_t> bucket_of;
    std::map<std::string, std::uint32_t> literal_of;
    for (std::size_t i = 0; i < patterns_.size(); ++i) {
        const Anchor& anchor = patterns_[i].anchor;
        auto [at, fresh] = bucket_of.try_emplace(anchor, static_cast<std::uint32_t>(buckets_.size()));
        if (fresh) {
            buckets_.push_back(std::make_unique<Bucket>());
            if (anchor.empty()) unanchored_.push_back(at->second);
            for (const auto& literal : anchor) {
                auto [l, new_literal] = literal_of.try_emplace(literal, static_cast<std::uint32_t>(literals_.size()));
                if (new_literal) {
                    literals_.push_back(literal);
                    literal_buckets_.emplace_back();
                    const auto b0 = static_cast<unsigned char>(literal[0]), b1 = static_cast<unsigned char>(literal[1]);
                    by_first_byte_[b0].push_back(l->second);
                    const unsigned bigram = b0 << 8 | b1;
                    bigrams_[bigram / 64] |= std::uint64_t{1} << (bigram % 64);
                }
                literal_buckets_[l->second].push_back(at->second);
            }
        }
        buckets_[at->second]->members.push_back(static_cast<int>(i));
        whole_.members.push_back(static_cast<int>(i));
    }
}

const RE2::Set& PrefilteredSet::compiled(const Bucket& bucket) const {
    std::call_once(bucket.once, [&] {
        auto set = std::make_unique<RE2::Set>(options_, RE2::ANCHOR_BOTH);
        for (int index : bucket.members) {
            const Pattern& p = patterns_[static_cast<std::size_t>(index)];
            std::string error;
            if (set->Add(p.regex, &error) < 0) throw LoadError(p.where + ": compiles to an invalid pattern: " + error);
        }
        if (!set->Compile())
            throw LoadError(patterns_[static_cast<std::size_t>(bucket.members.front())].where +
                            ": the patterns are too large to compile together");
        bucket.set = std::move(set);
        compiled_count_.fetch_add(bucket.members.size(), std::memory_order_relaxed);
    });
    return *bucket.set;
}

void PrefilteredSet::compileAll() const {
    if (whole_.members.empty()) return;
    compiled(whole_);
    whole_ready_.store(true, std::memory_order_release);
}

bool PrefilteredSet::match(std::string_view text, std::vector<int>* hits) const {
    if (patterns_.empty()) return false;
    if (!whole_ready_.load(std::memory_order_acquire) &&
        (whole_after_ == kNever || bucket_matches_.fetch_add(1, std::memory_order_relaxed) < whole_after_))
        return matchBuckets(text, hits);
    compileAll();            // once; later calls find it done
    std::vector<int> found;  // RE2::Set::Match clears its vector and does not sort it
    if (!whole_.set->Match(re2::StringPiece(text.data(), text.size()), &found)) return false;
    std::sort(found.begin(), found.end());
    hits->insert(hits->end(), found.begin(), found.end());
    return true;
}

bool PrefilteredSet::matchBuckets(std::string_view text, std::vector<int>* hits) const {
    std::vector<bool> open(buckets_.size());
    for (std::uint32_t b : unanchored_) open[b] = true;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(text[i]), b1 = static_cast<unsigned char>(text[i + 1]);
        const unsigned bigram = b0 << 8 | b1;
        if (!(bigrams_[bigram / 64] >> (bigram % 64) & 1)) continue;
        for (std::uint32_t l : by_first_byte_[b0]) {
            const std::string& literal = literals_[l];
            if (static_cast<unsigned char>(literal[1]) == b1 && text.compare(i, literal.size(), literal) == 0)
                for (std::uint32_t b : literal_buckets_[l]) open[b] = true;
        }
    }
    const std::size_t before = hits->size();
    std::vector<int> local;
    const re2::StringPiece piece(text.data(), text.size());
    for (std::size_t b = 0; b < buckets_.size(); ++b) {
        if (!open[b]) continue;
        local.clear();
        if (!compiled(*buckets_[b]).Match(piece, &local)) continue;
        for (int k : local) hits->push_back(buckets_[b]->members[static_cast<std::size_t>(k)]);
    }
    std::sort(hits->begin() + static_cast<long>(before), hits->end());
    return hits->size() > before;
}

}  // namespace jskill::intents
