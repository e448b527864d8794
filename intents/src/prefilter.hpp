// Step 2b of the pipeline: a language's patterns, split by a literal each
// one requires, so that a sentence compiles and scans only the patterns it
// could match.
//
// Every template names at least one word that any sentence it matches must
// contain ("call" in "(call|ring) {contact} [now]", "打电话" in
// "给{contact}打电话"): its anchor, chosen by the template compiler (one of
// several literals when the template offers alternatives). Templates with the
// same anchor share a bucket, one RE2::Set. For a text, match() finds which
// anchors occur in it (a bigram bitmap, then the literals that start with that
// byte: well under a microsecond for a typed sentence), compiles those
// buckets at their first use and scans only them. "call mom" compiles the
// few templates that say "call", not the two hundred of the language: a
// one-shot command pays for what it says.
//
// The answer is exactly that of one RE2::Set over all patterns: a pattern
// whose required literal is absent from the text cannot match it.
//
// A process that keeps matching (a Gateway host) is better served by that
// one set: a scan of several buckets costs ~0.5 µs more per sentence than
// one scan of the whole. So the set is tiered: after kWholeAfter matches,
// or at compileAll(), the whole set is compiled once (~4 ms for a language
// of 200 templates) and used from then on; a one-shot command never gets
// there.
//
// Thread-safe once finish() returns: sets compile under std::call_once.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

namespace jskill::intents {

// Literals of which every text a pattern matches contains one; empty when
// no such literal is known (the pattern is tried on every text).
using Anchor = std::vector<std::string>;

class PrefilteredSet {
public:
    // whole_after: matches served by buckets before the whole set is
    // compiled (kWholeAfter; kNever: never).
    PrefilteredSet(const RE2::Options& options, unsigned whole_after) : options_(options), whole_after_(whole_after) {}
    PrefilteredSet(const PrefilteredSet&) = delete;
    PrefilteredSet& operator=(const PrefilteredSet&) = delete;

    // Before finish(): `where` names the pattern in a LoadError ("en/calls.yaml:12: ...").
    void add(std::string pattern, Anchor anchor, std::string where);
    // Groups the patterns into buckets and indexes their anchors.
    void finish();

    // Compiles the whole set now (Engine::Compile::Now: a bad pattern fails
    // at load, and no sentence pays for compiling). Throws LoadError.
    void compileAll() const;
    // Appends to *hits the indices (in add() order, ascending) of the patterns
    // that match `text` whole; false when none does. May compile buckets;
    // throws LoadError for a pattern that does not compile.
    bool match(std::string_view text, std::vector<int>* hits) const;

    std::size_t size() const { return patterns_.size(); }
    std::size_t bucketCount() const { return buckets_.size(); }
    // Patterns compiled so far: the work done (one compiled in a bucket and
    // again in the whole set counts twice).
    std::size_t compiledCount() const { return compiled_count_.load(std::memory_order_relaxed); }

    // Some tens of sentences (each costs one to a few matches).
    static constexpr unsigned kWholeAfter = 32;
    static constexpr unsigned kNever = ~0u;

private:
    struct Pattern {
        std::string regex, where;
        Anchor anchor;
    };
    struct Bucket {
        std::vector<int> members;  // pattern indices, ascending
        mutable std::once_flag once;
        mutable std::unique_ptr<RE2::Set> set;
    };
    const RE2::Set& compiled(const Bucket& bucket) const;
    bool matchBuckets(std::string_view text, std::vector<int>* hits) const;

    RE2::Options options_;
    unsigned whole_after_;
    std::vector<Pattern> patterns_;
    mutable std::atomic<std::size_t> compiled_count_{0};
    Bucket whole_;  // every pattern, members 0..n-1
    mutable std::atomic<unsigned> bucket_matches_{0};
    mutable std::atomic<bool> whole_ready_{false};
    std::vector<std::unique_ptr<Bucket>> buckets_;
    std::vector<std::uint32_t> unanchored_;                                        // buckets tried on every text
    std::vector<std::string> literals_;                                            // every anchor literal, once
    std::vector<std::vector<std::uint32_t>> literal_buckets_;                      // literal -> buckets it opens
    std::array<std::vector<std::uint32_t>, 256> by_first_byte_;                    // first byte -> literals
    std::vector<std::uint64_t> bigrams_ = std::vector<std::uint64_t>(65536 / 64);  // first two bytes of some literal
};

}  // namespace jskill::intents
