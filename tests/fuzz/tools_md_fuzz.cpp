// libFuzzer: any bytes as TOOLS.md, then the three edits. The parser never
// throws; an edit either refuses (std::invalid_argument) or does exactly what
// it says: read back, the contacts are the old ones plus, minus or renamed
// the one, and the account and policy are unchanged. Any other outcome
// aborts, and becomes a regression test.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "contacts/tools_md.hpp"

using namespace jskill::contacts;

namespace {

bool same(const Contact& a, const Contact& b) { return a.name == b.name && a.aliases == b.aliases && a.id == b.id; }

void expect(bool ok) {
    if (!ok) std::abort();
}

void checkResult(const JamiConfig& before, const std::string& after, const std::vector<Contact>& wanted) {
    const JamiConfig now = parseJamiConfig(after);
    expect(now.account == before.account && now.policy == before.policy && now.contacts.size() == wanted.size());
    for (std::size_t i = 0; i < wanted.size(); ++i) expect(same(now.contacts[i], wanted[i]));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const JamiConfig before = parseJamiConfig(text);
    // The new contact's name comes from the input's first bytes, so the
    // fuzzer also tries odd names.
    Contact fresh;
    fresh.name = size > 0 ? text.substr(0, std::min<std::size_t>(size, 1 + data[0] % 12)) : "Zed";
    fresh.id = "0123456789abcdef0123456789abcdef01234567";
    try {
        const std::string added = withContactAdded(text, fresh);
        std::vector<Contact> wanted = before.contacts;
        Contact trimmed = fresh;
        auto trim = [](std::string s) {
            while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.erase(0, 1);
            while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
            return s;
        };
        trimmed.name = trim(trimmed.name);
        wanted.push_back(trimmed);
        checkResult(before, added, wanted);
    } catch (const std::invalid_argument&) {}
    if (!before.contacts.empty()) {
        const Contact& first = before.contacts.front();
        try {
            const std::string removed = withContactRemoved(text, first.name);
            std::vector<Contact> wanted(before.contacts.begin() + 1, before.contacts.end());
            checkResult(before, removed, wanted);
        } catch (const std::invalid_argument&) {}
        try {
            const std::string renamed = withContactRenamed(text, first.name, "Renamed Person");
            std::vector<Contact> wanted = before.contacts;
            wanted.front().name = "Renamed Person";
            checkResult(before, renamed, wanted);
        } catch (const std::invalid_argument&) {
        } catch (const std::runtime_error&) {
            // the name could not be located on its line: refused, nothing written
        }
    }
    return 0;
}
