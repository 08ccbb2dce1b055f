#!/usr/bin/env bash
# A benchmark executable that fails: exit 1, the end of its log printed, the log kept as
# failed-*.log next to where the run directory would have been, and no run directory.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# wb_bench as built; wb_bench_jemalloc lists as built but aborts after its first benchmarks.
bin=$scratch/bin
mkdir "$bin"
ln -s "$WAKERBENCH_SWEEP_BIN_DIR/wb_bench" "$bin/wb_bench"
cat >"$bin/wb_bench_jemalloc" <<SH
#!/usr/bin/env bash
real=$WAKERBENCH_SWEEP_BIN_DIR/wb_bench_jemalloc
for a; do [[ \$a == --benchmark_list_tests=true ]] && exec "\$real" "\$@"; done
"\$real" "\$@" || exit
echo "wb_bench_jemalloc: simulated failure: 3 messages lost" >&2
kill -ABRT \$\$
SH
chmod +x "$bin/wb_bench_jemalloc"

out=$scratch/results
WAKERBENCH_SWEEP_BIN_DIR=$bin run_sweep failed --preset smoke --filter '^tracer_overhead/' --out "$out"
expect_status failed 1
expect_err failed "simulated failure: 3 messages lost"   # the tail of the log
grep -q "jemalloc FAILED: wb_bench_jemalloc ended with signal 6 (ABRT)" "$scratch/failed.out" || { show failed; fail "the FAILED line does not name the signal"; }
kept=$(find "$out" -mindepth 1 -maxdepth 1)
[[ $kept == "$out"/failed-*-bench-jemalloc.log ]] || { show failed; fail "expected only failed-*-bench-jemalloc.log in $out, found: $kept"; }
grep -q "simulated failure" "$kept" || fail "$kept does not hold the failing log"
expect_err failed "kept the failing log as $kept"
pass "failure: exit 1, log kept as $(basename -- "$kept"), no run directory"
