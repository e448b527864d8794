// A scripted model on 127.0.0.1 for the OpenClaw tests: no LLM, no network.
// It speaks the OpenAI chat-completions API OpenClaw's "openai-completions"
// provider uses (GET /v1/models, POST /v1/chat/completions, streamed or not),
// logs every request body as one JSON line to LOG, and answers by rule:
//   - after a tool result: a final text, "Done: <the result>"
//   - a conversation where the user wrote "message bob" and no tool was
//     called since: a call of the jami tool
//     (directly if the request offers it, else through tool_call)
//   - a conversation where the user wrote "call bob with the tool" and no
//     tool was called since: the tool with {"action":"call","text":"call bob"}
//     (what a real model sent: a free-form action beside a clear text)
//   - "ring bob via the tool": the tool with {"text":"call bob"}
//   - a message with "ping-WORD" (a Jami peer writing through the channel):
//     "pong-WORD" for the newest one
//   - anything else (a heartbeat with system events, ...): "OK"
//   node model_server.mjs PORT LOG
import fs from "node:fs";
import http from "node:http";

const [port, log] = process.argv.slice(2);
let counter = 0;

function textOf(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === "string" ? p : p.text ?? "")).join("");
  return "";
}

function answer(body) {
  const messages = body.messages ?? [];
  const last = messages.at(-1) ?? {};
  if (last.role === "tool") return { text: `Done: ${textOf(last.content).slice(0, 300)}` };
  // OpenClaw appends its own context as a further user message: look at all
  // of them, and call the tool only once per conversation.
  // Asked (a user message matching) and no tool called since: once per request.
  const askedAnew = (pattern) => {
    const at = messages.findLastIndex((m) => m.role === "user" && pattern.test(textOf(m.content)));
    return at >= 0 && !messages.slice(at).some((m) => m.role === "assistant" && m.tool_calls?.length);
  };
  const callTool = (args) => {
    const names = (body.tools ?? []).map((t) => t.function?.name ?? t.name);
    if (names.includes("jami")) return { tool: { name: "jami", arguments: args } };
    return { tool: { name: "tool_call", arguments: { id: "jami", args } } };
  };
  if (askedAnew(/message bob/i)) return callTool({ text: "send Bob hello from the agent" });
  if (askedAnew(/call bob with the tool/i)) return callTool({ action: "call", text: "call bob" });
  if (askedAnew(/ring bob via the tool/i)) return callTool({ text: "call bob" });
  const pings = messages.filter((m) => m.role === "user").flatMap((m) => textOf(m.content).match(/ping-\w+/g) ?? []);
  if (pings.length) return { text: pings.at(-1).replace("ping-", "pong-") };
  return { text: "OK" };
}

function send(res, body, reply) {
  const id = `chatcmpl-${++counter}`;
  const created = Math.floor(Date.now() / 1000);
  const toolCalls = reply.tool
    ? [{ index: 0, id: `call_${counter}`, type: "function", function: { name: reply.tool.name, arguments: JSON.stringify(reply.tool.arguments) } }]
    : undefined;
  const finish = reply.tool ? "tool_calls" : "stop";
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({
      id, object: "chat.completion", created, model: body.model,
      choices: [{ index: 0, finish_reason: finish, message: { role: "assistant", content: reply.text ?? null, tool_calls: toolCalls } }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (delta, finish_reason = null, extra = {}) =>
    res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason }], ...extra })}\n\n`);
  chunk({ role: "assistant", content: "" });
  if (reply.tool) chunk({ tool_calls: toolCalls });
  else chunk({ content: reply.text });
  chunk({}, finish, { usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
  res.write("data: [DONE]\n\n");
  res.end();
}

http
  .createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      let body = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {}
      fs.appendFileSync(log, JSON.stringify({ method: req.method, url: req.url, body }) + "\n");
      if (req.method === "GET" && req.url.startsWith("/v1/models")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ object: "list", data: [{ id: "scripted", object: "model", owned_by: "test" }] }));
        return;
      }
      if (req.method === "POST" && req.url.startsWith("/v1/chat/completions")) return send(res, body, answer(body));
      res.writeHead(404);
      res.end();
    });
  })
  .listen(Number(port), "127.0.0.1", () => console.log(`model server on 127.0.0.1:${port}`));
