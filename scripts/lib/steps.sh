# Sourced by scripts/test and scripts/sweep: announced, timed steps.
# shellcheck shell=bash

# Seconds since a `date +%s.%N` reading, as "12.3s".
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }

# step_as LABEL WHAT CMD...: announces WHAT, runs CMD, reports ok or FAILED with the time taken;
# returns CMD's status.
step_as() {
  local label=$1 what=$2; shift 2
  local t0 rc=0
  t0=$(date +%s.%N)
  echo "==> $label: $what"
  "$@" || rc=$?
  if ((rc == 0)); then echo "<== $label ok ($(since "$t0"))"
  else echo "<== $label FAILED with status $rc ($(since "$t0"))"; fi
  return "$rc"
}

# step LABEL CMD...: the same, announcing the command itself.
step() { step_as "$1" "${*:2}" "${@:2}"; }
