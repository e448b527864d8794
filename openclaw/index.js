// The Jami plugin for OpenClaw: libjami-skill.so.1 loaded in the Gateway
// (lib/skill.js). It registers, on public SDK subpaths only:
//   - the Jami channel (lib/channel.js): people talk to their assistant from
//     the Jami app, each peer in their own session;
//   - the `jami` tool (lib/tool.js) a model calls;
//   - the model-free /jami command;
//   - the jami-events service: calls, voicemails and contact requests told
//     to the main session (lib/events.js), messages too when the channel is
//     off.
// The channel and the service read the one event queue through one pump
// (lib/event_pump.js).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as channelCore from "openclaw/plugin-sdk/channel-core";
import * as channelInbound from "openclaw/plugin-sdk/channel-inbound";
import * as channelPairing from "openclaw/plugin-sdk/channel-pairing";
import * as pluginEntry from "openclaw/plugin-sdk/plugin-entry";
import { attachRuntime, createJamiChannel, isOwner } from "./lib/channel.js";
import { createEventPump } from "./lib/event_pump.js";
import { eventText, withTranscript } from "./lib/events.js";
import { bookOf, createSkill } from "./lib/skill.js";
import { refusedFromModel, TOOL_DESCRIPTION, toolAvailable, toolParameters, toolResult } from "./lib/tool.js";
import { describeResult, parseCommand } from "./lib/words.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(fs.readFileSync(path.join(here, "openclaw.plugin.json"), "utf8"));

// The SDK's channel helpers, on public subpaths that exist in every
// OpenClaw the package declares (openclaw.compat.pluginApi, enforced at
// install). Should one lack a function, the tool, the command and the events
// still load, and the log says why the channel is missing: never a plugin
// that fails to load. (OpenClaw's loader takes no top-level await: the
// namespaces are imported statically and checked here.)
function channelSdk() {
  const wanted = [
    ["channel-core", channelCore, "defineChannelPluginEntry"],
    ["channel-core", channelCore, "createChatChannelPlugin"],
    ["channel-inbound", channelInbound, "dispatchInboundDirectDm"],
    ["channel-pairing", channelPairing, "createChannelPairingController"],
  ];
  const lacking = wanted.filter(([, namespace, name]) => typeof namespace?.[name] !== "function");
  if (lacking.length) return { sdk: null, missing: lacking.map(([sub, , name]) => `openclaw/plugin-sdk/${sub} ${name}`).join(", ") };
  return { sdk: { ...channelCore, ...channelInbound, ...channelPairing }, missing: null };
}
const { sdk, missing } = channelSdk();

// Skill handles by options: the plugin's own (the channel, the service,
// /jami), and one per agent workspace whose contact book the tool uses.
const handles = new Map();
function skillWith(api, config) {
  const key = JSON.stringify([config.library, config.tools, config.bus, config.pulseServer, config.dryRun, config.speech]);
  if (!handles.has(key)) handles.set(key, createSkill(api, config));
  return handles.get(key);
}

// The default agent's main session, as OpenClaw names it
// ("agent:<id>:<session.mainKey>"): the system events and the heartbeat that
// wakes it must name the same session (the heartbeat does not read "main").
function mainSessionKey(cfg) {
  const agents = Array.isArray(cfg?.agents?.list) ? cfg.agents.list : [];
  const agent = agents.find((a) => a?.default === true) ?? agents[0];
  const id = String(agent?.id ?? "main").trim().toLowerCase() || "main";
  return `agent:${id}:${cfg?.session?.mainKey ?? "main"}`;
}

function registerJami(api) {
  const config = api.pluginConfig ?? {};
  const skill = skillWith(api, config);
  const log = api.logger ?? console;

  // The tool: a factory, so that each turn gets it only when it may (in a
  // Jami conversation only an owner's turns) and with its agent's book.
  api.registerTool(
    (context) => {
      if (!toolAvailable(context, isOwner)) return null;
      const book = config.tools ? undefined : bookOf(context?.workspaceDir);
      const own = book ? skillWith(api, { ...config, tools: book }) : skill;
      return {
        name: "jami",
        label: "Jami",
        description: TOOL_DESCRIPTION,
        parameters: toolParameters,
        async execute(_toolCallId, params) {
          return toolResult(refusedFromModel(params) ?? (await own.request(params ?? {})));
        },
      };
    },
    { name: "jami" },
  );

  api.registerCommand({
    name: "jami",
    description: "Jami without the model: /jami call mom, /jami hang up, /jami --json contact list",
    acceptsArgs: true,
    async handler(ctx) {
      const { request, json } = parseCommand(ctx.args ?? "");
      if (!request) return { text: describeResult({ ok: true, help: true }) };
      const result = await skill.request(request);
      return { text: json ? JSON.stringify(result) : describeResult(result) };
    },
  });

  const pump = createEventPump(skill, log);
  attachRuntime({ skill, pump, api });

  // The service tells the main session of events (unless `events: false`)
  // and, either way, stops the pump and closes the handles with the Gateway.
  {
    let untake = null;
    api.registerService({
      id: "jami-events",
      start(context) {
        if (config.events === false) return;
        const sessionKey = config.sessionKey || mainSessionKey(api.config);
        untake = pump.add("the event service", async (event) => {
          // A voicemail's words, by OpenClaw's own audio understanding (tools.media).
          if (config.transcribe !== false) event = await withTranscript(event, { media: api.runtime?.mediaUnderstanding, cfg: api.config });
          const text = eventText(event);
          if (!text) return false;
          // One system event per jamid event (the skill's queue hands each out once).
          if (api.runtime.system.enqueueSystemEvent(text, { sessionKey }))
            api.runtime.system.requestHeartbeat({ source: "other", intent: "immediate", reason: "jami:event", sessionKey });
          return true;
        });
        context?.logger?.info?.("jami: events go to the main session");
      },
      async stop() {
        untake?.();
        await pump.stop(); // the handles are closed only once no call into them is in flight
        await Promise.all([...handles.values()].map((h) => h.close()));
      },
    });
  }
}

const entryInfo = { id: manifest.id, name: manifest.name, description: manifest.description, configSchema: manifest.configSchema };

function toolOnlyEntry() {
  return pluginEntry.definePluginEntry({
    ...entryInfo,
    register(api) {
      (api.logger ?? console).warn?.(`jami: this OpenClaw lacks ${missing}: the Jami channel is off; the tool, /jami and events work`);
      registerJami(api);
    },
  });
}

export default sdk
  ? sdk.defineChannelPluginEntry({ ...entryInfo, plugin: createJamiChannel(sdk), registerFull: registerJami })
  : toolOnlyEntry();
