#include "intents/engine.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <mutex>
#include <set>

#include "intents/src/compiler.hpp"
#include "intents/src/examples.hpp"
#include "intents/src/language.hpp"
#include "intents/src/matcher.hpp"
#include "intents/src/normalize.hpp"

namespace jskill::intents {

// One language, in three stages, each done once (std::call_once: two
// threads asking at once do it once; a LoadError leaves it undone and is
// thrown to each asker): its YAML files parsed, its templates turned into
// patterns (their regular expressions compile as sentences need them:
// prefilter.hpp), its example sentences rendered. Until a sentence in its
// script arrives, a language costs a scan of its files for the `script:`
// line.
struct Engine::Impl {
    struct Language {
        std::string directory;                   // "en" of "en/calls.yaml"
        std::vector<TemplateSource> owned;       // a copy: the caller's sources may not outlive the engine
        TemplateFileReader read_file = nullptr;  // how `owned` is parsed (YAML)
        Script script = Script::Any;

        mutable std::once_flag parsed_once, compiled_once, examples_once;
        mutable LanguageData data;
        mutable std::unique_ptr<CompiledLanguage> compiled;
        mutable std::atomic<const CompiledLanguage*> ready{
            nullptr};                               // compiled, once it is (read without the once_flag)
        mutable std::vector<std::string> examples;  // "intent: sentence", one per intent

        bool preparsed = false;  // data came ready (Engine::builtin())
        unsigned whole_after = PrefilteredSet::kWholeAfter;

        const LanguageData& parsed() const {
            if (preparsed) return data;
            std::call_once(parsed_once, [this] {
                std::map<std::string, LanguageData> languages;
                for (const auto& source : owned) read_file(source, languages);
                if (languages.size() != 1)
                    throw LoadError(directory + "/: the files of one directory must declare one `language:`");
                data = std::move(languages.begin()->second);
            });
            return data;
        }
        const CompiledLanguage& get() const {
            std::call_once(compiled_once, [this] {
                // The built-in languages' patterns were made at build time.
                auto patterns = preparsed ? builtinPatterns(data.name) : std::nullopt;
                compiled = std::make_unique<CompiledLanguage>(
                    patterns ? compileLanguage(parsed(), std::move(*patterns), whole_after)
                             : compileLanguage(parsed(), whole_after));
                ready.store(compiled.get(), std::memory_order_release);
            });
            return *compiled;
        }
        // Every regular expression, not only those a sentence needed.
        void compileAll() const {
            get().set->compileAll();
            get().not_commands->compileAll();
        }
        const std::vector<std::string>& exampleSentences() const {
            std::call_once(examples_once, [this] {
                std::set<std::string> seen;
                for (const auto& t : parsed().templates)
                    if (seen.insert(t.intent).second)
                        examples.push_back(t.intent + ": " + renderExample(t.text, parsed()));
            });
            return examples;
        }
    };
    std::vector<std::unique_ptr<Language>> languages;
};

namespace {

// The `script:` line of a language's files, read without parsing them (the
// full parse checks it again).
Script scriptLine(const std::vector<TemplateSource>& sources) {
    for (const auto& source : sources) {
        std::string_view text = source.text;
        for (std::size_t at = 0; at < text.size();) {
            std::size_t end = text.find('\n', at);
            if (end == std::string_view::npos) end = text.size();
            std::string_view line = text.substr(at, end - at);
            if (line.starts_with("script:")) {
                line.remove_prefix(7);
                while (line.starts_with(' ')) line.remove_prefix(1);
                if (line.starts_with("latin")) return Script::Latin;
                if (line.starts_with("han")) return Script::Han;
            }
            at = end + 1;
        }
    }
    return Script::Any;
}

unsigned wholeAfter(Engine::Compile when) {
    return when == Engine::Compile::BucketsOnly ? PrefilteredSet::kNever : PrefilteredSet::kWholeAfter;
}

}  // namespace

Engine::Engine(const std::vector<TemplateSource>& sources, Compile when, TemplateFileReader read_file)
    : impl_(std::make_unique<Impl>()) {
    std::map<std::string, std::vector<TemplateSource>> by_directory;
    for (const auto& source : sources) by_directory[source.file.substr(0, source.file.find('/'))].push_back(source);
    for (auto& [directory, files] : by_directory) {
        auto language = std::make_unique<Impl::Language>();
        language->directory = directory;
        language->script = scriptLine(files);
        language->owned = std::move(files);
        language->read_file = read_file;
        language->whole_after = wholeAfter(when);
        impl_->languages.push_back(std::move(language));
    }
    if (impl_->languages.empty()) throw LoadError("no sentence templates were loaded");
    if (when == Compile::Now) {
        for (const auto& l : impl_->languages) l->compileAll();
        if (templateCount() == 0) throw LoadError("no sentence templates were loaded");
    }
}
Engine::Engine() : impl_(std::make_unique<Impl>()) {}

Engine Engine::builtin(Compile when) {
    Engine engine;
    for (auto& data : builtinLanguages()) {
        auto language = std::make_unique<Impl::Language>();
        language->directory = data.name;
        language->script = data.script;
        language->data = std::move(data);
        language->preparsed = true;
        language->whole_after = wholeAfter(when);
        engine.impl_->languages.push_back(std::move(language));
    }
    if (when == Compile::Now)
        for (const auto& l : engine.impl_->languages) l->compileAll();
    return engine;
}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

std::size_t Engine::templateCount() const {
    std::size_t n = 0;
    for (const auto& l : impl_->languages) n += l->parsed().templates.size();
    return n;
}

std::size_t Engine::compiledTemplateCount() const {
    std::size_t n = 0;
    for (const auto& l : impl_->languages)
        if (const CompiledLanguage* c = l->ready.load(std::memory_order_acquire)) n += c->set->compiledCount();
    return n;
}

std::vector<std::string> Engine::intentNames() const {
    std::set<std::string> names;
    for (const auto& l : impl_->languages)
        for (const auto& t : l->parsed().templates) names.insert(t.intent);
    return {names.begin(), names.end()};
}

std::vector<std::string> Engine::languages() const {
    std::vector<std::string> names;
    for (const auto& l : impl_->languages)
        if (!l->parsed().templates.empty()) names.push_back(l->parsed().name);
    return names;
}

std::vector<std::string> Engine::examples(const std::string& language) const {
    for (const auto& l : impl_->languages)
        if (l->parsed().name == language) return l->exampleSentences();
    return {};
}

std::optional<Recognition> Engine::recognize(std::string_view source, const ContactIndex* contacts) const {
    // Only the languages whose script the sentence uses: "call mom" never
    // compiles or scans the Chinese templates, "给妈妈打电话" the English.
    std::vector<const CompiledLanguage*> languages;
    for (const auto& l : impl_->languages)
        if (usesScript(source, l->script) && !l->parsed().templates.empty()) languages.push_back(&l->get());
    return recognizeIn(languages, source, contacts);
}

}  // namespace jskill::intents
