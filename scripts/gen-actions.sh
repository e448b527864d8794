#!/usr/bin/env bash
# Writes the OpenClaw plugin's list of actions (openclaw/lib/actions.json)
# from the library's own action table (jamictl --json help), so that the
# jami tool's `action` enum cannot drift from what the library runs; the
# test openclaw.actions_table checks that the committed file is what this
# prints.
#   scripts/gen-actions.sh JAMICTL > openclaw/lib/actions.json
set -euo pipefail
"$1" --json help | node -e '
let raw = "";
process.stdin.on("data", (d) => (raw += d));
process.stdin.on("end", () => {
  const help = JSON.parse(raw);
  const actions = help.actions.map(({ action, summary }) => ({ action, summary }));
  process.stdout.write(JSON.stringify({ generated_by: "scripts/gen-actions.sh from jamictl --json help", actions }, null, 2) + "\n");
});'
