// The Jami channel: people talk to their assistant from the Jami app. The
// assistant's Jami account (on the local jamid) is the channel's account;
// each peer's direct conversation is its own session (with OpenClaw's
// per-peer session.dmScope); a reply goes back into that conversation.
//
// Who may talk to it (channels.jami.dmPolicy, OpenClaw's vocabulary):
//   pairing (default)  allowFrom, and strangers the owner approved
//                      (`openclaw pairing approve jami CODE`); a stranger
//                      gets a code and nothing reaches the agent before
//   allowlist          allowFrom only
//   open               anyone whose messages jamid delivers
//   disabled           nobody
// allowFrom: Jami IDs or names from the contact book. Those, and
// OpenClaw's commands.ownerAllowFrom entries "jami:<id>", are the owners: their slash commands (/jami call ...) run; an approved stranger's
// do not, and in anyone else's conversation the agent has no jami tool
// (lib/tool.js: OpenClaw itself counts a paired sender as an owner, so the
// plugin decides from allowFrom alone), so nothing a peer writes makes the
// assistant call or message anyone. A stranger's contact request is never accepted on its
// own: only once the owner approved the pairing code, or when allowFrom
// names them. Peer text stays untrusted data: it reaches the agent as the
// sender's message, never as the owner's.
//
// Inbound comes from the skill's event queue (lib/event_pump.js), outbound
// goes through the library: message.reply to answer whoever wrote (the
// only action that may answer a peer who is no contact, and the tool
// refuses it from a model), message.send for the shared message tool and
// scheduled deliveries (the user's policy decides, "Contacts only" too).

const CHANNEL = "jami";
const DEFAULT_ACCOUNT = "default";
const JAMI_ID = /^[0-9a-f]{40}$/;
// Jami carries long messages; a phone screen reads them better in parts.
export const TEXT_CHUNK_LIMIT = 2000;
const APPROVAL_POLL_MS = 3000;
const ALLOW_CACHE_MS = 5000;

const sectionOf = (cfg) => cfg?.channels?.[CHANNEL] ?? null;
const stripPrefix = (value) =>
  String(value ?? "")
    .trim()
    .replace(/^jami:/i, "")
    .trim();
const idOf = (value) => {
  const bare = stripPrefix(value).toLowerCase().replace(/^ring:/, "");
  return JAMI_ID.test(bare) ? bare : null;
};

export function resolveJamiAccount(cfg, accountId) {
  const section = sectionOf(cfg);
  const config = section ?? {};
  return {
    accountId: accountId ?? DEFAULT_ACCOUNT,
    name: config.name ?? "Jami",
    enabled: section !== null && config.enabled !== false,
    configured: section !== null,
    config: {
      account: typeof config.account === "string" ? config.account : undefined,
      dmPolicy: config.dmPolicy ?? "pairing",
      allowFrom: Array.isArray(config.allowFrom) ? config.allowFrom.map(String) : [],
    },
  };
}

// A text in parts of at most `limit` characters, cut at a paragraph, a
// line, a sentence or a space when one is near the end.
export function chunkText(text, limit = TEXT_CHUNK_LIMIT) {
  const parts = [];
  let rest = String(text ?? "").trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = Math.max(window.lastIndexOf("\n\n"), window.lastIndexOf("\n"));
    if (cut < limit / 2) cut = Math.max(window.lastIndexOf(". "), window.lastIndexOf("。"), window.lastIndexOf("! "), window.lastIndexOf("? ")) + 1;
    if (cut < limit / 2) cut = window.lastIndexOf(" ");
    if (cut < limit / 2) cut = limit;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) parts.push(rest);
  return parts;
}

