// The only extern "C" code of the library. Every entry point runs its body
// inside guard(), so no exception can cross the ABI: failures become
// {"ok":false,"error":{...}} results.
#include "jami_skill.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/utf8.hpp"
#include "skill/event_types.hpp"
#include "skill/skill.hpp"

struct jami_skill {
    jskill::Skill skill;
};

namespace {

using jskill::Error;
using nlohmann::json;
namespace code = jskill::code;

// A malloc'ed copy the host releases with jami_skill_free_string.
char* duplicate(const std::string& text) noexcept {
    char* out = static_cast<char*>(std::malloc(text.size() + 1));
    if (out) std::memcpy(out, text.c_str(), text.size() + 1);
    return out;
}

// Strings we produce may carry bytes from jamid or from files; never let a
// dump() exception escape for invalid UTF-8 in them.
std::string serialize(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// Requests are small (a message is at most 64 kB): anything bigger, or
// nested deeper, is refused before it is parsed or copied, so no host data
// ever drives a recursion.
constexpr std::size_t kMaxRequestBytes = 1 << 20;
constexpr int kMaxDepth = 32;

// The deepest nesting of arrays and objects, counted outside strings, in one
// pass; stops counting past kMaxDepth.
int nestingDepth(std::string_view text) noexcept {
    int depth = 0, deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size() && deepest <= kMaxDepth; ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

json parseRequest(const char* text, const char* what) {
    const std::size_t size = ::strnlen(text, kMaxRequestBytes + 1);
    if (size > kMaxRequestBytes)
        throw Error(code::kInvalidArgument, std::string(what) + " is larger than 1 MiB", "send a smaller request");
    if (nestingDepth(std::string_view(text, size)) > kMaxDepth)
        throw Error(code::kInvalidArgument, std::string(what) + " is nested deeper than 32 levels",
                    "requests are flat objects: {\"action\":\"call.start\",\"contact\":\"Bob\"}");
    if (!jskill::isValidUtf8(text)) {
        throw Error(code::kInvalidUtf8, std::string(what) + " is not valid UTF-8", "send UTF-8 encoded JSON");
    }
    try {
        return json::parse(text);
    } catch (const json::exception& e) {  // parse errors, and numbers out of range (1e309)
        throw Error(code::kInvalidJson, std::string(what) + " is not valid JSON: " + e.what(),
                    R"(example: {"text":"call Bob"} or {"action":"account.list"})");
    }
}

template <typename F>
json guard(F&& body) noexcept {
    try {
        return body();
    } catch (const Error& e) {
        return e.toJson();
    } catch (const std::bad_alloc&) {
        return jskill::errorResult(code::kInternal, "out of memory");
    } catch (const std::exception& e) {
        return jskill::errorResult(code::kInternal, std::string("internal error: ") + e.what(),
                                   "please report this with the request that caused it");
    } catch (...) {
        return jskill::errorResult(code::kInternal, "internal error",
                                   "please report this with the request that caused it");
    }
}

char* finish(const json& result) noexcept {
    try {
        return duplicate(serialize(result));
    } catch (...) {
        return duplicate(R"({"ok":false,"error":{"code":"internal_error","message":"cannot serialize the result"}})");
    }
}

}  // namespace

extern "C" {

JAMI_SKILL_API uint32_t jami_skill_abi_version(void) { return JAMI_SKILL_ABI_VERSION; }

JAMI_SKILL_API jami_skill* jami_skill_open(const char* options_json, char** error_json) {
    if (error_json) *error_json = nullptr;
    jami_skill* handle = nullptr;
    json error = guard([&]() -> json {
        json options = options_json ? parseRequest(options_json, "options") : json(nullptr);
        auto parsed = jskill::SkillOptions::fromJson(options);
        handle = new jami_skill{jskill::Skill(std::move(parsed))};
        return json{{"ok", true}};
    });
    if (!handle && error_json) *error_json = finish(error);
    return handle;
}

JAMI_SKILL_API char* jami_skill_handle(jami_skill* skill, const char* request_json) {
    return finish(guard([&]() -> json {
        if (!skill) throw Error(code::kInvalidArgument, "skill is NULL", "call jami_skill_open first");
        if (!request_json) throw Error(code::kInvalidArgument, "request is NULL");
        return skill->skill.handle(parseRequest(request_json, "request"));
    }));
}

JAMI_SKILL_API char* jami_skill_next_event(jami_skill* skill, int timeout_ms) {
    // NULL is "no event yet" only; a failure is an event of type "error".
    std::optional<json> event;
    json failure = guard([&]() -> json {
        if (!skill) throw Error(code::kInvalidArgument, "skill is NULL", "call jami_skill_open first");
        event = skill->skill.nextEvent(std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms));
        return json{{"ok", true}};
    });
    if (!failure.value("ok", false)) return finish({{"type", jskill::event::kError}, {"error", failure["error"]}});
    return event ? finish(*event) : nullptr;
}

JAMI_SKILL_API void jami_skill_free_string(char* s) { std::free(s); }

JAMI_SKILL_API void jami_skill_close(jami_skill* skill) {
    try {
        delete skill;
    } catch (...) {}
}

}  // extern "C"
