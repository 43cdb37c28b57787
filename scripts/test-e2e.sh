#!/usr/bin/env bash
# The browser end-to-end tests: builds the app (scripts/build-app.sh into dist/), then
# tests/e2e/app.test.mjs serves dist/ on localhost and drives Debian's Chromium with
# playwright-core. Screenshots go to test-output/. Run by scripts/test.sh; assumes
# scripts/setup.sh ran (trunk, wasm-bindgen-cli, the wasm target, chromium, npm packages).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi

bash scripts/build-app.sh
# The tools' test compares downloads with the command line's output.
cargo build --quiet --bin license-lab
node tests/e2e/app.test.mjs
node tests/e2e/tools.test.mjs
# Issue 14 (what-if on history): imports, IndexedDB, the 1,000,000-session budget.
node tests/e2e/import.test.mjs
# Issue 15 (lives and reasons): the pass, allocation and person lanes, a count's events.
node tests/e2e/lanes.test.mjs
# Issue 11 (first contact): one file per item, and the accessibility check (axe-core).
for t in keep form names teach phone sizing a11y; do
  node "tests/e2e/$t.test.mjs"
done
# Issue 15, part 3 (sizing as a decision): the sentence, the chart, CSV, the share link,
# SIZE-1's calculator.
node tests/e2e/decision.test.mjs
# Issue 15, part 4 (Compare leads with the answer): the sentence, figures and charts in order.
node tests/e2e/compare.test.mjs
# Issue 15, part 5 (use rights, checked): the warnings beside the check status.
node tests/e2e/rights.test.mjs
