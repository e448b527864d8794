// The assistant's Jami ID as a QR code (libqrencode), for the Jami app's
// "scan a QR code" on a phone: in a terminal, and as an SVG or PNG file.
// The code is drawn by the QR part (qr_part/qr_part.hpp), loaded by the
// first call here; without it there is no code, and qrProblem says why.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace jamictl {

// Two modules per character (upper and lower half blocks) with a quiet zone
// of 2: light modules are printed, dark ones are blank, as on a terminal
// with a dark background. nullopt when the text cannot be encoded.
std::optional<std::string> qrForTerminal(const std::string& text);

// An SVG (file name ending .svg) or PNG (any other name) of the code, 8
// pixels per module, dark on white with a quiet zone of 4. Returns "" on
// success, else why not.
std::string writeQrFile(const std::string& text, const std::filesystem::path& file);

// Why no code can be drawn (the QR part is missing or from another
// version), or "".
std::string qrProblem();

}  // namespace jamictl
