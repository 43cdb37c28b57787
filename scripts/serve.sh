#!/usr/bin/env bash
# Builds the browser app (release) and serves it on http://127.0.0.1:8080/ (or $PORT)
# with the walkthrough loaded. Assumes scripts/setup.sh ran.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if [ ! -x node_modules/.bin/wasm-opt ]; then
  npm ci --no-audit --no-fund
fi
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}"
