#!/usr/bin/env bash
# The determinism test compiled to wasm32 and run under Node with wasm-bindgen-test: the
# browser build must reproduce the digests produced natively, byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test --release --target wasm32-unknown-unknown --test determinism
