#!/usr/bin/env bash
# Installs what the browser app's build needs, and nothing else: the wasm32 target,
# trunk, wasm-bindgen-cli (equal to the wasm-bindgen pin in Cargo.toml), wasm-opt (npm's
# binaryen; Debian's breaks wasm-bindgen's output) and every crate the build uses (Trunk
# runs cargo offline, see Trunk.toml). Idempotent: a tool already at its pinned version is
# kept. Run by scripts/start.sh; scripts/setup.sh (the tests' set-up) runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/lib/steps.sh

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pin in Cargo.toml
BINARYEN_VERSION=132

wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
}
trunk_cli() {
  trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION" && return 0
  cargo install trunk --version "$TRUNK_VERSION" --locked
}
wasm_bindgen_cli() {
  wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION" && return 0
  # --locked fails on a crate version missing from the registry: then resolve afresh.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --locked \
    || cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
}
wasm_opt() {
  node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION" && return 0
  # Only the build's npm package (binaryen); the test tools are devDependencies.
  npm ci --omit=dev --no-audit --no-fund
}
crates() {
  # Every target's crates (the app's wasm32 crates included): Trunk builds offline.
  cargo fetch --locked
}

step "wasm32 target" wasm_target
step "trunk $TRUNK_VERSION" trunk_cli
step "wasm-bindgen-cli $WASM_BINDGEN_VERSION" wasm_bindgen_cli
step "wasm-opt (npm binaryen $BINARYEN_VERSION)" wasm_opt
step "crates (cargo fetch)" crates
steps_summary
