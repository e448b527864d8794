# Build-time helper: embeds the YAML sentence templates into the library so a
# host needs no data files at run time. File names are kept for load errors.
#   cmake -DROOT=<intents dir> -DOUTPUT=<file.cpp> -DFILES="en/a.yaml;zh/b.yaml" -P embed_templates.cmake
set(body "")
foreach(rel IN LISTS FILES)
  file(READ "${ROOT}/${rel}" content)
  string(FIND "${content}" ")JSKYAML\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${rel} contains the raw-string delimiter")
  endif()
  string(APPEND body "        {\"${rel}\", R\"JSKYAML(${content})JSKYAML\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
"// Generated at build time from intents/*/*.yaml; do not edit.
#include \"intents/yaml.hpp\"

namespace jskill::intents {

const std::vector<TemplateSource>& builtinTemplates() {
    static const std::vector<TemplateSource> sources{
${body}    };
    return sources;
}

}  // namespace jskill::intents
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
