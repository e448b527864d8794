// QR codes (cli/qr.hpp) through the QR part (cli/qr_part/qr_part.hpp),
// loaded by the first code asked for: every other jamictl run maps neither
// libqrencode nor zlib.
#include "cli/qr.hpp"

#include "base/part.hpp"
#include "cli/qr_part/qr_part.hpp"

namespace jamictl {
namespace {

const jskill::parts::LoadedTable<qr::Part>& qrPart() {
    // jamictl's own lib directories (JAMICTL_PLUGIN_DIRS), each with the
    // parts' folder.
    static const char* const dirs[] = {"../lib/jami-skill", JAMICTL_PARTS_DIR};
    static const auto loaded =
        jskill::parts::loadTable<qr::Part>("jamictl's QR part", qr::kPartFile, dirs, qr::kEntry,
                                           reinterpret_cast<const void*>(&qrForTerminal), qr::kPartVersion);
    return loaded;
}

}  // namespace

std::optional<std::string> qrForTerminal(const std::string& text) {
    const auto& loaded = qrPart();
    return loaded.table ? loaded.table->for_terminal(text) : std::nullopt;
}

std::string writeQrFile(const std::string& text, const std::filesystem::path& file) {
    const auto& loaded = qrPart();
    return loaded.table ? loaded.table->write_file(text, file.string()) : loaded.problem;
}

std::string qrProblem() { return qrPart().problem; }

}  // namespace jamictl
