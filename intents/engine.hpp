// Natural language -> intent + slots: the door into intents/ for who links
// the engine (the tests, the benchmarks, the engine's part); the plugin
// reaches the same engine through its part (intents/engine_part.hpp). What
// is behind it (intents/src/: load, compile, prefilter, normalize, match) is
// private to the library; templates from YAML come through intents/yaml.hpp.
//
// Sentence templates (intents/<lang>/*.yaml, hassil-like syntax) are compiled
// once into anchored RE2 matchers; recognition never backtracks over contact
// lists: contact names are first located in the utterance by a trie scan
// (ContactIndex) and replaced by marker characters that a {contact} slot
// prefers. See docs/intents.md for the syntax and the ranking rules.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "intents/language_facts.hpp"
#include "intents/types.hpp"

namespace jskill::intents {

class Engine {
public:
    // When a language's templates are compiled: all at construction, or
    // at the first sentence in its script (`script:` of its _language.yaml)
    // and then only those the sentence could match (prefilter.hpp: "call
    // mom" compiles the templates that say "call"), the whole language once
    // it has served a few sentences. BucketsOnly never compiles a language
    // whole: the tests compare it with Now, the benchmark measures it.
    enum class Compile { Now, WhenUsed, BucketsOnly };
    // From template files, each read by `read_file` (the YAML library's
    // reader: intents/yaml.hpp). Throws LoadError naming file:line for
    // malformed templates: from here with Compile::Now (what the tests
    // use), else from recognize().
    Engine(const std::vector<TemplateSource>& sources, Compile when, TemplateFileReader read_file);
    // The built-in languages from the data made at build time: the same
    // templates as intents::builtinTemplates() (intents/yaml.hpp), without
    // parsing their YAML.
    static Engine builtin(Compile when = Compile::WhenUsed);
    ~Engine();
    Engine(Engine&&) noexcept;
    Engine& operator=(Engine&&) noexcept;

    // Best parse of `text`, or nullopt. Thread-safe (the engine is immutable).
    std::optional<Recognition> recognize(std::string_view text, const ContactIndex* contacts = nullptr) const;

    // The languages, in their files' order (en, zh, ...).
    std::vector<std::string> languages() const;
    // Every intent name with at least one template, sorted.
    std::vector<std::string> intentNames() const;
    // One example sentence per intent and language (the first template, for hints).
    std::vector<std::string> examples(const std::string& language) const;
    std::size_t templateCount() const;
    // How many templates have been compiled so far (the benchmark and the
    // tests show what a sentence costs).
    std::size_t compiledTemplateCount() const;

private:
    Engine();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jskill::intents
