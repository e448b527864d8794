// The Jami plugin for OpenClaw: libjami-skill.so.1 loaded in the Gateway
// process through its C ABI (plugin/include/jami_skill.h) with koffi. One
// skill handle serves the `jami` tool, the model-free /jami command and the
// event service. Every call into the library runs on koffi's worker threads
// (a call may wait seconds for jamid), never on the event loop.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineToolPlugin } from "openclaw/plugin-sdk/tool-plugin";
import { resolveMainSessionKeyFromConfig } from "openclaw/plugin-sdk/system-event-runtime";
import { eventText, withTranscript } from "./lib/events.js";
import { withOwnVoice } from "./lib/voice.js";
import { describeResult, parseCommand } from "./lib/words.js";

const ABI_VERSION = 1;
const here = path.dirname(fileURLToPath(import.meta.url));

// Where the library is: the configured path; next to an installed plugin
// (<prefix>/share/jami-skill/openclaw -> <prefix>/lib/...); a build tree when
// the plugin is linked from the repository; else the dynamic loader's path.
// `root` is the plugin's folder as OpenClaw knows it (api.rootDir): the code
// itself may run from a copy OpenClaw made elsewhere.
function libraryCandidates(configured, root) {
  if (configured) return [configured];
  return [
    path.resolve(root, "../../../lib/libjami-skill.so.1"),
    path.resolve(root, "../../../lib/x86_64-linux-gnu/libjami-skill.so.1"),
    path.resolve(root, "../build/lib/libjami-skill.so.1"),
    "libjami-skill.so.1",
  ];
}

class SkillLibrary {
  constructor(koffi, file) {
    this.lib = koffi.load(file);
    this.file = file;
    const free = this.lib.func("void jami_skill_free_string(void *s)");
    // Strings the library allocates come back as JS strings and are freed at once.
    const owned = koffi.disposable("jami_owned_str", "str", free);
    this.abiVersion = this.lib.func("uint32_t jami_skill_abi_version(void)");
    this.open = this.lib.func("void *jami_skill_open(const char *options, _Out_ void **error)");
    this.handle = this.lib.func("jami_owned_str jami_skill_handle(void *skill, const char *request)");
    this.nextEvent = this.lib.func("jami_owned_str jami_skill_next_event(void *skill, int timeout_ms)");
    this.close = this.lib.func("void jami_skill_close(void *skill)");
    this.freeString = free;
    this.koffi = koffi;
  }
}

async function loadLibrary(configured, root) {
  let koffi;
  try {
    koffi = (await import("koffi")).default;
  } catch (error) {
    throw new Error(`the koffi package is missing: run npm install in ${here} (${error.message})`);
  }
  const tried = [];
  for (const file of libraryCandidates(configured, root)) {
    if (file.includes("/") && !fs.existsSync(file)) {
      tried.push(`${file} (not there)`);
      continue;
    }
    try {
      const library = new SkillLibrary(koffi, file);
      const version = library.abiVersion();
      if (version !== ABI_VERSION)
        throw new Error(`${file} speaks ABI ${version}, this plugin ABI ${ABI_VERSION}: install matching versions`);
      return library;
    } catch (error) {
      if (String(error.message).includes("speaks ABI")) throw error;
      tried.push(`${file} (${error.message})`);
    }
  }
  throw new Error(`cannot load libjami-skill.so.1; tried ${tried.join("; ")}. Set plugins.entries.jami.config.library`);
}

// Runs fn(...args, callback) on koffi's worker thread.
const offLoop = (fn, ...args) =>
  new Promise((resolve, reject) => fn.async(...args, (error, value) => (error ? reject(error) : resolve(value))));

function createSkill(api) {
  const config = api.pluginConfig ?? {};
  let opened; // Promise<{library, handle}>

  async function open() {
    opened ??= (async () => {
      const library = await loadLibrary(config.library, api.rootDir ?? here);
      const options = { host: "openclaw" };
      if (config.tools) options.tools_md = config.tools;
      if (config.bus) options.bus = config.bus;
      if (config.pulseServer) options.pulse_server = config.pulseServer;
      if (config.dryRun) options.dry_run = true;
      const error = [null];
      const handle = await offLoop(library.open, JSON.stringify(options), error);
      if (!handle) {
        let detail = "jami_skill_open failed";
        if (error[0]) {
          detail = library.koffi.decode(error[0], "char", -1);
          library.freeString(error[0]);
        }
        throw new Error(detail);
      }
      return { library, handle };
    })();
    try {
      return await opened;
    } catch (error) {
      opened = undefined; // the next request tries again (a fixed config, a started daemon)
      throw error;
    }
  }

  async function ask(request) {
    let skill;
    try {
      skill = await open();
    } catch (error) {
      return { ok: false, error: { code: "config_error", message: error.message, hint: "see the jami plugin's config (openclaw plugins inspect jami)" } };
    }
    return JSON.parse(await offLoop(skill.library.handle, skill.handle, JSON.stringify(request)));
  }

  return {
    // A request; a notify call speaks with OpenClaw's voice when the user
    // has one (lib/voice.js), and the result says whose voice it was.
    async request(request) {
      const spoken = config.dryRun
        ? { request, voice: null } // nothing is placed: nothing to synthesize
        : await withOwnVoice(request, { ask, tts: api.runtime?.tts, cfg: api.config, mode: config.speech });
      const result = await ask(spoken.request);
      if (spoken.voice && result && typeof result === "object" && !result.dry_run) result.voice = spoken.voice;
      return result;
    },
    async nextEvent(timeoutMs) {
      const skill = await open();
      const text = await offLoop(skill.library.nextEvent, skill.handle, timeoutMs);
      return text ? JSON.parse(text) : null;
    },
    async close() {
      if (!opened) return;
      const skill = await opened.catch(() => null);
      opened = undefined;
      if (skill) await offLoop(skill.library.close, skill.handle);
    },
  };
}

