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
  local out=$scratch/$name pid i log=""
  "$sweep" "${long[@]}" --out "$out" >"$scratch/$name.out" 2>"$scratch/$name.err" &
  pid=$!
  cleanups+=("kill -KILL -- -$pid 2>/dev/null")
  # Wait until a benchmark has reported in the first executable's log.
  for ((i = 0; i < 600; i++)); do
    log=$(find "$out" -path '*/.partial-*/bench-system.log' -size +0 2>/dev/null | head -n 1 || true)
    [[ -n $log ]] && grep -q '/mode:' "$log" && break
    kill -0 "$pid" 2>/dev/null || { show "$name"; fail "$name: the sweep ended before it was interrupted"; }
    sleep 0.1
  done
  [[ -n $log ]] || { show "$name"; fail "$name: no benchmark output after 60 s"; }

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
    ps -o pid,pgid,args -g "$pid" >&2
    kill -KILL -- "-$pid"
    fail "$name: processes of the sweep survive it"
  fi
  pass "$name: SIG$sig to the $target, exit $status, nothing left"
}

interrupt ctrl_c INT group 130
interrupt sigterm TERM script 143
