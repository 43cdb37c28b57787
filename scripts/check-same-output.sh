#!/usr/bin/env bash
# The command line's output, byte for byte, against another revision's: a reshaping of the
# code must not change what `license-lab` prints (issue 13).
#
#   scripts/check-same-output.sh [REV]        REV defaults to main
#
# Builds REV's `license-lab` from a scratch copy of its tree (`git archive`, so the
# repository's worktrees are not touched) with its own target dir, builds the current
# tree's, then runs both on every file of examples/, examples/import/, the shared
# scenarios, tests/fuzz-regressions/ and scripts/same-output/ (bad input). Per scenario:
# check; state --at (eight times); run (csv, json, hourly, 6-hourly csv); events (text,
# csv, json, --kind denied, --rule LAP-7); size --seeds 3; compare with the next file and
# with the walkthrough (text, --answer, json); lanes (the first group, as json in blocks,
# the allocations, the first user as json); why (text, json). Then every import (and the
# imported scenario read back: check, run, events) and the sizing commands (--people,
# --seeds, --grow). `help` and the usage text are left out: they list the commands, so
# they grow with them. Compares stdout, stderr and the exit code of every command; prints
# a diff of each difference and exits 1 if there is one, 0 if every byte is the same.
#
#   SAME_OUTPUT_DIR      scratch directory (default /tmp/license-lab-same-output); the copy
#                        of REV and its target dir are kept there, so a second run is quick
#   SAME_OUTPUT_PROFILE  release (default; the sizing commands are slow in debug) or debug
#   SHARED               the shared specs (default: ../shared next to the repository, or
#                        next to the main worktree)
set -euo pipefail

rev="${1:-main}"
root="$(git rev-parse --show-toplevel)"
cd "$root"
common="$(cd "$(git rev-parse --git-common-dir)" && pwd)"
shared="${SHARED:-}"
if [ -z "$shared" ]; then
    for s in "$root/../shared" "$common/../../shared"; do
        if [ -d "$s/scenarios" ]; then
            shared="$(cd "$s" && pwd)"
            break
        fi
    done
fi
scratch="${SAME_OUTPUT_DIR:-/tmp/license-lab-same-output}"
profile="${SAME_OUTPUT_PROFILE:-release}"
case "$profile" in
    release) profile_flag=(--release) ;;
    debug) profile_flag=() ;;
    *)
        echo "check-same-output: SAME_OUTPUT_PROFILE is release or debug, not $profile" >&2
        exit 2
        ;;
esac
sha="$(git rev-parse --verify --quiet "$rev^{commit}")" || {
    echo "check-same-output: unknown revision $rev" >&2
    exit 2
}
mkdir -p "$scratch"

# REV's tree, exported once per commit.
base_src="$scratch/src-$sha"
if [ ! -f "$base_src/Cargo.toml" ]; then
    rm -rf "$base_src.partial"
    mkdir -p "$base_src.partial"
    git archive "$sha" | tar -x -C "$base_src.partial"
    mv "$base_src.partial" "$base_src"
fi

echo "building $rev (${sha:0:12}) in $base_src ($profile) ..." >&2
cargo build --quiet "${profile_flag[@]}" --bin license-lab \
    --manifest-path "$base_src/Cargo.toml" --target-dir "$scratch/target"
base_bin="$scratch/target/$profile/license-lab"
echo "building the current tree ($profile) ..." >&2
cargo build --quiet "${profile_flag[@]}" --bin license-lab
current_bin="$root/target/$profile/license-lab"

