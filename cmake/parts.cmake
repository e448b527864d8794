# jskill_part(TARGET FILE_NAME VERSION_SCRIPT source...): a part, a shared
# object loaded on first need (base/part.hpp), named lib<FILE_NAME>.so. It
# exports only what VERSION_SCRIPT lists (its one entry), keeps its own
# libraries to itself, and lives in lib/jami-skill/ of the build tree and
# <libdir>/jami-skill/ once installed, where its loader looks for it.
function(jskill_part target file_name version_script)
  add_library(${target} MODULE ${ARGN})
  target_link_options(${target} PRIVATE "LINKER:--version-script=${version_script}")
  if(NOT JAMI_SKILL_FUZZ)  # clang links the sanitizer runtime into executables only
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${file_name}
    PREFIX lib
    LINK_DEPENDS "${version_script}"
    LIBRARY_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/lib/jami-skill")
  install(TARGETS ${target} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/jami-skill)
endfunction()
