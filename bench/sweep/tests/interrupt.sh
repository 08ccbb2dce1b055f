#!/usr/bin/env bash
# An interrupted sweep leaves no run directory (nor .partial-*) and no benchmark running:
# Ctrl-C (SIGINT to the whole foreground process group, as a terminal sends it) and SIGTERM to
# the script alone (kill, timeout), each sent once the first executable is running.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Job control: each background job gets its own process group, with SIGINT not ignored, so the
# sweep sees SIGINT as it would at a terminal, and the group can be checked for survivors.
set -m

# Enough benchmarks that the sweep is still running when the signal arrives.
long=(--preset full --filter '^(spsc|mpsc2|mpmc2x2)/')

interrupt() {  # NAME SIGNAL TARGET(group|script) WANT_STATUS
  local name=$1 sig=$2 target=$3 want=$4
  local out=$scratch/$name pid i
  "$sweep" "${long[@]}" --out "$out" >"$scratch/$name.out" 2>"$scratch/$name.err" &
  pid=$!
  cleanups+=("kill -KILL -- -$pid 2>/dev/null")
  wait_for_first_run "$name" "$pid"
  # The partial directory exists by now: the clean-up has something to remove.
  [[ -n $(find "$out" -maxdepth 1 -name '.partial-*') ]] || { show "$name"; fail "$name: no partial directory"; }

  if [[ $target == group ]]; then kill "-$sig" -- "-$pid"; else kill "-$sig" "$pid"; fi
  status=0
  for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid"; show "$name"; fail "$name: still running 30 s after SIG$sig"; }
  wait "$pid" || status=$?
  expect_status "$name" "$want"
  expect_err "$name" "interrupted by SIG$sig"

  # The sweep created $out, and removes it again when it leaves nothing in it.
  [[ ! -e $out ]] || { show "$name"; fail "$name: left behind: $(find "$out")"; }
  # Nothing of the sweep survives it (its children share its process group).
  sleep 0.2
  if pgrep -g "$pid" >/dev/null; then
    pgrep -a -g "$pid" >&2 || true  # (ps -g selects by session, and fails here)
    kill -KILL -- "-$pid"
    fail "$name: processes of the sweep survive it"
  fi
  pass "$name: SIG$sig to the $target, exit $status, nothing left"
}

interrupt ctrl_c INT group 130
interrupt sigterm TERM script 143