// What a peer may do, from the account's policy, allowFrom (ids; names
// resolved through the contact book) and the approvals in OpenClaw's
// pairing store. Pure: the lists are given.
export function decideAccess({ dmPolicy, owners, approved, peer }) {
  if (dmPolicy === "disabled") return { decision: "block", owner: false, reason: "dmPolicy disabled" };
  const owner = owners.has(peer);
  if (owner || owners.has("*")) return { decision: "allow", owner };
  if (dmPolicy === "open") return { decision: "allow", owner: false };
  if (dmPolicy === "allowlist") return { decision: "block", owner: false, reason: "not in allowFrom" };
  if (approved.has(peer)) return { decision: "allow", owner: false };
  return { decision: "pairing", owner: false };
}

// The channel's link to the Gateway's skill handle and event pump, set by
// the plugin entry once it registers (index.js).
let runtime = null; // {skill, pump, api}
export function attachRuntime(value) {
  runtime = value;
}
// Running accounts, for the pairing notifier.
const running = new Map(); // accountId -> {replyTo(peer, text)}
// The owners (allowFrom as Jami IDs) of the running accounts, as last
// resolved: the jami tool's gate reads them synchronously (lib/tool.js).
const owners = new Map(); // accountId -> Set of ids
export function isOwner(peer) {
  const id = idOf(peer);
  return Boolean(id) && [...owners.values()].some((ids) => ids.has(id));
}

// allowFrom as Jami IDs: names and aliases looked up in the contact book
// (cached a few seconds: the book may change while the Gateway runs).
function createAllowList(skill, log) {
  let cache = { at: 0, key: "", ids: new Set() };
  return async (entries) => {
    const key = entries.join("\n");
    if (cache.key === key && Date.now() - cache.at < ALLOW_CACHE_MS) return cache.ids;
    const ids = new Set();
    const names = [];
    for (const entry of entries) {
      if (stripPrefix(entry) === "*") ids.add("*");
      else if (idOf(entry)) ids.add(idOf(entry));
      else names.push(stripPrefix(entry));
    }
    if (names.length) {
      const listed = await skill.ask({ action: "contact.list" });
      const book = listed?.ok ? listed.contacts : [];
      for (const name of names) {
        const wanted = name.toLowerCase();
        const match = book.find((c) => [c.name, ...(c.aliases ?? [])].some((n) => String(n).toLowerCase() === wanted));
        const id = match ? idOf(match.id) : null;
        if (id) ids.add(id);
        else log?.warn?.(`jami: allowFrom names "${name}", which is no contact with a Jami ID in the book`);
      }
    }
    cache = { at: Date.now(), key, ids };
    return ids;
  };
}

