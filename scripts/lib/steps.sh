# Sourced by the set-up and start scripts: `step NAME COMMAND...` runs COMMAND under a
# heading and prints how long it took; `steps_summary` prints every step's time.
_steps_start=$(date +%s)
_steps_times=()

step() {
  local name=$1; shift
  printf '\n== %s\n' "$name"
  local t0; t0=$(date +%s)
  "$@"
  local dt=$(( $(date +%s) - t0 ))
  _steps_times+=("$(printf '%6s s  %s' "$dt" "$name")")
  printf -- '-- %s: %s s\n' "$name" "$dt"
}

steps_summary() {
  printf '\n== time per step\n'
  local line
  for line in "${_steps_times[@]}"; do printf '%s\n' "$line"; done
  printf '%6s s  in all\n' "$(( $(date +%s) - _steps_start ))"
}
