#!/usr/bin/env bash
# Checks that two license-lab binaries print the same bytes for every existing command
# on every example (and the shared scenarios): state at a few times, run (csv, json,
# hourly), events (text, csv, json, filtered), check, size, compare. (`help` and the
# usage text are left out: they list the commands, so they grow with them.)
#   scripts/same-output.sh BASELINE_BIN NEW_BIN
set -u
base=$1 new=$2
cd "$(dirname "$0")/.."
fails=0 n=0
same() {
  n=$((n + 1))
  if ! cmp -s <("$base" "$@" 2>&1; echo "exit $?") <("$new" "$@" 2>&1; echo "exit $?"); then
    echo "DIFFERS: license-lab $*"
    fails=$((fails + 1))
  fi
}
files=(examples/*.toml)
[ -d ../shared/scenarios ] && files+=(../shared/scenarios/*.toml)
for f in "${files[@]}"; do
  same check "$f"
  for t in "day 0 00:00" "day 1 10:00" "day 2 12:00" "day 26 00:00" "day 29 09:00"; do
    same state "$f" --at "$t"
  done
  same run "$f"
  same run "$f" --format json
  same run "$f" --every 1h
  same events "$f"
  same events "$f" --format csv
  same events "$f" --format json
  same events "$f" --kind denied
  same events "$f" --rule LAP-7
  same compare "$f" examples/walkthrough.toml
done
same size --people 103 --passes 4
same size examples/sizing.toml --seeds 5 --threads 1
echo "$n commands compared, $fails differ"
[ "$fails" -eq 0 ]
