#!/usr/bin/env bash
# The app in Firefox: a smoke test with Debian's firefox-esr and puppeteer-core (WebDriver
# BiDi). Uses the release build in dist/ (scripts/test-e2e.sh, which runs first, makes it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if ! command -v firefox-esr >/dev/null 2>&1; then
  echo "firefox: skipped, firefox-esr is not installed (scripts/setup.sh installs it)" >&2
  exit 0
fi
[ -d node_modules/puppeteer-core ] || npm ci --no-audit --no-fund
[ -f dist/index.html ] || trunk build --release
node tests/e2e/firefox.test.mjs
