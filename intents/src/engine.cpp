#include "intents/src/engine.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "intents/src/compiler.hpp"
#include "intents/src/examples.hpp"
#include "intents/src/language.hpp"
#include "intents/src/matcher.hpp"
#include "intents/src/normalize.hpp"

namespace jskill::intents {
namespace {

std::map<std::string, LanguageData> loadAll(const std::vector<TemplateSource>& sources, bool settings_only) {
    std::map<std::string, LanguageData> languages;
    for (const auto& source : sources)
        if (!settings_only || source.file.ends_with("_language.yaml")) loadFile(source, languages);
    return languages;
}

}  // namespace

// One language: its data from the start, its compiled form from the first
// sentence written in its script (std::call_once: two threads asking at
// once compile it once; a LoadError leaves it uncompiled and is thrown).
struct Engine::Impl {
    struct Language {
        LanguageData data;
        std::vector<std::string> examples;  // "intent: sentence", one per intent
        mutable std::once_flag once;
        mutable std::unique_ptr<CompiledLanguage> compiled;
        const CompiledLanguage& get() const {
            std::call_once(once, [this] { compiled = std::make_unique<CompiledLanguage>(compileLanguage(data)); });
            return *compiled;
        }
    };
    std::vector<std::unique_ptr<Language>> languages;
};

Engine::Engine(const std::vector<TemplateSource>& sources, Compile when) : impl_(std::make_unique<Impl>()) {
    for (auto& [name, data] : loadAll(sources, false)) {
        if (data.templates.empty()) continue;
        auto language = std::make_unique<Impl::Language>();
        std::set<std::string> seen;
        for (const auto& t : data.templates)
            if (seen.insert(t.intent).second) language->examples.push_back(t.intent + ": " + renderExample(t.text, data));
        language->data = std::move(data);
        impl_->languages.push_back(std::move(language));
    }
    if (impl_->languages.empty()) throw LoadError("no sentence templates were loaded");
    if (when == Compile::Now)
        for (const auto& l : impl_->languages) l->get();
}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

std::size_t Engine::templateCount() const {
    std::size_t n = 0;
    for (const auto& l : impl_->languages) n += l->data.templates.size();
    return n;
}

std::vector<std::string> Engine::intentNames() const {
    std::set<std::string> names;
    for (const auto& l : impl_->languages)
        for (const auto& t : l->data.templates) names.insert(t.intent);
    return {names.begin(), names.end()};
}

std::vector<std::string> Engine::languages() const {
    std::vector<std::string> names;
    for (const auto& l : impl_->languages) names.push_back(l->data.name);
    return names;
}

std::vector<std::string> Engine::examples(const std::string& language) const {
    for (const auto& l : impl_->languages)
        if (l->data.name == language) return l->examples;
    return {};
}

std::optional<Recognition> Engine::recognize(std::string_view source, const ContactIndex* contacts) const {
    // Only the languages whose script the sentence uses: "call mom" never
    // compiles or scans the Chinese templates, "给妈妈打电话" the English.
    std::vector<const CompiledLanguage*> languages;
    for (const auto& l : impl_->languages)
        if (usesScript(source, l->data.script)) languages.push_back(&l->get());
    return recognizeIn(languages, source, contacts);
}

LanguageFacts::LanguageFacts(const std::vector<TemplateSource>& sources) {
    for (const auto& [name, data] : loadAll(sources, true)) {
        std::vector<std::string> words;
        for (const auto& p : data.pronouns) words.push_back(normalizeName(p, data.compact));
        std::sort(words.begin(), words.end());
        pronouns_.emplace_back(data.compact, std::move(words));
        hint_examples_.insert(hint_examples_.end(), data.hint_examples.begin(), data.hint_examples.end());
    }
}

bool LanguageFacts::isPronoun(std::string_view text) const {
    for (const auto& [compact, words] : pronouns_)
        if (std::binary_search(words.begin(), words.end(), normalizeName(text, compact))) return true;
    return false;
}

}  // namespace jskill::intents
