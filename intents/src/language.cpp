#include "intents/src/language.hpp"

#include <optional>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "intents/src/normalize.hpp"

namespace jskill::intents {
namespace {

std::optional<SlotKind> slotKindFromName(const std::string& kind) {
    if (kind == "contact") return SlotKind::Contact;
    if (kind == "text") return SlotKind::Text;
    if (kind == "number") return SlotKind::Number;
    if (kind == "digits") return SlotKind::Digits;
    if (kind == "id") return SlotKind::Id;
    return std::nullopt;
}

std::string yamlWhere(const std::string& file, const YAML::Node& node) {
    return file + ":" + std::to_string(node.Mark().line + 1);
}

}  // namespace

void loadFile(const TemplateSource& source, std::map<std::string, LanguageData>& languages) {
    YAML::Node root;
    try {
        root = YAML::Load(source.text);
    } catch (const YAML::Exception& e) {
        throw LoadError(source.file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    if (!root.IsMap()) throw LoadError(source.file + ":1: expected a mapping with `language:`");
    auto language_node = root["language"];
    if (!language_node || !language_node.IsScalar()) throw LoadError(source.file + ":1: missing `language:`");
    auto& language = languages[language_node.as<std::string>()];
    language.name = language_node.as<std::string>();
    try {
        if (auto compact = root["compact"]) language.compact = compact.as<bool>();
        if (auto script = root["script"]) {
            const auto name = script.as<std::string>();
            if (name == "latin")
                language.script = Script::Latin;
            else if (name == "han")
                language.script = Script::Han;
            else
                throw LoadError(yamlWhere(source.file, script) + ": unknown script \"" + name + "\" (latin, han)");
        }
        if (auto rules = root["rules"]) {
            for (auto it : rules) language.rules[it.first.as<std::string>()] = it.second.as<std::string>();
        }
        if (auto slots = root["slots"]) {
            for (auto it : slots) {
                auto kind = slotKindFromName(it.second.as<std::string>());
                if (!kind)
                    throw LoadError(yamlWhere(source.file, it.second) + ": unknown slot kind \"" +
                                    it.second.as<std::string>() + "\" (contact, text, number, digits, id)");
                language.slots[it.first.as<std::string>()] = *kind;
            }
        }
        const std::pair<const char*, std::vector<std::string>*> lists[] = {
            {"skip_prefixes", &language.skip_prefixes}, {"skip_suffixes", &language.skip_suffixes},
            {"pronouns", &language.pronouns},           {"list_words", &language.list_words},
            {"video_words", &language.video_words},     {"hint_examples", &language.hint_examples}};
        for (const auto& [key, target] : lists)
            if (auto list = root[key])
                for (auto item : list) target->push_back(item.as<std::string>());
        if (auto numbers = root["numbers"]) {
            for (auto it : numbers["words"]) language.number_words[it.first.as<std::string>()] = it.second.as<int>();
            for (auto it : numbers["multipliers"])
                language.number_multipliers[it.first.as<std::string>()] = it.second.as<int>();
            for (auto item : numbers["articles"]) language.number_articles.push_back(item.as<std::string>());
            for (auto item : numbers["joiners"]) language.number_joiners.push_back(item.as<std::string>());
        }
        for (auto it : root["digit_words"])
            language.digit_words[it.first.as<std::string>()] = it.second.as<std::string>();
        for (auto it : root["samples"]) language.samples[it.first.as<std::string>()] = it.second.as<std::string>();
        if (auto rejects = root["not_commands"]) {
            if (!rejects.IsSequence())
                throw LoadError(yamlWhere(source.file, rejects) + ": `not_commands:` needs a list of sentences");
            for (auto sentence : rejects)
                language.not_commands.push_back(
                    {"", sentence.as<std::string>(), source.file, sentence.Mark().line + 1});
        }
        if (auto intents = root["intents"]) {
            if (!intents.IsMap()) throw LoadError(yamlWhere(source.file, intents) + ": `intents:` must be a mapping");
            for (auto it : intents) {
                auto name = it.first.as<std::string>();
                if (!it.second.IsSequence())
                    throw LoadError(yamlWhere(source.file, it.second) + ": intent " + name +
                                    " needs a list of sentences");
                for (auto sentence : it.second) {
                    language.templates.push_back(
                        {name, sentence.as<std::string>(), source.file, sentence.Mark().line + 1});
                }
            }
        }
    } catch (const YAML::Exception& e) {
        throw LoadError(source.file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}

}  // namespace jskill::intents
