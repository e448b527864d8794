// libFuzzer: any bytes as a sentence, with and without a contact index. The
// engine must return (no crash, no hang, no exception) for every input; a
// recognition's slots are strings or numbers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "intents/yaml.hpp"

namespace {
const jskill::intents::Engine& engine() {
    static const jskill::intents::Engine e = jskill::intents::engineFromYaml(jskill::intents::builtinTemplates());
    return e;
}
const jskill::intents::LanguageFacts& facts() {
    static const jskill::intents::LanguageFacts f =
        jskill::intents::languageFactsFromYaml(jskill::intents::builtinTemplates());
    return f;
}
const jskill::intents::ContactIndex& contacts() {
    static const jskill::intents::ContactIndex index(
        {{"Mom", "mother", "妈妈"}, {"Bob Smith", "bob"}, {"张三"}, {"李四", "老李"}, {"José María"}});
    return index;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 4096) return 0;  // the skill refuses longer text before the engine
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto* index : {static_cast<const jskill::intents::ContactIndex*>(nullptr), &contacts()}) {
        auto r = engine().recognize(text, index);
        if (!r) continue;
        for (const auto& [slot, value] : r->slots.items())
            if (!value.is_string() && !value.is_number()) std::abort();
        (void)facts().isPronoun(text);
    }
    return 0;
}
