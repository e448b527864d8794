// libjami-skill.so.1 in the Gateway process through its C ABI
// (plugin/include/jami_skill.h) with koffi. A skill handle is opened at its
// first use; every call into the library runs on koffi's worker threads (a
// call may wait seconds for jamid), never on the event loop.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withOwnVoice } from "./voice.js";

const ABI_VERSION = 1;
const pluginDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// Where the library is: the configured path; next to an installed plugin
// (<prefix>/share/jami-skill/openclaw -> <prefix>/lib/...); a build tree when
// the plugin is linked from the repository; else the dynamic loader's path
// (a system install: the Debian package, cmake --install to /usr/local).
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

// One library per process, whatever the number of handles.
let loaded; // Promise<SkillLibrary>
async function loadLibrary(configured, root) {
  let koffi;
  try {
    koffi = (await import("koffi")).default;
  } catch (error) {
    throw new Error(`the koffi package is missing: run npm install in ${pluginDir} (${error.message})`);
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
  throw new Error(
    `cannot load libjami-skill.so.1; tried ${tried.join("; ")}. Install jami-skill (the library), or set plugins.entries.jami.config.library`,
  );
}
function library(configured, root) {
  loaded ??= loadLibrary(configured, root).catch((error) => {
    loaded = undefined; // the next request tries again (a fixed config, an installed library)
    throw error;
  });
  return loaded;
}

// Runs fn(...args, callback) on koffi's worker thread.
const offLoop = (fn, ...args) =>
  new Promise((resolve, reject) => fn.async(...args, (error, value) => (error ? reject(error) : resolve(value))));

// A skill handle for `config` (the plugin's config; its `tools` may name
// one agent's contact book). `api`: OpenClaw's, for its voice and rootDir.
export function createSkill(api, config) {
  let opened; // Promise<{lib, handle}>

  async function open() {
    opened ??= (async () => {
      const lib = await library(config.library, api.rootDir ?? pluginDir);
      const options = { host: "openclaw" };
      if (config.tools) options.tools_md = config.tools;
      if (config.bus) options.bus = config.bus;
      if (config.pulseServer) options.pulse_server = config.pulseServer;
      if (config.dryRun) options.dry_run = true;
      const error = [null];
      const handle = await offLoop(lib.open, JSON.stringify(options), error);
      if (!handle) {
        let detail = "jami_skill_open failed";
        if (error[0]) {
          detail = lib.koffi.decode(error[0], "char", -1);
          lib.freeString(error[0]);
        }
        throw new Error(detail);
      }
      return { lib, handle };
    })();
    try {
      return await opened;
    } catch (error) {
      opened = undefined; // the next request tries again (a fixed config, a started daemon)
      throw error;
    }
  }

  // The library's answer, as it gives it: never throws.
  async function ask(request) {
    let skill;
    try {
      skill = await open();
    } catch (error) {
      return {
        ok: false,
        error: { code: "config_error", message: error.message, hint: "see the jami plugin's config (openclaw plugins inspect jami)" },
      };
    }
    return JSON.parse(await offLoop(skill.lib.handle, skill.handle, JSON.stringify(request)));
  }

  return {
    ask,
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
      const text = await offLoop(skill.lib.nextEvent, skill.handle, timeoutMs);
      return text ? JSON.parse(text) : null;
    },
    async close() {
      if (!opened) return;
      const skill = await opened.catch(() => null);
      opened = undefined;
      if (skill) await offLoop(skill.lib.close, skill.handle);
    },
  };
}

// The contact book of the agent a tool call serves, when the plugin names
// none: the TOOLS.md or AGENTS.md of that agent's workspace with a "Jami
// Configuration" section (a heading of level 2 or more, as the library
// reads it; TOOLS.md first), so that each
// agent of a Gateway has its own contacts. Undefined: the library searches.
export function bookOf(workspaceDir) {
  if (!workspaceDir) return undefined;
  for (const name of ["TOOLS.md", "AGENTS.md"]) {
    const file = path.join(workspaceDir, name);
    try {
      if (/^#{2,6} +jami configuration\s*$/im.test(fs.readFileSync(file, "utf8").slice(0, 64 * 1024))) return file;
    } catch {}
  }
  return undefined;
}
