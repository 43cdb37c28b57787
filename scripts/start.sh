#!/usr/bin/env bash
# The README's first command: sets up what the app needs (scripts/setup-app.sh: the wasm
# target, trunk, wasm-bindgen-cli, wasm-opt, the crates), builds the app and serves it on
# http://127.0.0.1:8080 (PORT changes it) with the walkthrough loaded.
#   scripts/start.sh          set up, build, serve (Ctrl+C stops)
#   scripts/start.sh --check  set up and build, then exit: 0 when the app was built
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: scripts/start.sh [--check]" >&2; exit 2 ;;
esac

source scripts/lib/steps.sh
bash scripts/setup-app.sh
step "build the app (trunk build --release)" bash scripts/build-app.sh
steps_summary
if [ "$check" = 1 ]; then
  echo "start.sh --check: the app is built in dist/"
  exit 0
fi
exec node scripts/serve.mjs dist "${PORT:-8080}"
