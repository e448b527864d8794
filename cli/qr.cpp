// QR codes (cli/qr.hpp) through the QR part (cli/qr_part/qr_part.hpp),
// loaded by the first code asked for: every other jamictl run maps neither
// libqrencode nor zlib.
#include "cli/qr.hpp"

#include "base/part.hpp"
#include "cli/qr_part/qr_part.hpp"

namespace jamictl {
namespace {

struct LoadedPart {
    const qr::Part* part = nullptr;
    std::string problem;  // why `part` is null
};

const LoadedPart& qrPart() {
    static const LoadedPart loaded = [] {
        // jamictl's own lib directories (JAMICTL_PLUGIN_DIRS), each with the
        // parts' folder.
        static const char* const dirs[] = {"../lib/jami-skill", JAMICTL_PARTS_DIR};
        auto ours = [](void* entry) -> const void* {
            const qr::Part* part = reinterpret_cast<jamictl_qr_part_fn>(entry)();
            return part && part->version == qr::kPartVersion ? part : nullptr;
        };
        const auto found = jskill::parts::load("jamictl's QR part", qr::kPartFile, dirs, qr::kEntry,
                                               reinterpret_cast<const void*>(&qrForTerminal), ours);
        return LoadedPart{static_cast<const qr::Part*>(found.table), found.problem};
    }();
    return loaded;
}

}  // namespace

std::optional<std::string> qrForTerminal(const std::string& text) {
    const auto& loaded = qrPart();
    return loaded.part ? loaded.part->for_terminal(text) : std::nullopt;
}

std::string writeQrFile(const std::string& text, const std::filesystem::path& file) {
    const auto& loaded = qrPart();
    return loaded.part ? loaded.part->write_file(text, file.string()) : loaded.problem;
}

std::string qrProblem() { return qrPart().problem; }

}  // namespace jamictl
