// What an action is (skill/action.hpp).
#include "skill/action.hpp"

namespace jskill {

const char* ledgerKind(Limit limit) {
    switch (limit) {
    case Limit::kCall: return "call";
    case Limit::kMessage: return "message";
    case Limit::kNone: break;
    }
    return nullptr;
}

}  // namespace jskill
