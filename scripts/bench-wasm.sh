#!/usr/bin/env bash
# The engine benchmark in wasm under Node beside the native figures, with the ratio.
# Manual (not part of the test command): cargo build and run take a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=600
wasm_out=$(cargo test --release --target wasm32-unknown-unknown --test wasm_bench -- --nocapture 2>&1 | grep -o 'wasm {.*}' || true)
cargo build --release --quiet
printf '%8s %12s %12s %12s %8s\n' people "native s" "wasm s" "wasm ev/s" "ratio"
for people in 1000 20000 100000; do
  native=$(./target/release/license-lab bench --case "explicit:$people" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
  line=$(printf '%s\n' "$wasm_out" | grep "\"people\":$people," || true)
  wasm=$(printf '%s' "$line" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
  evs=$(printf '%s' "$line" | sed 's/.*"events_per_s":\([0-9]*\).*/\1/')
  ratio=$(python3 -c "print(f'{$wasm/$native:.2f}x')" 2>/dev/null || echo "?")
  printf '%8s %12s %12s %12s %8s\n' "$people" "$native" "$wasm" "$evs" "$ratio"
done
