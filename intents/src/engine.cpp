#include "intents/src/engine.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "intents/src/compiler.hpp"
#include "intents/src/language.hpp"
#include "intents/src/matcher.hpp"
#include "intents/src/normalize.hpp"

namespace jskill::intents {

struct Engine::Impl {
    std::vector<CompiledLanguage> languages;
};

Engine::Engine(const std::vector<TemplateSource>& sources) : impl_(std::make_unique<Impl>()) {
    std::map<std::string, LanguageData> languages;
    for (const auto& source : sources) loadFile(source, languages);
    for (const auto& [name, data] : languages) {
        if (data.templates.empty()) continue;
        impl_->languages.push_back(compileLanguage(data));
    }
    if (impl_->languages.empty()) throw LoadError("no sentence templates were loaded");
}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

std::size_t Engine::templateCount() const {
    std::size_t n = 0;
    for (const auto& l : impl_->languages) n += l.templates.size();
    return n;
}

std::vector<std::string> Engine::intentNames() const {
    std::set<std::string> names;
    for (const auto& l : impl_->languages)
        for (const auto& t : l.templates) names.insert(t.intent);
    return {names.begin(), names.end()};
}

Pronouns::Pronouns(const std::vector<TemplateSource>& sources) {
    std::map<std::string, LanguageData> languages;
    for (const auto& source : sources)
        if (source.file.ends_with("_language.yaml")) loadFile(source, languages);
    for (const auto& [name, data] : languages) {
        std::vector<std::string> words;
        for (const auto& p : data.pronouns) words.push_back(normalizeName(p, data.compact));
        std::sort(words.begin(), words.end());
        languages_.emplace_back(data.compact, std::move(words));
    }
}

bool Pronouns::contains(std::string_view text) const {
    for (const auto& [compact, words] : languages_)
        if (std::binary_search(words.begin(), words.end(), normalizeName(text, compact))) return true;
    return false;
}

bool Engine::isPronoun(std::string_view text) const {
    for (const auto& l : impl_->languages)
        if (l.pronouns.count(normalizeName(text, l.compact))) return true;
    return false;
}

std::vector<std::string> Engine::examples(const std::string& language) const {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& l : impl_->languages) {
        if (l.name != language) continue;
        for (const auto& t : l.templates)
            if (seen.insert(t.intent).second) out.push_back(t.intent + ": " + t.example);
    }
    return out;
}

std::optional<Recognition> Engine::recognize(std::string_view source, const ContactIndex* contacts) const {
    std::vector<const CompiledLanguage*> languages;
    for (const auto& l : impl_->languages) languages.push_back(&l);
    return recognizeIn(languages, source, contacts);
}

}  // namespace jskill::intents
