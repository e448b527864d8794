// Data-driven intent tests: tests/intents/<lang>.yaml holds sentence ->
// intent + slots cases. Every intent of the templates must have cases.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include <yaml-cpp/yaml.h>

#include "contacts/contact_book.hpp"
#include "contacts/tools_md.hpp"
#include "intents/yaml.hpp"
#include "support/files.hpp"

namespace {

using namespace jskill;

using test::readFile;

struct Fixture {
    intents::Engine engine = intents::engineFromYaml(intents::builtinTemplates());
    contacts::ContactBook book{contacts::parseJamiConfig(readFile(TEST_DATA_DIR "/contacts.md")).contacts};
    intents::ContactIndex index{book.spellings()};
};

const Fixture& fixture() {
    static const Fixture f;
    return f;
}

std::string scalarText(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Every sentence of every case file, understood or not.
std::vector<std::string> everyCaseSentence() {
    std::vector<std::string> sentences;
    for (const auto& entry : std::filesystem::directory_iterator(TEST_INTENTS_DIR)) {
        if (entry.path().extension() != ".yaml") continue;
        YAML::Node root = YAML::LoadFile(entry.path().string());
        for (auto intent : root["cases"])
            for (auto item : intent.second) sentences.push_back(item.begin()->first.as<std::string>());
        for (auto sentence : root["no_intent"]) sentences.push_back(sentence.as<std::string>());
    }
    return sentences;
}

// The same reading: intent, slots and the template that matched.
void checkSameReadings(const intents::Engine& a, const intents::Engine& b, const intents::ContactIndex& index) {
    for (const auto& sentence : everyCaseSentence()) {
        CAPTURE(sentence);
        auto x = a.recognize(sentence, &index), y = b.recognize(sentence, &index);
        REQUIRE(x.has_value() == y.has_value());
        if (x)
            CHECK((x->intent + x->slots.dump() + x->template_text) == (y->intent + y->slots.dump() + y->template_text));
    }
}

}  // namespace

TEST_CASE("sentence templates: every case of every language") {
    const auto& f = fixture();
    std::set<std::string> covered;
    int cases = 0;
    // Every case file (tests/intents/*.yaml) names its language.
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(TEST_INTENTS_DIR))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        YAML::Node root = YAML::LoadFile(file.string());
        const auto language = root["language"].as<std::string>();
        for (auto intent : root["cases"]) {
            const auto name = intent.first.as<std::string>();
            covered.insert(name);
            for (auto item : intent.second) {
                auto entry = *item.begin();
                const auto sentence = entry.first.as<std::string>();
                ++cases;
                CAPTURE(sentence);
                auto r = f.engine.recognize(sentence, &f.index);
                CHECK_MESSAGE(r.has_value(), "not understood: " << sentence);
                if (!r) continue;
                CHECK_MESSAGE(r->intent == name,
                              sentence << " -> " << r->intent << " via \"" << r->template_text << "\"");
                CHECK(r->language == language);
                std::map<std::string, std::string> got, want;
                for (auto& [k, v] : r->slots.items()) got[k] = scalarText(v);
                for (auto slot : entry.second) want[slot.first.as<std::string>()] = slot.second.as<std::string>();
                CHECK_MESSAGE(got == want, sentence << " -> " << r->slots.dump());
            }
        }
        for (auto sentence : root["no_intent"]) {
            ++cases;
            auto r = f.engine.recognize(sentence.as<std::string>(), &f.index);
            CHECK_MESSAGE(!r.has_value(), sentence.as<std::string>()
                                              << " should not be understood, got " << (r ? r->intent : ""));
        }
    }
    for (const auto& intent : f.engine.intentNames())
        CHECK_MESSAGE(covered.count(intent), "no test cases for " << intent);
    MESSAGE(cases << " cases");
    CHECK(cases >= 300);
}

TEST_CASE("a contact from the book beats free text; the longest name wins") {
    const auto& f = fixture();
    auto r = f.engine.recognize("send bob smith running late", &f.index);
    REQUIRE(r);
    CHECK(r->slots["contact"] == "bob smith");
    REQUIRE(r->contact_matches.size() == 1);
    CHECK(f.book.contacts()[r->contact_matches[0]].name == "Bob Smith");
    auto plain = f.engine.recognize("send bob smith running late", nullptr);
    REQUIRE(plain);
    CHECK(plain->slots["contact"] == "bob");  // without a contact book, no way to know
}

TEST_CASE("template load errors name the file and line") {
    std::vector<intents::TemplateSource> bad{
        {"xx/bad.yaml",
         "language: xx\nslots: {contact: contact}\nintents:\n  call.start:\n    - \"call ({contact}\"\n"}};
    try {
        intents::Engine e = intents::engineFromYaml(bad);
        FAIL("expected a LoadError");
    } catch (const intents::LoadError& e) {
        CHECK(std::string(e.what()).find("xx/bad.yaml:5") != std::string::npos);
    }
    std::vector<intents::TemplateSource> unknown_slot{
        {"yy/u.yaml", "language: yy\nintents:\n  a.b:\n    - \"do {thing}\"\n"}};
    CHECK_THROWS_AS(intents::engineFromYaml(unknown_slot), intents::LoadError);
    std::vector<intents::TemplateSource> bad_yaml{{"zz/y.yaml", "language: zz\nintents: [\n"}};
    CHECK_THROWS_WITH_AS(intents::engineFromYaml(bad_yaml), doctest::Contains("zz/y.yaml:"), intents::LoadError);
}

