// The `jami` tool a model calls: its schema, what a model may not choose,
// and who may have it at all.
import fs from "node:fs";

// The library's own action table (scripts/gen-actions.sh; the test
// openclaw.actions_table keeps it current), less what only a host may do.
const TABLE = JSON.parse(fs.readFileSync(new URL("./actions.json", import.meta.url), "utf8")).actions;

// message.reply answers whoever wrote to the account, "Contacts only"
// notwithstanding: the Jami channel's, never a model's. setup.section
// writes who the owner is and which account is the assistant's: the
// user's, at the machine (jamictl setup).
export const HOST_ONLY_ACTIONS = ["message.reply", "setup.section"];

// A host's own audio (a file, or samples) would let a model play a private
// recording to a contact; this host hands samples itself, from OpenClaw's
// text to speech of `say`.
const HOST_AUDIO = ["say_audio", "say_pcm", "ask_pcm"];

export const MODEL_ACTIONS = TABLE.map((a) => a.action).filter((name) => !HOST_ONLY_ACTIONS.includes(name));

export const toolParameters = {
  type: "object",
  additionalProperties: true,
  description:
    "Either {text}: the user's request in English or Chinese, or {action, ...arguments}: one structured action. " +
    "With both, the text decides (an action that contradicts it is refused).",
  properties: {
    text: { type: "string", description: 'What the user wants, e.g. "call mom", "send Bob running late", "给张三发消息说我晚点到"' },
    action: {
      type: "string",
      enum: MODEL_ACTIONS,
      description: "A structured action (leave out when you pass text): " + TABLE.filter((a) => MODEL_ACTIONS.includes(a.action)).map((a) => `${a.action}: ${a.summary}`).join("; "),
    },
    contact: { type: "string", description: "A contact's name, alias or id (for call.start, message.send, ...)" },
    message: { type: "string", description: "The text of message.send" },
    call_id: { type: "string" },
    confirmed: { type: "boolean", description: "Only when the user said yes to what a confirmation_required result said it would do" },
    dry_run: { type: "boolean", description: "Say what would be done, do nothing" },
  },
};

// What a model may not send: refused, not dropped, so that it does not
// believe something was done.
export function refusedFromModel(params) {
  if (!params || typeof params !== "object") return null;
  const key = HOST_AUDIO.find((k) => k in params);
  if (key)
    return {
      ok: false,
      error: { code: "invalid_argument", message: `${key} is the host's own audio: a model cannot choose it`, hint: "speak with say (text) instead" },
    };
  if (HOST_ONLY_ACTIONS.includes(params.action))
    return {
      ok: false,
      error: {
        code: "not_allowed",
        message: `${params.action} is the Jami channel's or the user's own: a model cannot use it`,
        hint: "reply in the conversation as usual, or message a contact with message.send",
      },
    };
  return null;
}

export const TOOL_DESCRIPTION =
  "Call or message the user's Jami contacts, answer or end calls, read messages, list contacts and accounts. " +
  "Pass {text} (English or Chinese) or {action, ...}. Results are JSON: {ok:true,...} or {ok:false,error:{code,message,hint}}.";

// Whether a turn may have the tool: in a Jami conversation only an owner's
// (the channel's allowFrom: `isOwner`), so that nothing a stranger, or a
// stranger the owner paired, writes can make the assistant call or message
// anyone. Measured in OpenClaw 2026.9.6: a paired sender's turn carries
// senderIsOwner true when commands.ownerAllowFrom is unset, so that flag
// is not the rule here. Other channels and the Gateway keep the tool.
export function toolAvailable(context, isOwner) {
  const session = String(context?.sessionKey ?? "");
  const fromJami = context?.messageChannel === "jami" || /(^|:)jami:/.test(session);
  if (!fromJami) return true;
  const peer = context?.requesterSenderId ?? session.split(":").at(-1);
  return isOwner(peer);
}

// OpenClaw's tool result: the JSON as text for the model, the value itself
// in details.
export function toolResult(value) {
  return { content: [{ type: "text", text: JSON.stringify(value) }], details: value };
}
