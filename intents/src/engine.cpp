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

LanguageFacts::LanguageFacts(const std::vector<TemplateSource>& sources, TemplateFileReader read_file)
    : read_file_(read_file) {
    for (const auto& source : sources)
        if (source.file.ends_with("_language.yaml")) settings_.push_back(source);
}

LanguageFacts::LanguageFacts(Builtin) {
    std::call_once(read_once_, [this] { add(builtinLanguages()); });
}

namespace {

std::string asciiLower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

void LanguageFacts::add(const std::vector<LanguageData>& languages) const {
    for (const auto& data : languages) {
        std::vector<std::string> words;
        for (const auto& p : data.pronouns) words.push_back(normalizeName(p, data.compact));
        std::sort(words.begin(), words.end());
        pronouns_.emplace_back(data.compact, std::move(words));
        hint_examples_.insert(hint_examples_.end(), data.hint_examples.begin(), data.hint_examples.end());
        for (const auto& w : data.list_words) {
            const bool letters = std::any_of(w.begin(), w.end(), [](unsigned char c) { return std::isalpha(c); });
            list_words_.push_back({asciiLower(w), data.compact || !letters});
        }
        for (const auto& w : data.video_words) video_words_.push_back({asciiLower(w), data.compact});
    }
    // Longest first: "as well as" before "as", "以及" before "及".
    std::sort(list_words_.begin(), list_words_.end(),
              [](const ListWord& a, const ListWord& b) { return a.word.size() > b.word.size(); });
}

std::size_t LanguageFacts::listWordAt(std::string_view lower, std::size_t at) const {
    auto space = [](char c) { return c == ' ' || c == '\t'; };
    for (const auto& w : list_words_) {
        if (lower.compare(at, w.word.size(), w.word) != 0) continue;
        const std::size_t end = at + w.word.size();
        if (w.anywhere || ((at == 0 || space(lower[at - 1])) && (end == lower.size() || space(lower[end]))))
            return w.word.size();
    }
    return 0;
}

namespace {

std::string_view trimmed(std::string_view s) {
    const char* blank = " \t\r\n";
    const auto b = s.find_first_not_of(blank);
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(blank) - b + 1);
}

}  // namespace

std::vector<std::string> LanguageFacts::listedNames(std::string_view text) const {
    read();
    const std::string lower = asciiLower(text);
    std::vector<std::string> names;
    std::size_t start = 0;
    for (std::size_t i = 0; i < lower.size();) {
        if (const std::size_t n = listWordAt(lower, i)) {
            if (auto name = trimmed(text.substr(start, i - start)); !name.empty()) names.emplace_back(name);
            i += n;
            start = i;
        } else {
            ++i;
        }
    }
    if (auto name = trimmed(text.substr(start)); !name.empty()) names.emplace_back(name);
    if (names.size() < 2) names.clear();
    return names;
}

std::optional<std::string> LanguageFacts::afterListWord(std::string_view text) const {
    read();
    const std::string_view t = trimmed(text);
    const std::size_t n = listWordAt(asciiLower(t), 0);
    if (n == 0) return std::nullopt;
    return std::string(trimmed(t.substr(n)));
}

bool LanguageFacts::asksForVideo(std::string_view text) const {
    read();
    const std::string lower = asciiLower(text);
    auto letter = [&](std::size_t at) { return std::isalnum(static_cast<unsigned char>(lower[at])) != 0; };
    for (const auto& w : video_words_) {
        for (auto at = lower.find(w.word); at != std::string::npos; at = lower.find(w.word, at + 1)) {
            const std::size_t end = at + w.word.size();
            if (w.anywhere || ((at == 0 || !letter(at - 1)) && (end == lower.size() || !letter(end)))) return true;
        }
    }
    return false;
}

void LanguageFacts::read() const {
    std::call_once(read_once_, [this] {
        std::map<std::string, LanguageData> languages;
        for (const auto& source : settings_) read_file_(source, languages);
        std::vector<LanguageData> all;
        for (auto& [name, data] : languages) all.push_back(std::move(data));
        add(all);
    });
}

bool LanguageFacts::isPronoun(std::string_view text) const {
    read();
    for (const auto& [compact, words] : pronouns_)
        if (std::binary_search(words.begin(), words.end(), normalizeName(text, compact))) return true;
    return false;
}

const std::vector<std::string>& LanguageFacts::hintExamples() const {
    read();
    return hint_examples_;
}

}  // namespace jskill::intents
