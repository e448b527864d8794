/*
 * jami_skill.h -- the C ABI of libjami-skill, the Jami skill for Clawdbot/OpenClaw.
 *
 * A host (Clawdbot, jamictl, any program) dlopens libjami-skill.so.1, checks
 * jami_skill_abi_version(), opens a skill, sends JSON requests and reads JSON
 * results and events. This header is the only public interface; it compiles as
 * C11 and as C++.
 *
 * Strings
 *   - Every `const char *` argument is borrowed, NUL-terminated UTF-8, and only
 *     read during the call. Invalid UTF-8 is answered with an error, never read
 *     past its terminator.
 *   - Every `char *` result is owned by the caller and must be released with
 *     jami_skill_free_string() (never free()).
 *
 * Results
 *   Every result is one JSON object:
 *     {"ok":true, ...}
 *     {"ok":false,"error":{"code":"<stable_code>","message":"...","hint":"..."}}
 *   Error codes are stable identifiers (see docs/abi.md); new ones may be added,
 *   existing ones are never renamed. No C++ exception ever leaves a function of
 *   this header, and the library never writes to stdout or stderr.
 *
 * Threads
 *   jami_skill_handle() and jami_skill_next_event() may be called concurrently
 *   from any threads on the same handle. jami_skill_close() must not race with
 *   any other call on the same handle; it joins the library's own threads
 *   before it returns. Different handles are fully independent (no global state).
 */
#ifndef JAMI_SKILL_H
#define JAMI_SKILL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(JAMI_SKILL_BUILDING)
#define JAMI_SKILL_API __attribute__((visibility("default")))
#else
#define JAMI_SKILL_API
#endif

/* Bumped only for an incompatible change of a signature below. New request
 * fields, actions, result fields and error codes are additive and keep it. */
#define JAMI_SKILL_ABI_VERSION 1u

typedef struct jami_skill jami_skill;

/* Returns JAMI_SKILL_ABI_VERSION of the library actually loaded. A host built
 * against another version must refuse to continue. Thread-safe. */
JAMI_SKILL_API uint32_t jami_skill_abi_version(void);

/* Opens a skill.
 *   options_json: NULL or a JSON object with optional members
 *     "tools_md"   (string) path of the TOOLS.md (or AGENTS.md) holding the
 *                  "## Jami Configuration" section; default: looked up from
 *                  $JAMI_SKILL_TOOLS and the Clawdbot/OpenClaw workspace.
 *     "bus"        (string) D-Bus address of jamid's bus; default: the session bus.
 *     "dry_run"    (bool) every request is a dry run: effectful actions say
 *                  what they would do and touch neither TOOLS.md nor jamid.
 *     "timeout_ms" (number) D-Bus method-call timeout, default 10000.
 *     "call_log"   (string) the JSONL call history; default <state_dir>/calls.jsonl.
 *     "state_dir"  (string) call log, audit log and outbound ledger; default
 *                  the call log's folder, else $XDG_STATE_HOME/jami-skill.
 *     "host"       (string) who is asking, written to the audit log.
 *     "policy"     (object) the user's pinned policy (docs/policy.md): the
 *                  contact book can tighten it, never loosen it.
 *     "policy_file" (string) the pinned policy file; default
 *                  $JAMI_SKILL_POLICY, else ~/.config/jami-skill/policy.md.
 *   error_json: NULL, or where to store an error object (caller frees it with
 *     jami_skill_free_string) when NULL is returned; set to NULL on success.
 * Returns the handle, or NULL on error ("config_error" for a contact book
 * that cannot be read or is not UTF-8). Opening never contacts jamid: the
 * connection is made by the first request that needs it; the contact book is
 * read and checked here but parsed by the first request that needs contacts
 * (0.7 ms to open with 10,000 contacts, not 9). Thread-safe. */
JAMI_SKILL_API jami_skill* jami_skill_open(const char* options_json, char** error_json);

/* Handles one request and returns its result (never NULL, caller frees).
 *   request_json: {"text":"call mom"} (natural language, English or Chinese)
 *                 or {"action":"<intent>", ...slots}, for example
 *                 {"action":"account.list"}; either may add "dry_run":true
 *                 and "confirmed":true (the user said yes: needed to edit
 *                 contacts, remove accounts, pass raw account settings).
 * A request that would reach someone is checked against the policy before
 * jamid is asked; every effectful request and refusal is audited.
 * A NULL skill or request gives an "invalid_argument" error result.
 * May block for up to the D-Bus timeout. Thread-safe (see above). */
JAMI_SKILL_API char* jami_skill_handle(jami_skill* skill, const char* request_json);

/* Waits up to timeout_ms (0 = poll, negative = treated as 0) for the next
 * event from jamid (incoming call, call state, message, ...) and returns it
 * as a JSON object {"type":"...", ...} (caller frees), or NULL on timeout:
 * NULL always means "no event yet". A failure is an event too,
 * {"type":"error","error":{"code","message","hint"}} (NULL skill: code
 * "invalid_argument"), so a host's loop never mistakes a broken handle for
 * a quiet one. Events are collected from the first call of this function
 * (which connects if needed) or the first request that acts on jamid or
 * waits for it; a read that jamid's methods answer alone (account.list,
 * account.info, call.list, call.status, daemon.status) does not start it,
 * so that a one-shot read costs no more than its method calls. A host that
 * wants every event calls this function first. Thread-safe (see above). */
JAMI_SKILL_API char* jami_skill_next_event(jami_skill* skill, int timeout_ms);

/* Releases a string returned by this library. NULL is ignored. Thread-safe. */
JAMI_SKILL_API void jami_skill_free_string(char* s);

/* Closes the skill, disconnects from jamid and joins internal threads.
 * NULL is ignored. Must not race with other calls on the same handle. */
JAMI_SKILL_API void jami_skill_close(jami_skill* skill);

#ifdef __cplusplus
}
#endif

#endif /* JAMI_SKILL_H */
