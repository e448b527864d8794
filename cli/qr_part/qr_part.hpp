// The QR part of jamictl: libqrencode (the modules) and zlib (the PNG
// file) behind one shared object of their own, which cli/qr.cpp loads the
// first time a QR code is asked for (`jamictl setup`).
//
// Why a part apart: the two libraries cost every jamictl run their load
// (mapping, relocation, ~3% of a one-shot `account list`, measured by
// bench/jamid_bench.sh) and only setup draws a code. Only this header is
// shared between the two sides; both are built from one tree with one
// compiler, so the table may speak C++ (std::string) across the boundary.
//
// Ownership: the table is static data of the part, valid until the process
// ends (the part is never unloaded). Threads: every entry is thread-safe.
#pragma once

#include <optional>
#include <string>

namespace jamictl::qr {

// Raised whenever an entry is added, removed or changes meaning: a part of
// another version is refused rather than called wrongly.
inline constexpr int kPartVersion = 1;

// Where the part is, from jamictl's directory: lib/jami-skill/ of the build
// tree, or <libdir>/jami-skill/ once installed (JAMICTL_PARTS_DIR, set by
// cli/CMakeLists.txt).
inline constexpr const char* kPartFile = "libjamictl-qr.so";
// The part's only exported symbol: extern "C" const Part* jamictl_qr_part(),
// called by parts::loadTable.
inline constexpr const char* kEntry = "jamictl_qr_part";

struct Part {
    int version;
    // cli/qr.hpp's qrForTerminal and writeQrFile (the file's name as a string).
    std::optional<std::string> (*for_terminal)(const std::string& text);
    std::string (*write_file)(const std::string& text, const std::string& file);
};

}  // namespace jamictl::qr
