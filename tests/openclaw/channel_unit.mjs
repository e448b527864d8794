// The Jami channel's and the tool's decisions (openclaw/lib/channel.js,
// openclaw/lib/tool.js), without OpenClaw: who may talk to the assistant
// under each dmPolicy, who gets the jami tool in a Jami conversation, what
// a model may not send, how a long answer is cut, and that the tool's
// action enum is the library's table less the host's own. The real thing,
// with real jamid and the real OpenClaw, is openclaw.live (steps 5-5c).
//   node channel_unit.mjs
import assert from "node:assert/strict";
import fs from "node:fs";
import { chunkText, decideAccess, resolveJamiAccount } from "../../openclaw/lib/channel.js";
import os from "node:os";
import path from "node:path";
import { bookOf } from "../../openclaw/lib/skill.js";
import { HOST_ONLY_ACTIONS, MODEL_ACTIONS, refusedFromModel, toolAvailable, toolParameters } from "../../openclaw/lib/tool.js";

const BOB = "b".repeat(40);
const CAROL = "c".repeat(40);
let passed = 0;
const check = (name, f) => {
  try {
    f();
    passed++;
  } catch (e) {
    console.error(`FAIL ${name}`);
    throw e;
  }
};

check("pairing: owners talk, approved strangers talk, other strangers get a code", () => {
  const owners = new Set([BOB]);
  assert.deepEqual(decideAccess({ dmPolicy: "pairing", owners, approved: new Set(), peer: BOB }), { decision: "allow", owner: true });
  assert.deepEqual(decideAccess({ dmPolicy: "pairing", owners, approved: new Set([CAROL]), peer: CAROL }), { decision: "allow", owner: false });
  assert.equal(decideAccess({ dmPolicy: "pairing", owners, approved: new Set(), peer: CAROL }).decision, "pairing");
});

check("allowlist, open, disabled", () => {
  const owners = new Set([BOB]);
  const none = new Set();
  assert.equal(decideAccess({ dmPolicy: "allowlist", owners, approved: new Set([CAROL]), peer: CAROL }).decision, "block");
  assert.equal(decideAccess({ dmPolicy: "allowlist", owners, approved: none, peer: BOB }).decision, "allow");
  assert.deepEqual(decideAccess({ dmPolicy: "open", owners, approved: none, peer: CAROL }), { decision: "allow", owner: false });
  assert.equal(decideAccess({ dmPolicy: "disabled", owners, approved: none, peer: BOB }).decision, "block");
  // "*" lets anyone talk, and makes nobody an owner.
  assert.deepEqual(decideAccess({ dmPolicy: "allowlist", owners: new Set(["*"]), approved: none, peer: CAROL }), { decision: "allow", owner: false });
});

check("the account: pairing by default, configured only with a channels.jami section", () => {
  assert.equal(resolveJamiAccount({}, undefined).configured, false);
  const account = resolveJamiAccount({ channels: { jami: { allowFrom: ["bob", BOB] } } }, undefined);
  assert.equal(account.configured, true);
  assert.equal(account.enabled, true);
  assert.equal(account.config.dmPolicy, "pairing");
  assert.deepEqual(account.config.allowFrom, ["bob", BOB]);
  assert.equal(resolveJamiAccount({ channels: { jami: { enabled: false } } }).enabled, false);
});

check("the jami tool in a Jami conversation: an owner's turn only; elsewhere as before", () => {
  const isOwner = (peer) => peer === BOB;
  assert.equal(toolAvailable({ messageChannel: "jami", requesterSenderId: BOB, senderIsOwner: false }, isOwner), true);
  // OpenClaw says a paired stranger is an owner when no owner is set: not the rule here.
  assert.equal(toolAvailable({ messageChannel: "jami", requesterSenderId: CAROL, senderIsOwner: true }, isOwner), false);
  // A Jami session whose requester is unproven: the peer of the session key.
  assert.equal(toolAvailable({ sessionKey: `agent:main:jami:direct:${CAROL}` }, isOwner), false);
  assert.equal(toolAvailable({ sessionKey: `agent:main:jami:direct:${BOB}` }, isOwner), true);
  assert.equal(toolAvailable({ messageChannel: "webchat", sessionKey: "agent:main:main" }, isOwner), true);
});

check("what a model may not send: the host's audio and the channel's message.reply", () => {
  assert.equal(refusedFromModel({ text: "call bob", say_pcm: "AAAA" }).error.code, "invalid_argument");
  assert.equal(refusedFromModel({ action: "message.reply", peer: CAROL, message: "hi" }).error.code, "not_allowed");
  assert.equal(refusedFromModel({ text: "call bob" }), null);
});

check("the action enum is the library's table less the host's own", () => {
  const table = JSON.parse(fs.readFileSync(new URL("../../openclaw/lib/actions.json", import.meta.url), "utf8")).actions.map((a) => a.action);
  assert.deepEqual(toolParameters.properties.action.enum, MODEL_ACTIONS);
  assert.deepEqual(MODEL_ACTIONS, table.filter((a) => !HOST_ONLY_ACTIONS.includes(a)));
  assert.ok(MODEL_ACTIONS.includes("call.start") && MODEL_ACTIONS.includes("message.send"));
  assert.ok(!MODEL_ACTIONS.includes("message.reply") && table.includes("message.reply"));
  assert.ok(!MODEL_ACTIONS.includes("setup.section") && table.includes("setup.section"));
  assert.equal(refusedFromModel({ action: "setup.section", account: "0123456789abcdef", owner_id: CAROL }).error.code, "not_allowed");
});

check("a long answer in parts at a paragraph or a sentence, nothing lost", () => {
  const text = `${"a".repeat(1500)}.\n\n${"b".repeat(1500)}. ${"c".repeat(900)}`;
  const parts = chunkText(text, 2000);
  assert.equal(parts.length, 3);
  assert.ok(parts.every((p) => p.length <= 2000));
  assert.equal(parts[0], `${"a".repeat(1500)}.`); // at the paragraph
  assert.equal(parts[1], `${"b".repeat(1500)}.`); // at the sentence
  assert.equal(parts.join("").replace(/\s/g, ""), text.replace(/\s/g, ""));
  assert.deepEqual(chunkText("short"), ["short"]);
  assert.deepEqual(chunkText("   "), []);
  assert.ok(chunkText("x".repeat(4500), 2000).every((p) => p.length <= 2000));
});

check("each agent's tool uses its own workspace's contact book", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "jami-books-"));
  const [work, home, none] = ["work", "home", "none"].map((d) => path.join(root, d));
  for (const d of [work, home, none]) fs.mkdirSync(d);
  fs.writeFileSync(path.join(work, "TOOLS.md"), "# notes\n\n## Jami Configuration\n- Contacts:\n  - Boss: sip:boss@work\n");
  fs.writeFileSync(path.join(home, "TOOLS.md"), "# no section here\n");
  fs.writeFileSync(path.join(home, "AGENTS.md"), "## Tools\n### Jami Configuration\n- Contacts:\n  - Mom: sip:mom@home\n");
  assert.equal(bookOf(work), path.join(work, "TOOLS.md"));
  assert.equal(bookOf(home), path.join(home, "AGENTS.md"));
  assert.equal(bookOf(none), undefined);
  assert.equal(bookOf(undefined), undefined);
  fs.rmSync(root, { recursive: true });
});

console.log(`channel_unit: ${passed} passed`);
