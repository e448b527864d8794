#include "contacts/contact_id.hpp"

#include <algorithm>
#include <cctype>

namespace jskill::contacts {
namespace {

bool isHex(std::string_view s) {
    // Not std::isxdigit: a locale-aware libc call per byte is most of the
    // parse time of a 10,000-contact file.
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
               return a == std::tolower(static_cast<unsigned char>(b));
           });
}

}  // namespace

bool isJamiId(std::string_view id) {
    if (id.starts_with("jami:") || id.starts_with("ring:")) id.remove_prefix(5);
    return id.size() == 40 && isHex(id);
}

bool isSipUri(std::string_view id) { return startsWithNoCase(id, "sip:") || startsWithNoCase(id, "sips:"); }

bool isAddress(std::string_view id) { return isJamiId(id) || isSipUri(id); }

bool isValidContactId(std::string_view id) {
    if (isJamiId(id)) return true;
    if (isSipUri(id)) {
        auto rest = id.substr(id.find(':') + 1);
        // Printable ASCII only: a line break or "<!--" in an id would change
        // how the rest of TOOLS.md reads.
        return !rest.empty() && id.size() <= 256 && std::all_of(rest.begin(), rest.end(), [](char c) {
            return c > ' ' && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '`';
        });
    }
    if (id.size() < 3 || id.size() > 32) return false;
    return std::all_of(id.begin(), id.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; });
}

std::string canonicalId(std::string_view id) {
    std::string out;
    for (char c : id)
        if (c != ' ' && c != '\t') out += c;
    auto lower = [](std::string& s, std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to && i < s.size(); ++i)
            s[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    };
    if (isSipUri(out)) {
        const std::size_t colon = out.find(':');
        lower(out, 0, colon);
        const std::size_t end = std::min(out.find_first_of(";?", colon), out.size());
        const std::size_t at = out.rfind('@', end);
        lower(out, at == std::string::npos || at < colon ? colon : at, end);
        return out;
    }
    lower(out, 0, out.size());
    for (std::string_view prefix : {"jami:", "ring:"}) {
        if (out.starts_with(prefix) && out.size() == prefix.size() + 40) out.erase(0, prefix.size());
    }
    return out;
}

std::string peerId(std::string_view from) {
    std::string s(from);
    if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
    for (std::string_view prefix : {"jami:", "ring:"})
        if (s.starts_with(prefix)) s.erase(0, prefix.size());
    for (std::string_view suffix : {"@ring.dht", "@jami.dht"})
        if (s.ends_with(suffix)) s.erase(s.size() - suffix.size());
    // A SIP caller: jamid gives the From header's "user@host" without its
    // scheme; the book writes sip:user@host.
    if (s.find('@') != std::string::npos && !isSipUri(s) && s.find(':') == std::string::npos) s = "sip:" + s;
    return s;
}

}  // namespace jskill::contacts
