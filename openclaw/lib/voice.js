// The assistant's voice in notify calls: the words a call should say,
// spoken with OpenClaw's own text to speech (the provider the user
// configured under `tts`), handed to the library as samples (say_pcm) beside
// the request. When OpenClaw has no telephony voice, or the user chose
// "espeak", the library speaks with espeak-ng as it does for every host.

import fs from "node:fs";

// The library takes requests of at most 1 MiB; the samples travel as base64.
const MAX_PCM_BASE64 = 900 * 1024;

const KNOWN_ACTIONS = new Set(
  JSON.parse(fs.readFileSync(new URL("./actions.json", import.meta.url), "utf8")).actions.map((a) => a.action),
);

// What a request would say in a call, or null: a structured call.start with
// `say`, or a sentence the library reads as one ("call Bob and tell him ...").
async function wordsToSay(request, ask) {
  if (!request || typeof request !== "object" || request.dry_run === true) return null;
  if (request.action === "call.start") return typeof request.say === "string" && request.say.trim() ? request.say : null;
  // A sentence decides even beside an action the library does not know
  // (docs/abi.md): what it would say is read from the sentence.
  if (typeof request.text !== "string" || (request.action !== undefined && KNOWN_ACTIONS.has(request.action))) return null;
  const parsed = await ask({ action: "intent.parse", text: request.text });
  const say = parsed?.ok && parsed.intent === "call.start" ? parsed.slots?.say : null;
  return typeof say === "string" && say.trim() ? say : null;
}

// 16-bit mono samples from `rate` to `target` Hz (linear interpolation:
// speech for a phone call, not music).
function resample(samples, rate, target) {
  const input = new Int16Array(samples.buffer, samples.byteOffset, Math.floor(samples.byteLength / 2));
  const out = new Int16Array(Math.floor((input.length * target) / rate));
  const step = rate / target;
  for (let i = 0; i < out.length; i++) {
    const at = i * step;
    const k = Math.floor(at);
    const next = input[Math.min(k + 1, input.length - 1)];
    out[i] = Math.round(input[k] + (next - input[k]) * (at - k));
  }
  return Buffer.from(out.buffer);
}

// The samples as say_pcm, at the highest of their rate, 16 kHz or 8 kHz
// that fits in one request; null when none does.
function fittingPcm(audio, rate) {
  for (const target of [...new Set([rate, 16000, 8000])].filter((t) => t <= rate)) {
    const samples = target === rate ? audio : resample(audio, rate, target);
    const data = samples.toString("base64");
    if (data.length <= MAX_PCM_BASE64) return { sample_rate: target, data };
  }
  return null;
}

// `request` with OpenClaw's voice when it would speak in a call, and what
// was decided: {request, voice} where voice is null (nothing to say) or
// {by: "openclaw", provider, ...} or {by: "espeak-ng", why}.
// `ask` sends a request to the library; `tts` is api.runtime.tts.
export async function withOwnVoice(request, { ask, tts, cfg, mode }) {
  let words;
  try {
    words = await wordsToSay(request, ask);
  } catch {
    words = null; // the request itself will say what is wrong
  }
  if (!words) return { request, voice: null };
  if (mode === "espeak") return { request, voice: { by: "espeak-ng", why: "the plugin's speech setting is espeak" } };
  // Nothing is synthesized (a provider may bill for it) unless the user
  // turned voice on: the library would refuse the call anyway.
  const policy = await ask({ action: "policy.show" }).catch(() => null);
  if (!policy?.ok || policy.policy?.voice !== true) return { request, voice: null };
  if (typeof tts?.textToSpeechTelephony !== "function")
    return { request, voice: { by: "espeak-ng", why: "this OpenClaw has no telephony text to speech" } };
  const said = await spoken(words, tts, cfg);
  if (said.why) return { request, voice: { by: "espeak-ng", why: said.why } };
  const out = { ...request, say_pcm: said.pcm };
  // The question of a structured request ("Did you get it?") in the same
  // voice; if that fails, the library asks it with espeak-ng.
  let question = null;
  if (request.action === "call.start" && typeof request.ask === "string" && request.ask.trim()) {
    const asked = await spoken(request.ask, tts, cfg);
    if (asked.pcm) out.ask_pcm = asked.pcm;
    question = asked.pcm ? "openclaw" : "espeak-ng";
  }
  const voice = { by: "openclaw", provider: said.provider, sample_rate: said.pcm.sample_rate };
  if (question) voice.question = question;
  return { request: out, voice };
}

// `text` as say_pcm in OpenClaw's telephony voice: {pcm, provider}, or
// {why} when there is none.
async function spoken(text, tts, cfg) {
  let clip;
  try {
    clip = await tts.textToSpeechTelephony({ text, cfg });
  } catch (error) {
    clip = { success: false, error: error?.message ?? String(error) };
  }
  if (!clip?.success || !clip.audioBuffer || clip.outputFormat !== "pcm" || !(clip.sampleRate > 0))
    return { why: `OpenClaw's text to speech gave no telephony audio (${clip?.error ?? "no PCM"})` };
  const pcm = fittingPcm(Buffer.from(clip.audioBuffer), clip.sampleRate);
  if (!pcm) return { why: "OpenClaw's speech is too long for one request" };
  return { pcm, provider: clip.provider ?? null };
}
