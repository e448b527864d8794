// Parts: shared objects of jami-skill loaded on first need, so that what
// few requests use costs nothing to the many that do not (ICU for the
// contact book's non-ASCII names, contacts/unicode/; libqrencode and zlib
// for jamictl's QR code, cli/qr_part/). Each part exports one entry that
// returns its table of functions; this file finds and loads it, the part's
// user checks the table's version.
//
// Where a part is looked for: in each of `dirs` (relative paths), taken
// from the directory of the object that holds `anchor` (the library or
// program that asks), then from the running program's directory. Loading
// costs a dlopen (plus the part's own libraries), once: a part is never
// unloaded, so its table stays valid until the process ends.
// Thread-safe (dlopen is); callers keep the result in a function-local
// static to load once.
#pragma once

#include <functional>
#include <span>
#include <string>

namespace jskill::parts {

struct Loaded {
    void* table = nullptr;  // what the entry returned, accepted by `accept`
    std::string problem;    // why `table` is null
};

// `what` names the part for a person ("jami-skill's Unicode part").
// `table_of` is given the address of the entry: it calls it as the
// function type it is (only the caller knows that type; a call through
// another is undefined, and clang's UBSan stops on it), and returns the
// table if it is of the expected version, else null (a part from another
// build is refused and the next candidate tried).
Loaded load(const std::string& what, const char* file, std::span<const char* const> dirs, const char* entry,
            const void* anchor, const std::function<const void*(void* entry)>& table_of);

}  // namespace jskill::parts
