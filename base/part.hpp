// Parts: shared objects of jami-skill loaded on first need, so that what
// few requests use costs nothing to the many that do not (ICU for the
// contact book's non-ASCII names, contacts/unicode/; libqrencode and zlib
// for jamictl's QR code, cli/qr_part/; RE2 and the sentence engine,
// intents/part/). Each part exports one entry that returns its table of
// functions, which begins with its version; this file finds and loads it
// and refuses a table of another version.
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
    void* table = nullptr;  // what the entry returned, accepted by `table_of`
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

template <class Table>
struct LoadedTable {
    const Table* table = nullptr;
    std::string problem;  // why `table` is null
};

// What each part's user calls: the entry is `const Table* entry()` and
// `Table` has an `int version`, which must equal `version`.
template <class Table>
LoadedTable<Table> loadTable(const std::string& what, const char* file, std::span<const char* const> dirs,
                             const char* entry, const void* anchor, int version) {
    auto ours = [version](void* symbol) -> const void* {
        const Table* table = reinterpret_cast<const Table* (*)()>(symbol)();
        return table && table->version == version ? table : nullptr;
    };
    const Loaded found = load(what, file, dirs, entry, anchor, ours);
    return {static_cast<const Table*>(found.table), found.problem};
}

}  // namespace jskill::parts
