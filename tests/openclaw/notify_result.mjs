// The newest /jami --json reply of a notify call in OpenClaw's chat history
// (gateway call chat.history, on stdin), checked: spoken with OpenClaw's own
// voice (the provider named), every word said, ended by the skill.
//   node notify_result.mjs PROVIDER WORDS < history.json
// Exit 1: no such reply yet; 2: a reply that is wrong (printed).
import fs from "node:fs";

const [provider, words] = process.argv.slice(2);
let last = null;
const walk = (value) => {
  if (typeof value === "string") {
    if (value.includes('"said"') && value.includes("{")) last = value;
  } else if (value && typeof value === "object") Object.values(value).forEach(walk);
};
walk(JSON.parse(fs.readFileSync(0, "utf8")));
if (!last) process.exit(1);
const text = last.slice(last.indexOf("{"), last.lastIndexOf("}") + 1);
const result = JSON.parse(text);
const wrong = [];
if (result.voice?.by !== "openclaw" || result.voice?.provider !== provider) wrong.push(`not ${provider}'s voice`);
if (result.said?.text !== words || result.said?.complete !== true) wrong.push("the words were not all said");
if (result.call?.end_reason !== "hung_up_by_us") wrong.push("the call did not end by itself");
console.log(text.slice(0, 800));
if (wrong.length) {
  console.error(`FAIL: ${wrong.join("; ")}`);
  process.exit(2);
}
