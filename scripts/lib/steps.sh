# Sourced by the set-up and start scripts: `step NAME COMMAND...` runs COMMAND under a
# heading and prints how long it took; `steps_summary` prints every step's time, those of
# the scripts it called included (the outermost script prints the summary).
if [ -z "${STEPS_LOG:-}" ]; then
  STEPS_LOG=$(mktemp -t license-lab-steps.XXXXXX)
  export STEPS_LOG
  _steps_outer=1
  _steps_start=$(date +%s)
fi

step() {
  local name=$1; shift
  printf '\n== %s\n' "$name"
  local t0; t0=$(date +%s)
  "$@"
  local dt=$(( $(date +%s) - t0 ))
  printf '%6s s  %s\n' "$dt" "$name" >>"$STEPS_LOG"
  printf -- '-- %s: %s s\n' "$name" "$dt"
}

steps_summary() {
  [ -n "${_steps_outer:-}" ] || return 0
  printf '\n== time per step\n'
  cat "$STEPS_LOG"
  printf '%6s s  in all\n' "$(( $(date +%s) - _steps_start ))"
  rm -f "$STEPS_LOG"
}
