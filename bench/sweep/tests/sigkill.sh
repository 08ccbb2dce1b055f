#!/usr/bin/env bash
# A sweep killed with SIGKILL (no trap runs) takes its children with it: no wb_bench, no progress
# helper (progress.py) is left running a few seconds later.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Job control: the sweep gets a process group of its own, in which survivors can be looked for.
set -m

out=$scratch/results
"$sweep" --preset full --filter '^(spsc|mpsc2|mpmc2x2)/' --out "$out" >"$scratch/killed.out" 2>"$scratch/killed.err" &
pid=$!
cleanups+=("kill -KILL -- -$pid 2>/dev/null")
wait_for_first_run killed "$pid"
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
for ((i = 0; i < 50; i++)); do  # up to 5 s
  pgrep -g "$pid" >/dev/null || break
  sleep 0.1
done
if pgrep -g "$pid" >/dev/null; then
  pgrep -a -g "$pid" >&2 || true
  fail "children of the SIGKILLed sweep survive it after 5 s"
fi
pass "SIGKILL of the sweep: no wb_bench or progress.py left after $((i / 10)).$((i % 10)) s"
