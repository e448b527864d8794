// Base64 (RFC 4648, the standard alphabet), as hosts put bytes into JSON:
// a host's own audio samples in a request (say_pcm).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jskill {

// The bytes `text` encodes; nullopt for anything but canonical base64
// (a character outside the alphabet, a length not a multiple of four, '='
// anywhere but at the end, or bits left over). No whitespace is skipped.
std::optional<std::string> decodeBase64(std::string_view text);
// `bytes` as canonical base64, padded.
std::string encodeBase64(std::string_view bytes);

}  // namespace jskill
