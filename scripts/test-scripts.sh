#!/usr/bin/env bash
# The scripts' own tests (tests/scripts/*.test.sh): start.sh's build step on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
for t in tests/scripts/*.test.sh; do bash "$t"; done
