#!/usr/bin/env bash
# Builds the browser app (trunk build --release into dist/). On failure: exit 1 with the
# compiler's first error printed last, and no dist/ left behind to be served by mistake.
# Assumes scripts/setup-app.sh ran.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
log=$(mktemp -t license-lab-build.XXXXXX)
if trunk build --release 2>&1 | tee "$log"; then
  if [ -f dist/index.html ] && ls dist/*.wasm >/dev/null 2>&1; then
    rm -f "$log"
    exit 0
  fi
  echo "build: trunk finished but dist/ has no index.html and wasm" >&2
else
  rm -rf dist
  printf '\n== the build failed; its first error:\n' >&2
  # The first compiler error (rustc's `error…` line and what follows, up to a blank
  # line), else trunk's own error line.
  first=$(awk '/^error(\[|:)/ {on=1} on && /^$/ {exit} on {print}' "$log" | head -40)
  [ -n "$first" ] || first=$(grep -m1 -iE 'error' "$log" || tail -5 "$log")
  printf '%s\n\n(whole log: %s)\n' "$first" "$log" >&2
fi
exit 1
