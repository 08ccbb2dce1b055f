#!/usr/bin/env bash
# Ctrl-C while the page is being written, after the results are published: exit 130, the results
# stay, and the message says so (not "stopping the benchmarks") and how to write the page.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

set -m  # the sweep in a process group of its own, to which Ctrl-C's SIGINT is sent

out=$scratch/results
# The report takes about a second; the signal is sent as soon as the sweep announces it. If the
# page was written before the signal arrived, try again.
for attempt in 1 2 3; do
  "$sweep" --preset smoke --filter '^tracer_overhead/' --out "$out" >"$scratch/int.out" 2>"$scratch/int.err" &
  pid=$!
  cleanups+=("kill -KILL -- -$pid 2>/dev/null")
  for ((i = 0; i < 1200; i++)); do
    grep -q '^==> report:' "$scratch/int.out" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -INT -- "-$pid" 2>/dev/null || true
  status=0
  wait "$pid" || status=$?
  [[ $status == 0 ]] || break
  echo "note: attempt $attempt: the page was written before SIGINT arrived; again"
done
expect_status int 130
dir=$(sed -n 's/^== results: //p' "$scratch/int.out")
[[ -n $dir && -s $dir/bench-system.json && -s $dir/env.json ]] || { show int; fail "the published run is not there: '$dir'"; }
expect_err int "interrupted by SIGINT while writing the page"
expect_err int "the results in $dir are published"
expect_err int "scripts/report $dir"
if grep -q "stopping the benchmarks" "$scratch/int.err"; then show int; fail "it says it is stopping the benchmarks"; fi
pass "Ctrl-C during the report: exit 130, $(basename -- "$dir") published, and the message says so"
