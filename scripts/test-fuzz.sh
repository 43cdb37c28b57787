#!/usr/bin/env bash
# The fuzz smoke run of the test command: a few seconds per target.
exec bash "$(dirname "$0")/fuzz.sh" "${FUZZ_SECONDS:-8}"
