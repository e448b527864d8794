// The /jami command's words: what was typed becomes a request, and a result
// becomes a short answer in plain words (--json: the result as it is).

// jamictl-style commands that are not sentences; anything else is a
// sentence for the skill's own understanding (English or Chinese).
const COMMANDS = {
  "contact list": { action: "contact.list" },
  contacts: { action: "contact.list" },
  "call list": { action: "call.list" },
  calls: { action: "call.list" },
  "account list": { action: "account.list" },
  accounts: { action: "account.list" },
  "contact requests": { action: "contact.requests" },
  policy: { action: "policy.show" },
  audit: { action: "audit.read" },
  daemon: { action: "daemon.status" },
  help: { action: "help" },
};

export function parseCommand(args) {
  let words = String(args).trim().split(/\s+/).filter(Boolean);
  const json = words.includes("--json");
  const dryRun = words.includes("--dry-run");
  words = words.filter((w) => w !== "--json" && w !== "--dry-run");
  if (words.length === 0) return { request: null, json };
  const typed = words.join(" ");
  const request = { ...(COMMANDS[typed.toLowerCase()] ?? { text: typed }) };
  if (dryRun) request.dry_run = true;
  return { request, json };
}

function callWords(call) {
  const who = call.contact || call.peer || "?";
  const reason = call.end_reason ? ` (${call.end_reason.replaceAll("_", " ")})` : "";
  return `Call with ${who}: ${String(call.state ?? "").replaceAll("_", " ")}${reason}. Call id ${call.call_id}.`;
}

// What a notify call said, and in whose voice.
function saidWords(result) {
  if (!result.said) return "";
  const voice = result.voice?.by === "openclaw" ? ` with OpenClaw's voice (${result.voice.provider ?? "its provider"})` : "";
  const asked = result.asked
    ? ` Asked ${JSON.stringify(result.asked.question)}: ${result.asked.acknowledged === null ? "no answer" : result.asked.acknowledged ? "yes" : "no"}.`
    : "";
  return ` Said ${JSON.stringify(result.said.text)}${voice}${result.said.complete ? "" : " (cut short)"}.${asked}`;
}

export function describeResult(result) {
  if (result?.help)
    return "Usage: /jami <what you want>, e.g. /jami call mom, /jami send Bob running late, /jami hang up, /jami contacts. Add --json for the raw result, --dry-run to only check.";
  if (!result?.ok) {
    const error = result?.error ?? {};
    const lines = [`Not done: ${error.message ?? "unknown error"} (${error.code ?? "error"}).`];
    if (error.hint) lines.push(error.hint);
    for (const s of result?.suggestions ?? []) lines.push(`Did you mean ${s.name}?`);
    for (const c of result?.candidates ?? []) if (c.name) lines.push(`- ${c.name}`);
    return lines.join("\n");
  }
  if (result.dry_run || result.would) return `Dry run: would ${JSON.stringify(result.would ?? result)}`;
  if (result.call) return callWords(result.call) + saidWords(result);
  if (Array.isArray(result.calls)) return result.calls.length ? result.calls.map(callWords).join("\n") : "No call in progress.";
  if (result.via && result.to) return `Sent to ${result.to.name || result.to.id} (${result.status}).`;
  if (Array.isArray(result.contacts))
    return result.contacts.length
      ? result.contacts.map((c) => `${c.name}: ${c.id}${c.aliases?.length ? ` (${c.aliases.join(", ")})` : ""}`).join("\n")
      : "No contacts yet.";
  if (Array.isArray(result.messages))
    return result.messages.length ? result.messages.map((m) => `${m.from || m.author}: ${m.body}`).join("\n") : "No messages.";
  if (Array.isArray(result.accounts))
    return result.accounts.map((a) => `${a.alias || a.id} (${a.type}, ${a.status || "unknown"})`).join("\n") || "No account.";
  if ("running" in result) return `jamid is ${result.running ? "running" : "not running"}${result.hint ? `. ${result.hint}` : "."}`;
  return "Done.";
}