const toolParameters = {
  type: "object",
  additionalProperties: true,
  description: "Either {text}: a request in English or Chinese, or {action, ...arguments}: a structured action (see the skill's references/jamictl.md; help lists them).",
  properties: {
    text: { type: "string", description: 'What the user wants, e.g. "call mom", "send Bob running late", "给张三发消息说我晚点到"' },
    action: { type: "string", description: "A structured action: call.start, call.hangup, call.accept, call.list, message.send, message.read, contact.list, account.list, daemon.status, policy.show, ..." },
    contact: { type: "string", description: "A contact's name, alias or id (for call.start, message.send, ...)" },
    message: { type: "string", description: "The text of message.send" },
    call_id: { type: "string" },
    confirmed: { type: "boolean", description: "Only when the user said yes to what a confirmation_required result said it would do" },
    dry_run: { type: "boolean", description: "Say what would be done, do nothing" },
  },
};

// What a model may not choose: a host's own audio (a file, or samples)
// would let it play a private recording to a contact; this host hands
// samples itself, from OpenClaw's text to speech of `say`. Refused, not
// dropped, so the model does not believe something was played.
const HOST_AUDIO = ["say_audio", "say_pcm", "ask_pcm"];
const refusedFromModel = (params) => {
  const key = params && typeof params === "object" ? HOST_AUDIO.find((k) => k in params) : undefined;
  return key
    ? {
        ok: false,
        error: {
          code: "invalid_argument",
          message: `${key} is the host's own audio: a model cannot choose it`,
          hint: "speak with say (text) instead",
        },
      }
    : null;
};

// One skill handle per plugin registration, shared by the tool, the command
// and the event service.
const skills = new WeakMap();
function skillFor(api) {
  if (!skills.has(api)) skills.set(api, createSkill(api));
  return skills.get(api);
}

const configSchema = JSON.parse(fs.readFileSync(path.join(here, "openclaw.plugin.json"), "utf8")).configSchema;

// defineToolPlugin gives the tool's metadata to `openclaw plugins validate`;
// the command and the service are registered beside it.
const entry = defineToolPlugin({
  id: "jami",
  name: "Jami",
  description: "Call and message your contacts over Jami through the local Jami daemon",
  configSchema,
  tools: (tool) => [
    tool({
      name: "jami",
      description:
        "Call or message the user's Jami contacts, answer or end calls, read messages, list contacts and accounts. " +
        "Pass {text} (English or Chinese) or {action, ...}. Results are JSON: {ok:true,...} or {ok:false,error:{code,message,hint}}.",
      parameters: toolParameters,
      execute: async (params, _config, { api }) => refusedFromModel(params) ?? skillFor(api).request(params ?? {}),
    }),
  ],
});

const registerTools = entry.register;
entry.register = (api) => {
  registerTools(api);
  registerCommandAndEvents(api);
};
export default entry;

function registerCommandAndEvents(api) {
  const skill = skillFor(api);
  const config = api.pluginConfig ?? {};
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

    if (config.events !== false) {
      let running = false;
      let loop = Promise.resolve();
      api.registerService({
        id: "jami-events",
        start(context) {
          running = true;
          const sessionKey = () => config.sessionKey || resolveMainSessionKeyFromConfig();
          loop = (async () => {
            while (running) {
              let event;
              try {
                event = await skill.nextEvent(1000);
              } catch (error) {
                context.logger.warn(`jami: events unavailable: ${error.message}`);
                await new Promise((resolve) => setTimeout(resolve, 5000));
                continue;
              }
              if (!event) continue;
              if (event.type === "error") {
                context.logger.warn(`jami: ${event.error?.message ?? "event error"}`);
                await new Promise((resolve) => setTimeout(resolve, 1000));
                continue;
              }
              // A voicemail's words, by OpenClaw's own audio understanding (tools.media).
              if (config.transcribe !== false)
                event = await withTranscript(event, { media: api.runtime?.mediaUnderstanding, cfg: api.config });
              const text = eventText(event);
              if (!text) continue;
              const key = sessionKey();
              // One system event per jamid event (the skill's queue hands each out once).
              if (api.runtime.system.enqueueSystemEvent(text, { sessionKey: key }))
                api.runtime.system.requestHeartbeat({ source: "other", intent: "immediate", reason: "jami:event", sessionKey: key });
            }
          })();
        },
        async stop() {
          running = false;
          await loop; // the handle is closed only once no call into it is in flight
          await skill.close();
        },
      });
    }
}
