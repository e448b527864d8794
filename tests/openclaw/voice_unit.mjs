// The plugin's choice of voice (openclaw/lib/voice.js) without OpenClaw: a
// recorded library and a scripted text to speech stand in for the two, so
// each decision is seen: nothing synthesized for a dry run, with voice off
// or with speech "espeak"; OpenClaw's PCM as say_pcm (and ask_pcm) when it
// has some; espeak-ng and the reason when it has none; samples resampled to
// fit one request. The real thing runs in openclaw.live (step 7).
//   node voice_unit.mjs
import assert from "node:assert/strict";
import { withOwnVoice } from "../../openclaw/lib/voice.js";

function library({ voice = true, parsed = null } = {}) {
  const asked = [];
  return {
    asked,
    ask: async (request) => {
      asked.push(request.action);
      if (request.action === "policy.show") return { ok: true, policy: { voice } };
      if (request.action === "intent.parse") return parsed ?? { ok: true, intent: "call.list", slots: {} };
      throw new Error(`unexpected ${request.action}`);
    },
  };
}

function speech({ rate = 16000, seconds = 1, fail = null } = {}) {
  const texts = [];
  return {
    texts,
    tts: {
      textToSpeechTelephony: async ({ text }) => {
        texts.push(text);
        if (fail) return { success: false, error: fail };
        return { success: true, provider: "scripted", outputFormat: "pcm", sampleRate: rate,
                 audioBuffer: Buffer.alloc(Math.round(rate * seconds) * 2, 1) };
      },
    },
  };
}

const notify = { action: "call.start", contact: "Bob", say: "the build is broken" };
let passed = 0;
async function check(name, body) {
  await body();
  passed++;
  console.log(`ok - ${name}`);
}

await check("OpenClaw's voice says it, as samples", async () => {
  const lib = library(), tts = speech();
  const { request, voice } = await withOwnVoice(notify, { ask: lib.ask, tts: tts.tts, cfg: {} });
  assert.deepEqual(tts.texts, ["the build is broken"]);
  assert.equal(request.say, "the build is broken");
  assert.equal(request.say_pcm.sample_rate, 16000);
  assert.equal(Buffer.from(request.say_pcm.data, "base64").length, 32000);
  assert.deepEqual(voice, { by: "openclaw", provider: "scripted", sample_rate: 16000 });
});

await check("the question in the same voice", async () => {
  const lib = library(), tts = speech();
  const { request, voice } = await withOwnVoice({ ...notify, ask: "did you get it?" }, { ask: lib.ask, tts: tts.tts });
  assert.deepEqual(tts.texts, ["the build is broken", "did you get it?"]);
  assert.ok(request.ask_pcm.data.length > 0);
  assert.equal(voice.question, "openclaw");
});

await check("a sentence that says something: read by the library, then spoken", async () => {
  const lib = library({ parsed: { ok: true, intent: "call.start", slots: { contact: "Bob", say: "I'm late" } } });
  const tts = speech();
  const { request } = await withOwnVoice({ text: "call Bob and tell him I'm late" }, { ask: lib.ask, tts: tts.tts });
  assert.deepEqual(tts.texts, ["I'm late"]);
  assert.equal(request.text, "call Bob and tell him I'm late");
  assert.ok(request.say_pcm);
  // Beside an action the library does not know, the sentence still decides.
  const beside = await withOwnVoice({ action: "call", text: "call Bob and tell him I'm late" }, { ask: lib.ask, tts: tts.tts });
  assert.deepEqual(tts.texts, ["I'm late", "I'm late"]);
  assert.ok(beside.request.say_pcm);
});

await check("nothing synthesized: voice off, dry run, espeak chosen, nothing to say", async () => {
  for (const [request, options] of [
    [notify, { lib: library({ voice: false }) }],
    [{ ...notify, dry_run: true }, { lib: library() }],
    [notify, { lib: library(), mode: "espeak" }],
    [{ text: "call Bob" }, { lib: library() }],
    [{ action: "call.list" }, { lib: library() }],
  ]) {
    const tts = speech();
    const out = await withOwnVoice(request, { ask: options.lib.ask, tts: tts.tts, mode: options.mode });
    assert.deepEqual(tts.texts, [], JSON.stringify(request));
    assert.equal(out.request, request);
  }
});

await check("no telephony voice: espeak-ng, and why", async () => {
  const lib = library(), tts = speech({ fail: "unsupported_for_telephony" });
  const { request, voice } = await withOwnVoice(notify, { ask: lib.ask, tts: tts.tts });
  assert.equal(request.say_pcm, undefined);
  assert.equal(voice.by, "espeak-ng");
  assert.match(voice.why, /unsupported_for_telephony/);
  const none = await withOwnVoice(notify, { ask: lib.ask, tts: undefined });
  assert.equal(none.voice.by, "espeak-ng");
});

await check("samples too big for one request: resampled to 16 kHz, then 8 kHz, then none", async () => {
  const lib = library();
  let out = await withOwnVoice(notify, { ask: lib.ask, tts: speech({ rate: 24000, seconds: 20 }).tts });
  assert.equal(out.request.say_pcm.sample_rate, 16000);
  out = await withOwnVoice(notify, { ask: lib.ask, tts: speech({ rate: 24000, seconds: 40 }).tts });
  assert.equal(out.request.say_pcm.sample_rate, 8000);
  out = await withOwnVoice(notify, { ask: lib.ask, tts: speech({ rate: 24000, seconds: 90 }).tts });
  assert.equal(out.voice.by, "espeak-ng");
  assert.match(out.voice.why, /too long/);
});

console.log(`${passed} passed`);
