#!/usr/bin/env bash
# Serves an existing build (dist/, made by scripts/start.sh or scripts/build-app.sh) on
# http://127.0.0.1:8080 (or $PORT), without building.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f dist/index.html ]; then
  echo "serve: no build in dist/; run scripts/start.sh" >&2
  exit 1
fi
exec node scripts/serve.mjs dist "${PORT:-8080}"
