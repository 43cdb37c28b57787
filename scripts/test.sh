#!/usr/bin/env bash
# Runs every test: formatting, lints, the native test suite (rules, scenarios, property
# tests, CLI), and the browser end-to-end test when the app is present.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings (native)"
cargo clippy --all-targets -- -D warnings

step "cargo clippy -D warnings (the browser app, wasm32)"
cargo clippy --target wasm32-unknown-unknown --features app --lib --bins -- -D warnings

step "cargo test (native)"
cargo test --all-targets

for extra in scripts/test-*.sh; do
  [ -e "$extra" ] || continue
  step "$extra"
  bash "$extra"
done

step "all tests passed"
