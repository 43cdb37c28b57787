#!/usr/bin/env bash
# Checks that two license-lab binaries print the same bytes for every existing command
# on every example (and the shared scenarios): state at a few times, run (csv, json,
# hourly), events (text, csv, json, filtered), check, size, compare (text, json, answer),
# lanes (a group, the allocations, a user), why, and import of every example export.
# (`help` and the usage text are left out: they list the commands, so they grow with them.)
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
  same compare examples/walkthrough.toml "$f" --answer
  same compare "$f" examples/walkthrough.toml --format json
  # The first group and the first user of the file, for the lanes.
  group=$(awk '/^\[\[group\]\]/{g=1;next} g&&/^name *=/{gsub(/^name *= *"|".*$/,"");print;exit}' "$f")
  user=$(awk '/^\[\[user\]\]/{u=1;next} u&&/^name *=/{gsub(/^name *= *"|".*$/,"");print;exit}' "$f")
  [ -n "$group" ] && same lanes "$f" --group "$group"
  [ -n "$group" ] && same lanes "$f" --group "$group" --format json --block 5
  same lanes "$f" --allocations
  [ -n "$user" ] && same lanes "$f" --user "$user" --format json
  same why "$f" --at "day 1 10:00"
  same why "$f" --at "day 26 00:00" --format json
done
for f in examples/import/*.csv examples/import/*.json examples/import/*.txt; do
  same import "$f"
done
same import examples/import/qrs-*.json
same import --columns user=Person,start=Began,duration=Minutes,device=Terminal examples/import/sessions-mapped.tsv
same size examples/sizing.toml --seeds 3 --threads 1 --grow 20
same size --people 103 --passes 4
same size examples/sizing.toml --seeds 5 --threads 1
echo "$n commands compared, $fails differ"
[ "$fails" -eq 0 ]
