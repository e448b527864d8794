// QR codes (cli/qr.hpp), the QR part (qr_part.hpp says why a part):
// libqrencode makes the modules; the PNG is written here with zlib (one
// grey-scale image needs no image library).
#include "cli/qr_part/qr_part.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include <qrencode.h>
#include <zlib.h>

namespace jamictl::qr {

namespace {

// The modules as rows of booleans (true: dark), or empty.
std::vector<std::vector<bool>> modules(const std::string& text) {
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M),
                                                    QRcode_free);
    std::vector<std::vector<bool>> rows;
    if (!code) return rows;
    const int width = code->width;
    for (int y = 0; y < width; ++y) {
        std::vector<bool> row(static_cast<std::size_t>(width));
        for (int x = 0; x < width; ++x) row[static_cast<std::size_t>(x)] = code->data[y * width + x] & 1;
        rows.push_back(std::move(row));
    }
    return rows;
}

bool darkAt(const std::vector<std::vector<bool>>& rows, int x, int y) {
    const int width = static_cast<int>(rows.size());
    return x >= 0 && y >= 0 && x < width && y < width && rows[static_cast<std::size_t>(y)][static_cast<std::size_t>(x)];
}

void putBigEndian(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

void pngChunk(std::string& out, const char* type, const std::string& data) {
    putBigEndian(out, static_cast<std::uint32_t>(data.size()));
    const std::string typed = std::string(type, 4) + data;
    out += typed;
    putBigEndian(out, static_cast<std::uint32_t>(
                          ::crc32(0, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size()))));
}

std::optional<std::string> qrForTerminal(const std::string& text) {
    const auto rows = modules(text);
    if (rows.empty()) return std::nullopt;
    const int width = static_cast<int>(rows.size()), quiet = 2;
    std::string out;
    for (int y = -quiet; y < width + quiet; y += 2) {
        for (int x = -quiet; x < width + quiet; ++x) {
            const bool top = !darkAt(rows, x, y), bottom = !darkAt(rows, x, y + 1);  // light modules are drawn
            out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
        }
        out += "\n";
    }
    return out;
}

std::string writeQrFile(const std::string& text, const std::string& file_name) {
    const std::filesystem::path file(file_name);
    const auto rows = modules(text);
    if (rows.empty()) return "the text cannot be encoded as a QR code";
    const int width = static_cast<int>(rows.size()), quiet = 4, scale = 8;
    const int side = (width + 2 * quiet) * scale;
    std::string bytes;
    if (file.extension() == ".svg") {
        const std::string n = std::to_string(width + 2 * quiet);
        bytes = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + " " + n + "\" width=\"" +
                std::to_string(side) + "\" height=\"" + std::to_string(side) +
                "\" shape-rendering=\"crispEdges\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n<path "
                "fill=\"#000\" d=\"";
        for (int y = 0; y < width; ++y)
            for (int x = 0; x < width; ++x)
                if (darkAt(rows, x, y))
                    bytes += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
        bytes += "\"/>\n</svg>\n";
    } else {
        std::string raw;  // 8-bit grey scanlines, each after its filter byte (0: none)
        for (int py = 0; py < side; ++py) {
            raw += '\0';
            for (int px = 0; px < side; ++px)
                raw += darkAt(rows, px / scale - quiet, py / scale - quiet) ? '\0' : '\xff';
        }
        uLongf packed_size = ::compressBound(static_cast<uLong>(raw.size()));
        std::string packed(packed_size, '\0');
        if (::compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                        reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()), 9) != Z_OK)
            return "zlib could not compress the image";
        packed.resize(packed_size);
        std::string header;
        putBigEndian(header, static_cast<std::uint32_t>(side));
        putBigEndian(header, static_cast<std::uint32_t>(side));
        header += std::string("\x08\x00\x00\x00\x00", 5);  // depth 8, grey, deflate, no filter set, no interlace
        bytes = "\x89PNG\r\n\x1a\n";
        pngChunk(bytes, "IHDR", header);
        pngChunk(bytes, "IDAT", packed);
        pngChunk(bytes, "IEND", "");
    }
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
    return out.flush() ? "" : "cannot write " + file.string();
}

constexpr Part kPart{kPartVersion, qrForTerminal, writeQrFile};

}  // namespace

}  // namespace jamictl::qr

extern "C" __attribute__((visibility("default"))) const jamictl::qr::Part* jamictl_qr_part() {
    return &jamictl::qr::kPart;
}
