#!/usr/bin/env bash
# Quick start: installs what is missing, brings the local infrastructure up, builds, migrates and
# starts all seven services, loads the demo data into empty databases (--no-demo skips it), then
# prints the demo channel keys and the gateway URL. Ctrl-C stops everything cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "Node.js 20 is required: install it from your distribution or https://nodejs.org" >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "› installing npm dependencies"
  npm install --no-audit --no-fund
fi
node tools/infra/cli.js up
node tools/build.mjs
exec node tools/dev/up.mjs "$@"
