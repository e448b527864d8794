// The one owner of what a contact id is. Forms accepted:
//   40-hex Jami ID       5904a1e8...           (any case; "jami:"/"ring:" prefix)
//   Jami username        alice_w               (3-32 of [A-Za-z0-9_-])
//   SIP URI              sip:bob@host[:port][;params], sips:...
// and, from jamid, the same wrapped: "<sip:bob@host>", "<hash>@ring.dht".
// One canonical form compares them: Jami IDs and usernames lower-case
// without prefix; SIP URIs with scheme and host lower-case and the user part
// exact (RFC 3261 19.1.4). TOOLS.md validation, resolution, the policy, the
// call tracker and events all use these functions.
#pragma once

#include <string>
#include <string_view>

namespace jskill::contacts {

// A 40-hex Jami ID, with or without a jami:/ring: prefix.
bool isJamiId(std::string_view id);
// A sip: or sips: URI (scheme in any case).
bool isSipUri(std::string_view id);
// A Jami ID or a SIP URI: an address that needs no contact name.
bool isAddress(std::string_view id);
// What TOOLS.md may hold: a Jami ID, a Jami username, or a SIP URI of
// printable ASCII without spaces, quotes or angle brackets (at most 256 bytes).
bool isValidContactId(std::string_view id);
// The form two ids are compared in (see above).
std::string canonicalId(std::string_view id);
// jamid's spelling of a peer ("<sip:x@h>", "jami:<hash>", "<hash>@ring.dht")
// reduced to the id TOOLS.md would hold.
std::string peerId(std::string_view from);

}  // namespace jskill::contacts
