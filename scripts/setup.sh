#!/usr/bin/env bash
# Installs everything the test command (scripts/test.sh) needs on a fresh machine: what
# the app needs (scripts/setup-app.sh), then the test-only tools: the nightly toolchain
# and cargo-fuzz (fuzz smoke run), Debian's Chromium, ChromeDriver and Firefox ESR, and
# the npm test packages (playwright-core, puppeteer-core, axe-core). Idempotent: a tool
# already present is kept. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

source scripts/lib/steps.sh
bash scripts/setup-app.sh

nightly() {
  cargo +nightly --version >/dev/null 2>&1 && return 0
  # On machines where it cannot be installed the fuzz scripts say so and skip.
  rustup toolchain install nightly --profile minimal || echo "nightly unavailable: fuzzing will be skipped"
}
cargo_fuzz() {
  command -v cargo-fuzz >/dev/null 2>&1 && return 0
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz || echo "cargo-fuzz unavailable: fuzzing will be skipped"
}
browsers() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null \
    && command -v firefox-esr >/dev/null && return 0
  local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver firefox-esr
}
npm_test_tools() {
  [ -d node_modules/playwright-core ] && [ -d node_modules/puppeteer-core ] \
    && [ -d node_modules/axe-core ] && [ -x node_modules/.bin/wasm-opt ] && return 0
  npm ci --no-audit --no-fund
}

step "nightly toolchain (cargo fuzz)" nightly
step "cargo-fuzz" cargo_fuzz
step "chromium, chromedriver, firefox-esr (Debian)" browsers
step "npm test tools (playwright-core, puppeteer-core, axe-core)" npm_test_tools
steps_summary
