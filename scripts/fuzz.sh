#!/usr/bin/env bash
# Fuzzing with cargo fuzz (nightly): the scenario parser on arbitrary bytes and the engine
# on structurally valid random scenarios, each for SECONDS (default 60).
#   scripts/fuzz.sh          # 60 s each (the documented long run)
#   scripts/fuzz.sh 10       # a smoke run
# A crash leaves its input in fuzz/artifacts/TARGET/; copy it into tests/fuzz-regressions/
# (parse inputs as they are) so `cargo test` keeps it fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${1:-60}"
if ! cargo +nightly --version >/dev/null 2>&1 || ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "fuzz: skipped, needs the nightly toolchain and cargo-fuzz (scripts/setup.sh installs them where it can)" >&2
  exit 0
fi
cd fuzz
mkdir -p corpus/parse corpus/engine
cp ../examples/*.toml corpus/parse/
cargo +nightly fuzz build -O 2>&1 | tail -1
for target in parse engine; do
  log=$(mktemp)
  if ! cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $target found a crash; its input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  runs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1)
  echo "fuzz $target: $runs in ${seconds} s, no crash"
  rm -f "$log"
done
