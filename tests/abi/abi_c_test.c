/* The C ABI from a C11 translation unit: the header compiles as C, and the
 * contract holds for NULLs, bad JSON, invalid UTF-8 and the dry-run path. */
#include "jami_skill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0, checks = 0;

static void check(int condition, const char* what, const char* detail) {
    ++checks;
    if (!condition) {
        ++failures;
        fprintf(stderr, "FAILED: %s%s%s\n", what, detail ? " -- got: " : "", detail ? detail : "");
    }
}

static void expect_error(jami_skill* skill, const char* request, const char* code) {
    char* result = jami_skill_handle(skill, request);
    char needle[128];
    snprintf(needle, sizeof needle, "\"code\":\"%s\"", code);
    check(result != NULL && strstr(result, "\"ok\":false") && strstr(result, needle), code, result);
    jami_skill_free_string(result);
}

int main(void) {
    check(jami_skill_abi_version() == JAMI_SKILL_ABI_VERSION, "abi version", NULL);

    char* error = NULL;
    check(jami_skill_open("{not json", &error) == NULL, "open rejects bad options", NULL);
    check(error && strstr(error, "\"invalid_json\""), "open reports invalid_json", error);
    jami_skill_free_string(error);
    error = NULL;
    check(jami_skill_open("{\"dry_run\":\"yes\"}", &error) == NULL, "open rejects a non-bool dry_run", NULL);
    check(error && strstr(error, "\"invalid_argument\""), "open reports invalid_argument", error);
    jami_skill_free_string(error);
    check(jami_skill_open("[1,2]", NULL) == NULL, "open with NULL error_json", NULL);

    /* NULL handles and strings are answered, never crash. */
    char* result = jami_skill_handle(NULL, "{\"action\":\"help\"}");
    check(result && strstr(result, "\"invalid_argument\""), "handle(NULL skill)", result);
    jami_skill_free_string(result);
    result = jami_skill_next_event(NULL, 0); /* a failure is an event, never NULL (NULL: no event yet) */
    check(result && strstr(result, "\"type\":\"error\"") && strstr(result, "invalid_argument"), "next_event(NULL)",
          result);
    jami_skill_free_string(result);
    jami_skill_free_string(NULL);
    jami_skill_close(NULL);

    error = NULL;
    jami_skill* skill = jami_skill_open("{\"dry_run\":true,\"tools_md\":\"" TEST_TOOLS_MD "\"}", &error);
    check(skill != NULL && error == NULL, "open dry-run", error);
    if (!skill) return 1;

    expect_error(skill, NULL, "invalid_argument");
    expect_error(skill, "{\"text\": ", "invalid_json");
    expect_error(skill, "{\"text\":\"call \xff\xfe\"}", "invalid_utf8");
    expect_error(skill, "{\"text\":\"\xed\xa0\x80\"}", "invalid_utf8"); /* a UTF-16 surrogate */
    expect_error(skill, "[]", "invalid_argument");
    expect_error(skill, "{}", "invalid_argument");
    expect_error(skill, "{\"action\":\"no.such.thing\"}", "unknown_action");
    expect_error(skill, "{\"action\":\"help\",\"dry_run\":\"yes\"}", "invalid_argument");
    expect_error(skill, "{\"text\":\"xyzzy plugh\"}", "no_intent");
    expect_error(skill, "{\"action\":\"account.list\"}", "dry_run");
    expect_error(skill, "{\"text\":\"call Bob\"}", "unknown_contact"); /* two Bobs: suggestions, never a guess */
    expect_error(skill, "{\"text\":\"call him\"}", "unknown_contact");
    expect_error(skill, "{\"action\":\"call.start\",\"contact_ref\":{\"name\":\"x\",\"id\":\"sip:a@b\"}}",
                 "invalid_argument");
    expect_error(skill, "{\"text\":\"call Zebediah\"}", "unknown_contact");

    result = jami_skill_handle(skill, "{\"text\":\"send bob smith running late\"}");
    check(result && strstr(result, "\"intent\":\"message.send\"") && strstr(result, "\"name\":\"Bob Smith\"") &&
              strstr(result, "\"message\":\"running late\""),
          "longest contact name wins", result);
    jami_skill_free_string(result);

    result = jami_skill_handle(skill, "{\"text\":\"给妈妈打电话\"}");
    check(result && strstr(result, "\"intent\":\"call.start\"") && strstr(result, "\"language\":\"zh\"") &&
              strstr(result, "\"name\":\"Mom\""),
          "Chinese alias resolves", result);
    jami_skill_free_string(result);

    check(jami_skill_next_event(skill, 10) == NULL, "no events in dry run", NULL);
    jami_skill_close(skill);

    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures == 0 ? 0 : 1;
}