TEST_CASE("help's example sentences are understood as their intents") {
    const auto& f = fixture();
    for (const auto& language : f.engine.languages()) {
        for (const auto& line : f.engine.examples(language)) {
            const auto colon = line.find(": ");
            const std::string intent = line.substr(0, colon), sentence = line.substr(colon + 2);
            if (sentence.find('<') != std::string::npos) continue;  // "<Jami ID>" is a placeholder
            CAPTURE(sentence);
            auto r = f.engine.recognize(sentence, &f.index);
            REQUIRE_MESSAGE(r.has_value(), "not understood: " << sentence);
            CHECK_MESSAGE(r->intent == intent, sentence << " -> " << r->intent);
        }
    }
}

TEST_CASE("the built-in data made at build time reads every case as the YAML does") {
    const auto& f = fixture();
    const auto builtin = intents::Engine::builtin(intents::Engine::Compile::Now);
    CHECK(builtin.templateCount() == f.engine.templateCount());
    CHECK(builtin.languages() == f.engine.languages());
    checkSameReadings(f.engine, builtin, f.index);
}

TEST_CASE("the prefilter: only the templates whose required word a sentence has, read as the whole language reads") {
    const auto& f = fixture();
    // Buckets only, never the whole set: every case read through the
    // prefilter (a wrong anchor, one a template can match without, shows
    // here as a case read differently).
    const auto buckets = intents::Engine::builtin(intents::Engine::Compile::BucketsOnly);
    checkSameReadings(f.engine, buckets, f.index);

    // What a one-shot sentence compiles: a few templates, not the language.
    const auto fresh = intents::Engine::builtin(intents::Engine::Compile::BucketsOnly);
    CHECK(fresh.compiledTemplateCount() == 0);
    REQUIRE(fresh.recognize("call mom", &f.index));
    const std::size_t after_call = fresh.compiledTemplateCount();
    CHECK(after_call > 0);
    CHECK(after_call * 8 < fresh.templateCount());
    REQUIRE(fresh.recognize("call alice", &f.index));
    CHECK(fresh.compiledTemplateCount() == after_call);  // the same words: nothing more
    REQUIRE(fresh.recognize("hang up"));
    CHECK(fresh.compiledTemplateCount() > after_call);

    // Past a few sentences a long-running host compiles the language whole.
    const auto host = intents::Engine::builtin(intents::Engine::Compile::WhenUsed);
    for (int i = 0; i < 40; ++i) REQUIRE(host.recognize("call mom", &f.index));
    CHECK(host.compiledTemplateCount() > host.templateCount() / 2);
}

TEST_CASE("a keyword typo is read only where exactly one reading exists") {
    // Two keywords one edit from "dat": no guess. One from "bxt": read as "bat".
    std::vector<intents::TemplateSource> sources{
        {"xx/_language.yaml", "language: xx\nscript: latin\nslots: {contact: contact}\n"},
        {"xx/a.yaml", "language: xx\nintents:\n  a.bat: [\"bat {contact}\"]\n  a.cat: [\"cat {contact}\"]\n"}};
    intents::Engine engine = intents::engineFromYaml(sources);
    CHECK_FALSE(engine.recognize("dat bob"));
    auto r = engine.recognize("bxt bob");
    REQUIRE(r);
    CHECK(r->intent == "a.bat");
    CHECK(r->corrected == "bxt -> bat");
    CHECK(r->slots["contact"] == "bob");
    // Only keywords are repaired, never a slot: "bat bxb" stays as said.
    auto kept = engine.recognize("bat bxb");
    REQUIRE(kept);
    CHECK(kept->slots["contact"] == "bxb");
    CHECK(kept->corrected.empty());
}

TEST_CASE("a third language is YAML only") {
    auto sources = intents::builtinTemplates();
    sources.push_back({"de/_language.yaml",
                       "language: de\nscript: latin\nslots: {contact: contact}\nsamples: {contact: Mama}\n"
                       "hint_examples: [\"ruf Mama an\"]\npronouns: [mich, ihn, sie]\n"});
    sources.push_back({"de/calls.yaml", "language: de\nintents:\n  call.start:\n    - \"(ruf|rufe) {contact} an\"\n"});
    intents::Engine engine = intents::engineFromYaml(sources);
    auto r = engine.recognize("ruf Mama an");
    REQUIRE(r);
    CHECK(r->intent == "call.start");
    CHECK(r->language == "de");
    CHECK(r->slots["contact"] == "Mama");
    CHECK(engine.examples("de") == std::vector<std::string>{"call.start: ruf Mama an"});
    const intents::LanguageFacts facts = intents::languageFactsFromYaml(sources);
    CHECK(facts.isPronoun("ihn"));
    CHECK(std::find(facts.hintExamples().begin(), facts.hintExamples().end(), "ruf Mama an") !=
          facts.hintExamples().end());
    CHECK(engine.recognize("call mom")->language == "en");  // the others are unchanged
}

TEST_CASE("bytes that are not UTF-8 never make the engine throw, typo pass included") {
    const auto& f = fixture();
    for (std::string text : {std::string("cal mom\xff"), std::string("sned mom hi\xe4\xbd"),
                             std::string("cal \xff\xfe mom"), std::string("\xe5\x8c cal mom")}) {
        CAPTURE(text);
        CHECK_NOTHROW((void)f.engine.recognize(text, &f.index));
    }
}
