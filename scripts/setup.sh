#!/usr/bin/env bash
# Installs everything the build, the app and the tests need on a fresh machine.
# Idempotent: each step is skipped when its tool is already at the pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pin in Cargo.toml
BINARYEN_VERSION=132

log() { printf '\n== %s\n' "$*"; }

log "wasm target"
rustup target add wasm32-unknown-unknown

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  log "trunk $TRUNK_VERSION"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --locked \
    || cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# Fuzzing (cargo fuzz) needs the nightly toolchain; on machines where it cannot be
# installed the fuzz scripts say so and skip.
if ! cargo +nightly --version >/dev/null 2>&1; then
  log "nightly toolchain (for cargo fuzz)"
  rustup toolchain install nightly --profile minimal || echo "nightly unavailable: fuzzing will be skipped"
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  log "cargo-fuzz"
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz || echo "cargo-fuzz unavailable: fuzzing will be skipped"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v firefox-esr >/dev/null; then
  log "chromium, chromedriver and firefox-esr (Debian) for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver firefox-esr
fi

log "npm tools (binaryen $BINARYEN_VERSION for wasm-opt, playwright-core and puppeteer-core for the browser tests)"
npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund

log "done"
