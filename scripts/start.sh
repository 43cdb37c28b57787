#!/usr/bin/env bash
# Sets up everything a fresh machine needs, then builds and serves the app on
# http://127.0.0.1:8080 with the walkthrough scenario loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec bash scripts/serve.sh "$@"
