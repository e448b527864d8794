// Every action's row, gathered once per handle (skill/actions/registry.hpp).
#include "skill/actions/registry.hpp"

namespace jskill {

ActionTable allActions() {
    ActionTable table;
    addAboutActions(table);
    addContactActions(table);
    addAccountActions(table);
    addCallActions(table);
    addMessageActions(table);
    addVoicemailActions(table);
    return table;
}

}  // namespace jskill
