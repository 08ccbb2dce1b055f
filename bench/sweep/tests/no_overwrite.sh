#!/usr/bin/env bash
# A sweep never overwrites an earlier run: a run directory that already has the name a sweep would
# use (same second, same revision) is left alone and the sweep takes <name>-2; two sweeps at once
# both finish, in two directories.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out=$scratch/results
tiny=(--preset smoke --filter '^tracer_overhead/' --out "$out")
repo=$(cd "$(dirname -- "$sweep")/.." && pwd)
sha=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo nogit)

# Earlier runs named for this second and the next few: whichever second the sweep starts in is taken.
mkdir -p "$out"
now=$(date +%s)
for ((s = 0; s < 5; s++)); do
  d=$out/$(date -u -d "@$((now + s))" +%Y%m%dT%H%M%SZ)-$sha
  mkdir "$d" && echo "earlier run" >"$d/marker"
done
run_sweep same_second "${tiny[@]}"
expect_status same_second 0
dir=$(run_dir_of same_second)
[[ $dir == "$out"/*-"$sha"-2 && -s $dir/env.json && -s $dir/bench-system.json ]] ||
  { show same_second; fail "expected a new <name>-2 directory, got '$dir'"; }
for d in "$out"/*-"$sha"; do
  [[ $(ls -A "$d") == marker && $(cat "$d/marker") == "earlier run" ]] || fail "$d was modified"
done
pass "same second: wrote $(basename -- "$dir"), earlier runs untouched"

# Two at once (most often in the same second).
rm -rf -- "$out"
"$sweep" "${tiny[@]}" >"$scratch/a.out" 2>"$scratch/a.err" & a=$!
"$sweep" "${tiny[@]}" >"$scratch/b.out" 2>"$scratch/b.err" & b=$!
status=0; wait "$a" || status=$?; expect_status a 0
status=0; wait "$b" || status=$?; expect_status b 0
da=$(run_dir_of a) db=$(run_dir_of b)
[[ $da != "$db" ]] || fail "both sweeps report $da"
for d in "$da" "$db"; do
  [[ -s $d/bench-system.json && -s $d/bench-jemalloc.json && -s $d/env.json ]] || fail "$d is incomplete"
done
n=$(find "$out" -mindepth 1 -maxdepth 1 | wc -l)
((n == 2)) || fail "expected exactly 2 entries in $out, found $n: $(ls -A "$out")"
pass "two at once: $(basename -- "$da") and $(basename -- "$db")"
