# jskill_headers(TARGET PUBLIC|PRIVATE header...): the headers TARGET offers
# (PUBLIC), or keeps to itself (PRIVATE), and only those, under an include
# root of its own in the build tree (include/<target>[.private]/<path from the
# repo root>, one symlink per header).
# Code includes "contacts/contact_book.hpp" as before, but finds it only when it
# links the library that owns it: an include across the layering (contacts/
# reaching into skill/, the skill facade reaching into jamid's sdbus-c++
# helpers) fails to compile instead of holding by convention.
function(jskill_headers target scope)
  set(root "${PROJECT_BINARY_DIR}/include/${target}")
  if(scope STREQUAL "PRIVATE")
    string(APPEND root ".private")  # not on the include path of who links it
  endif()
  foreach(header IN LISTS ARGN)
    set(source "${CMAKE_CURRENT_SOURCE_DIR}/${header}")
    if(NOT EXISTS "${source}")
      message(FATAL_ERROR "jskill_headers(${target}): no ${source}")
    endif()
    file(RELATIVE_PATH path "${PROJECT_SOURCE_DIR}" "${source}")
    get_filename_component(dir "${root}/${path}" DIRECTORY)
    file(MAKE_DIRECTORY "${dir}")
    file(CREATE_LINK "${source}" "${root}/${path}" SYMBOLIC)
  endforeach()
  target_include_directories(${target} ${scope} "${root}")
endfunction()
