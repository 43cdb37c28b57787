#!/usr/bin/env bash
# The README's test command: installs what the tests need (scripts/setup.sh, skipped for
# tools already present), then runs every test: formatting, lints, the native test suite
# (rules, scenarios, property tests, CLI), the wasm determinism test, the fuzz smoke run,
# the browser end-to-end tests (Chromium) and the Firefox smoke test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
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