async function startAccount(ctx, sdk) {
  const account = ctx.account;
  const accountId = account.accountId;
  if (!runtime) throw new Error("the jami plugin's runtime is not registered (is the plugin enabled?)");
  const { skill, pump, api } = runtime;
  ctx.setStatus({ accountId, running: false, lifecycle: "starting" });

  const info = await skill.ask({ action: "account.info", ...(account.config.account ? { account: account.config.account } : {}) });
  if (!info?.ok) throw new Error(`jami: no account to serve: ${info?.error?.message ?? "unknown"} (${info?.error?.hint ?? ""})`);
  const jamiAccount = info.account ?? {};
  const accountKey = jamiAccount.id;
  const ownId = idOf(jamiAccount.jami_id ?? jamiAccount.username ?? "") ?? "";
  ctx.setStatus({
    accountId,
    running: true,
    connected: jamiAccount.status === "REGISTERED",
    lifecycle: "ready",
    // What `openclaw channels status` shows: the Jami ID and jamid's
    // registration state (REGISTERED, TRYING, UNREGISTERED, ...).
    identity: `jami:${ownId}`,
    statusState: jamiAccount.status,
    dmPolicy: account.config.dmPolicy,
    lastStartAt: Date.now(),
  });
  ctx.log?.info?.(`[jami] serving Jami account ${accountKey} (${ownId}), dmPolicy ${account.config.dmPolicy}`);

  const pairing = sdk.createChannelPairingController({ core: api.runtime, channel: CHANNEL, accountId });
  const resolveAllowFrom = createAllowList(skill, ctx.log);
  // OpenClaw's own owners (commands.ownerAllowFrom, "jami:<id>") are owners
  // here too: `openclaw pairing approve` makes the first approved sender
  // the owner when none is set ("approve yourself").
  const commandOwners = () =>
    (Array.isArray(ctx.cfg?.commands?.ownerAllowFrom) ? ctx.cfg.commands.ownerAllowFrom : [])
      .map(String)
      .filter((entry) => /^jami:/i.test(entry.trim()));
  const ownerIds = async () => {
    const ids = await resolveAllowFrom([...account.config.allowFrom, ...commandOwners()]);
    owners.set(accountId, ids);
    return ids;
  };
  await ownerIds().catch((error) => ctx.log?.warn?.(`[jami] allowFrom: ${error?.message ?? error}`));
  const approvedIds = async () => {
    if (account.config.dmPolicy !== "pairing") return new Set();
    const stored = await pairing.readAllowFromStore();
    return new Set((stored ?? []).map(idOf).filter(Boolean));
  };
  const accessOf = async (peer) =>
    decideAccess({ dmPolicy: account.config.dmPolicy, owners: await ownerIds(), approved: await approvedIds(), peer });

  // Each part as jamid reports it: committed to the conversation, sent to
  // the peer's device, or failed (thrown: OpenClaw logs the failed delivery).
  const replyTo = async (peer, text) => {
    let last = null;
    for (const part of chunkText(text)) {
      last = await skill.ask({ action: "message.reply", peer, message: part, account: accountKey });
      if (!last?.ok) throw new Error(`jami: reply to ${peer} failed: ${last?.error?.code}: ${last?.error?.message}`);
      if (last.status === "failed") throw new Error(`jami: jamid reports the reply to ${peer} failed (message ${last.message_id})`);
    }
    return last;
  };
  running.set(accountId, { replyTo });

  const challenge = async (peer) =>
    pairing.issueChallenge({
      senderId: peer,
      senderIdLine: `Your Jami ID: ${peer}`,
      sendPairingReply: (text) => replyTo(peer, text),
      onCreated: () => ctx.log?.info?.(`[jami] pairing code issued to ${peer}`),
      onReplyError: (error) => ctx.log?.warn?.(`[jami] could not send the pairing code to ${peer}: ${error?.message ?? error}`),
    });

  const mine = (event) => !accountKey || !event.account || event.account === accountKey;

  async function take(event) {
    if (!mine(event)) return false;
    if (event.type === "contact.request") {
      const peer = idOf(event.peer ?? event.from);
      if (!peer) return false;
      const access = await accessOf(peer);
      if (access.decision === "allow" && (access.owner || account.config.dmPolicy === "pairing")) {
        // allowFrom names them, or the owner approved them: their request is accepted.
        const accepted = await skill.ask({ action: "contact.accept", contact: peer, account: accountKey });
        ctx.log?.info?.(`[jami] contact request from ${peer} accepted: ${accepted?.ok ? "yes" : accepted?.error?.message}`);
        return true;
      }
      if (access.decision === "pairing") {
        await challenge(peer);
        return true;
      }
      return false; // the main session hears of it (lib/events.js), as without the channel
    }
    let peer = null;
    let text = null;
    let messageId = null;
    let timestamp = Date.now();
    if (event.type === "message.received" && event.direction === "in" && event.message?.type === "text/plain") {
      peer = idOf(event.peer ?? event.message.author);
      text = event.message.body;
      messageId = event.message.id;
      const seconds = Number(event.message.timestamp);
      if (seconds > 0) timestamp = seconds * 1000;
    } else if (event.type === "message.account") {
      peer = idOf(event.peer ?? event.from);
      text = event.payloads?.["text/plain"];
      messageId = event.message_id;
    } else {
      return false;
    }
    if (!peer || typeof text !== "string" || !text.trim()) return false;
    const access = await accessOf(peer);
    if (access.decision === "pairing") {
      await challenge(peer);
      return true;
    }
    if (access.decision !== "allow") {
      ctx.log?.info?.(`[jami] message from ${peer} dropped (${access.reason})`);
      return true;
    }
    ctx.setStatus({ accountId, lastInboundAt: Date.now() });
    // A slash command typed in Jami is OpenClaw's text command: it runs for
    // an owner, and anyone else is told it needs authorization (the model
    // never sees it). dispatchInboundDirectDm marks no command itself.
    const typed = text.trim();
    const command = /^\/[^\s/]/.test(typed)
      ? {
          CommandTurn: { kind: "text-slash", source: "text", authorized: access.owner, commandName: typed.slice(1).split(/\s+/, 1)[0], body: typed },
        }
      : undefined;
    await sdk.dispatchInboundDirectDm({
      channelRuntime: ctx.channelRuntime,
      cfg: ctx.cfg,
      channel: CHANNEL,
      channelLabel: "Jami",
      accountId,
      peer: { kind: "direct", id: peer },
      senderId: peer,
      senderAddress: `jami:${peer}`,
      recipientAddress: `jami:${ownId}`,
      conversationLabel: event.contact || peer,
      rawBody: text,
      messageId: messageId ?? undefined,
      timestamp,
      commandAuthorized: access.owner,
      extraContext: command,
      deliver: async (payload) => {
        const reply = payload && typeof payload === "object" ? payload.text : null;
        if (typeof reply === "string" && reply.trim()) {
          await replyTo(peer, reply);
          ctx.setStatus({ accountId, lastOutboundAt: Date.now() });
        }
      },
      onRecordError: (error) => ctx.log?.error?.(`[jami] could not record the inbound session: ${error?.message ?? error}`),
      onDispatchError: (error, info) => ctx.log?.error?.(`[jami] ${info?.kind ?? "reply"} to ${peer} failed: ${error?.message ?? error}`),
    });
    return true;
  }

  // `openclaw pairing approve jami CODE` writes OpenClaw's store from
  // another process: the running channel looks for approvals itself, tells
  // the peer and accepts their waiting contact request.
  const welcomed = new Set();
  async function acceptApproved() {
    const approved = await approvedIds();
    if (approved.size === 0) return;
    const waiting = await skill.ask({ action: "contact.requests", account: accountKey });
    for (const request of waiting?.ok ? waiting.requests ?? [] : []) {
      const peer = idOf(request.from);
      if (!peer || !approved.has(peer) || welcomed.has(peer)) continue;
      welcomed.add(peer);
      // While the request waits, a plain message reaches them; then accepted.
      await replyTo(peer, "Your pairing request has been approved: write again and your assistant will answer.").catch(() => {});
      const accepted = await skill.ask({ action: "contact.accept", contact: peer, account: accountKey });
      ctx.log?.info?.(`[jami] approved ${peer}: contact request ${accepted?.ok ? "accepted" : accepted?.error?.message}`);
    }
  }

  const untake = pump.add("the Jami channel", take, { first: true });
  const poll = setInterval(() => acceptApproved().catch((error) => ctx.log?.warn?.(`[jami] approvals: ${error?.message ?? error}`)), APPROVAL_POLL_MS);
  try {
    await new Promise((resolve) => {
      if (ctx.abortSignal?.aborted) return resolve();
      ctx.abortSignal?.addEventListener("abort", resolve, { once: true });
    });
  } finally {
    clearInterval(poll);
    untake();
    running.delete(accountId);
    owners.delete(accountId);
    ctx.setStatus({ accountId, running: false, connected: false, lifecycle: "stopped", lastStopAt: Date.now() });
  }
}

