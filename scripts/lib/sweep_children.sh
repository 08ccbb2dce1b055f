# Sourced by scripts/sweep: starts its long-running children so that none outlives it, even when it dies by SIGKILL.
# shellcheck shell=bash

# A trap stops the children on SIGINT, SIGTERM and SIGHUP (stop_children), but SIGKILL runs no
# trap: without more, wb_bench and progress.py ran on as orphans. Each child is therefore started
# under `setpriv --pdeathsig KILL` (util-linux, essential on Debian): the kernel sends it SIGKILL
# the moment the sweep's process ends, however it ends. A watcher polling the sweep's pid would
# have to kill by process group, and the sweep may share its group with whatever started it.
# The death signal covers the direct child only, so children are executables, never shell
# functions or subshells, whose own children would not be covered.
if setpriv --pdeathsig KILL -- true 2>/dev/null; then
  die_with_sweep=(setpriv --pdeathsig KILL --)
else
  die_with_sweep=()
  echo "sweep: note: no setpriv --pdeathsig (util-linux): children outlive a sweep killed with SIGKILL" >&2
fi

children=()  # the running children, stopped by stop_children on a signal

# start_child CMD...: runs the executable CMD in the background, tied to the sweep; its pid is
# $child_pid. Redirections and variable assignments given with the call apply to CMD.
start_child() {
  "${die_with_sweep[@]}" "$@" &
  child_pid=$!
  children+=("$child_pid")
}

# run_waiting CMD...: runs CMD as a child and waits for it, so that a signal is handled at once,
# not after it ends; returns its status.
run_waiting() {
  local rc=0
  start_child "$@"
  wait "$child_pid" || rc=$?
  children=()
  return "$rc"
}

# stop_children: SIGTERM to every child, SIGKILL to those still running 5 s later.
stop_children() {
  local pid i alive
  for pid in "${children[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for ((i = 0; i < 50; i++)); do
    alive=false
    for pid in "${children[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || break
    sleep 0.1
  done
  for pid in "${children[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${children[@]}"; do wait "$pid" 2>/dev/null || true; done
  children=()
}
