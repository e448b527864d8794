// Every action's row, gathered once per handle (skill/actions/registry.hpp).
#include "skill/actions/registry.hpp"

namespace jskill {

const char* ledgerKind(Limit limit) {
    switch (limit) {
    case Limit::kCall: return "call";
    case Limit::kMessage: return "message";
    case Limit::kNone: break;
    }
    return nullptr;
}

ActionTable allActions() {
    ActionTable table;
    addAboutActions(table);
    addContactActions(table);
    addAccountActions(table);
    addCallActions(table);
    addMessageActions(table);
    return table;
}

}  // namespace jskill
