// A scripted model on 127.0.0.1 for the OpenClaw tests: no LLM, no network.
// It speaks the OpenAI chat-completions API OpenClaw's "openai-completions"
// provider uses (GET /v1/models, POST /v1/chat/completions, streamed or not),
// logs every request body as one JSON line to LOG, and answers by rule:
//   - after a tool result: a final text, "Done: <the result>"
//   - a conversation where the user wrote "message bob" and no tool was
//     called yet: a call of the jami tool
//     (directly if the request offers it, else through tool_call)
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
  const asked = messages.some((m) => m.role === "user" && /message bob/i.test(textOf(m.content)));
  const called = messages.some((m) => m.role === "assistant" && m.tool_calls?.length);
  if (asked && !called) {
    const names = (body.tools ?? []).map((t) => t.function?.name ?? t.name);
    const args = { text: "send Bob hello from the agent" };
    if (names.includes("jami")) return { tool: { name: "jami", arguments: args } };
    return { tool: { name: "tool_call", arguments: { id: "jami", args } } };
  }
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
