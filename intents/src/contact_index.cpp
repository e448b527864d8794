// The contact prefilter (ContactIndex in engine.hpp): names located in the
// normalized sentence by one trie walk, so recognition does not grow with
// the number of contacts.
#include <algorithm>
#include <cstdint>

#include "intents/src/normalize.hpp"
#include "intents/types.hpp"

namespace jskill::intents {

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
        return it != last && *it == c
                   ? static_cast<std::int64_t>(edge_targets[static_cast<std::size_t>(it - edge_bytes.begin())])
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

}  // namespace jskill::intents