# The inputs, as the commands name them: paths relative to the repository, and the shared
# scenarios as shared/scenarios/NAME (the run directory links `shared`).
scenarios=()
for f in examples/*.toml tests/fuzz-regressions/*.toml; do
    [ -f "$f" ] && scenarios+=("$f")
done
if [ -n "$shared" ]; then
    for f in "$shared"/scenarios/*.toml; do
        [ -f "$f" ] && scenarios+=("shared/scenarios/$(basename "$f")")
    done
else
    echo "check-same-output: no shared scenarios found (set SHARED)" >&2
fi
bad=()
for f in scripts/same-output/*.toml; do
    [ -f "$f" ] && bad+=("$f")
done
imports=()
for f in examples/import/*; do
    case "$f" in *.md) ;; *) imports+=("$f") ;; esac
done
# The file behind a command's path (shared/... is outside the repository).
real() { case "$1" in shared/*) echo "$shared/${1#shared/}" ;; *) echo "$1" ;; esac; }
# The first `name` of a `[[SECTION]]` table of a scenario file.
first_name() {
    awk -v s="[[$2]]" '$0 == s {t = 1; next} /^\[/ {t = 0} t && /^name *=/ {
        sub(/^name *= *"/, ""); sub(/".*$/, ""); print; exit }' "$(real "$1")"
}

# One command a line, its words separated by tabs; `@import N` lines import into
# imported-N.toml, which later lines name.
commands="$scratch/commands.txt"
{
    n=${#scenarios[@]}
    for ((i = 0; i < n; i++)); do
        f="${scenarios[i]}"
        printf 'check\t%s\n' "$f"
        for at in "day 0 00:00" "day 1 09:30" "day 1 10:00" "day 2 12:00" "day 3 12:00" \
            "day 9 23:59" "day 26 00:00" "day 29 09:00"; do
            printf 'state\t%s\t--at\t%s\n' "$f" "$at"
        done
        printf 'run\t%s\n' "$f"
        printf 'run\t%s\t--format\tjson\n' "$f"
        printf 'run\t%s\t--every\t1h\n' "$f"
        printf 'run\t%s\t--every\t6h\t--format\tcsv\n' "$f"
        printf 'events\t%s\n' "$f"
        printf 'events\t%s\t--format\tcsv\n' "$f"
        printf 'events\t%s\t--format\tjson\n' "$f"
        printf 'events\t%s\t--kind\tdenied\n' "$f"
        printf 'events\t%s\t--rule\tLAP-7\n' "$f"
        printf 'size\t%s\t--seeds\t3\n' "$f"
        printf 'compare\t%s\t%s\n' "$f" "${scenarios[(i + 1) % n]}"
        printf 'compare\t%s\texamples/walkthrough.toml\n' "$f"
        printf 'compare\texamples/walkthrough.toml\t%s\t--answer\n' "$f"
        printf 'compare\t%s\texamples/walkthrough.toml\t--format\tjson\n' "$f"
        group="$(first_name "$f" group)"
        user="$(first_name "$f" user)"
        if [ -n "$group" ]; then
            printf 'lanes\t%s\t--group\t%s\n' "$f" "$group"
            printf 'lanes\t%s\t--group\t%s\t--format\tjson\t--block\t5\n' "$f" "$group"
        fi
        printf 'lanes\t%s\t--allocations\n' "$f"
        if [ -n "$user" ]; then
            printf 'lanes\t%s\t--user\t%s\t--format\tjson\n' "$f" "$user"
        fi
        printf 'why\t%s\t--at\tday 1 10:00\n' "$f"
        printf 'why\t%s\t--at\tday 26 00:00\t--format\tjson\n' "$f"
    done
    printf 'size\t--people\t103\t--passes\t4\n'
    printf 'size\texamples/sizing.toml\t--seeds\t5\t--threads\t1\n'
    printf 'size\texamples/sizing.toml\t--seeds\t3\t--threads\t1\t--grow\t20\n'
    for f in "${bad[@]}"; do
        printf 'check\t%s\n' "$f"
        printf 'state\t%s\t--at\tday 1 09:00\n' "$f"
    done
    i=0
    for f in "${imports[@]}"; do
        printf '@import %d\t%s\n' "$i" "$f"
        i=$((i + 1))
    done
    qrs=()
    for f in examples/import/qrs-*.json; do qrs+=("$f"); done
    printf '@import %d' "$i"
    printf '\t%s' "${qrs[@]}"
    printf '\n'
    i=$((i + 1))
    printf '@import %d\t--pseudonyms\t--name\tpseudonymous\texamples/import/sessions.csv\n' "$i"
    i=$((i + 1))
    printf '@import %d\t--columns\tuser=Person,start=Began,duration=Minutes,device=Terminal\texamples/import/sessions-mapped.tsv\n' "$i"
    i=$((i + 1))
    printf '@import %d\t--skip-bad\texamples/import/sessions.csv\texamples/import/AuditActivity_Proxy.txt\n' "$i"
    for ((j = 0; j <= i; j++)); do
        printf 'check\tOUT/imported-%d.toml\n' "$j"
        printf 'run\tOUT/imported-%d.toml\t--format\tjson\n' "$j"
        printf 'events\tOUT/imported-%d.toml\n' "$j"
    done
} >"$commands"

# Runs every command with one binary, from $scratch/run (links to the inputs, and `out`
# to the side's own directory, so that both sides name every file alike); each output in
# OUT/NNNN.{out,err,rc}.
run_all() {
    local bin="$1" out="$2" n=0 line
    rm -rf "$out"
    mkdir -p "$out"
    ln -sfn "$out" "$scratch/run/out"
    while IFS= read -r line; do
        local id words k
        id=$(printf '%04d' "$n")
        n=$((n + 1))
        IFS=$'\t' read -r -a words <<<"$line"
        for k in "${!words[@]}"; do
            words[k]="${words[k]//OUT\//out/}"
        done
        if [[ "${words[0]}" == @import* ]]; then
            (cd "$scratch/run" && "$bin" import "${words[@]:1}" >"$out/$id.out" 2>"$out/$id.err") &&
                echo 0 >"$out/$id.rc" || echo $? >"$out/$id.rc"
            cp "$out/$id.out" "$out/imported-${words[0]#@import }.toml"
        else
            (cd "$scratch/run" && "$bin" "${words[@]}" >"$out/$id.out" 2>"$out/$id.err") &&
                echo 0 >"$out/$id.rc" || echo $? >"$out/$id.rc"
        fi
    done <"$commands"
}

# Commands run from $scratch/run, which links the repository's inputs by their names.
mkdir -p "$scratch/run"
for d in examples tests scripts; do ln -sfn "$root/$d" "$scratch/run/$d"; done
if [ -n "$shared" ]; then ln -sfn "$shared" "$scratch/run/shared"; fi

echo "running $(wc -l <"$commands") commands with each build ..." >&2
run_all "$base_bin" "$scratch/out-base"
run_all "$current_bin" "$scratch/out-current"

status=0
differ=0
n=0
while IFS= read -r line; do
    id=$(printf '%04d' "$n")
    n=$((n + 1))
    for part in out err rc; do
        a="$scratch/out-base/$id.$part"
        b="$scratch/out-current/$id.$part"
        if ! cmp -s "$a" "$b"; then
            if [ "$status" = 0 ]; then echo "differences from $rev (${sha:0:12}):"; fi
            status=1
            differ=$((differ + 1))
            echo "=== license-lab ${line//$'\t'/ } ($part)"
            diff -u --label "$rev" --label current "$a" "$b" | head -n 60 || true
        fi
    done
done <"$commands"

if [ "$status" = 0 ]; then
    echo "same output as $rev (${sha:0:12}): $n commands, stdout, stderr and exit code each"
else
    echo "$differ outputs of $n commands differ from $rev (${sha:0:12})"
fi
exit "$status"