// The channel plugin, built with the SDK's own helpers (`sdk`: the
// channel-core, channel-inbound and channel-pairing exports).
export function createJamiChannel(sdk) {
  return sdk.createChatChannelPlugin({
    base: {
      id: CHANNEL,
      meta: {
        id: CHANNEL,
        label: "Jami",
        selectionLabel: "Jami (your own jamid)",
        docsPath: "/channels/jami",
        docsLabel: "jami",
        blurb: "Talk to your assistant from the Jami app: peer-to-peer, through the local Jami daemon.",
        order: 120,
      },
      capabilities: { chatTypes: ["direct"], media: false },
      reload: { configPrefixes: [`channels.${CHANNEL}`] },
      config: {
        listAccountIds: () => [DEFAULT_ACCOUNT],
        defaultAccountId: () => DEFAULT_ACCOUNT,
        resolveAccount: (cfg, accountId) => resolveJamiAccount(cfg, accountId),
        inspectAccount: (cfg, accountId) => {
          const account = resolveJamiAccount(cfg, accountId);
          return { accountId: account.accountId, enabled: account.enabled, configured: account.configured };
        },
        isEnabled: (account) => account.enabled,
        isConfigured: (account) => account.configured,
        describeAccount: (account) => ({
          accountId: account.accountId,
          name: account.name,
          enabled: account.enabled,
          configured: account.configured,
          dmPolicy: account.config.dmPolicy,
        }),
        resolveAllowFrom: ({ cfg, accountId }) => resolveJamiAccount(cfg, accountId).config.allowFrom,
        formatAllowFrom: ({ allowFrom }) => (allowFrom ?? []).map((entry) => idOf(entry) ?? stripPrefix(entry)).filter(Boolean),
      },
      setup: {
        applyAccountConfig: ({ cfg, input }) => ({
          ...cfg,
          channels: { ...cfg.channels, [CHANNEL]: { ...sectionOf(cfg), enabled: true, ...(input ?? {}) } },
        }),
      },
      messaging: {
        targetPrefixes: [CHANNEL],
        normalizeTarget: (target) => idOf(target) ?? stripPrefix(target),
        inferTargetChatType: () => "direct",
        // A contact's name is a target too: the library resolves it (and
        // refuses an unknown or ambiguous one).
        targetResolver: { looksLikeId: (input, normalized) => Boolean(stripPrefix(normalized ?? input)), hint: "<contact name|40-hex Jami ID>" },
      },
      gateway: { startAccount: (ctx) => startAccount(ctx, sdk) },
    },
    security: {
      dm: {
        channelKey: CHANNEL,
        resolvePolicy: (account) => account.config.dmPolicy,
        resolveAllowFrom: (account) => account.config.allowFrom,
        defaultPolicy: "pairing",
        normalizeEntry: (entry) => idOf(entry) ?? stripPrefix(entry),
      },
    },
    pairing: {
      text: {
        idLabel: "jamiId",
        message: "Your pairing request has been approved: write again and your assistant will answer.",
        normalizeAllowEntry: (entry) => idOf(entry) ?? stripPrefix(entry),
        // In the Gateway; the approval loop above covers approvals made
        // from another process.
        notify: async ({ id, message, accountId }) => {
          const live = running.get(accountId ?? DEFAULT_ACCOUNT);
          const peer = idOf(id);
          if (live && peer) await live.replyTo(peer, message);
        },
      },
    },
    outbound: {
      deliveryMode: "direct",
      textChunkLimit: TEXT_CHUNK_LIMIT,
      chunker: (text, limit) => chunkText(text, limit),
      // The shared message tool and scheduled deliveries: the assistant
      // reaching someone, so the user's policy decides (message.send).
      sendText: async ({ to, text }) => {
        if (!runtime) throw new Error("the jami plugin's runtime is not registered");
        const target = idOf(to) ?? stripPrefix(to);
        const result = await runtime.skill.request({ action: "message.send", contact: target, message: text });
        if (!result?.ok) throw new Error(`jami: ${result?.error?.code}: ${result?.error?.message} (${result?.error?.hint ?? ""})`);
        return { channel: CHANNEL, to: target, messageId: result.message_id ?? "" };
      },
    },
  });
}
