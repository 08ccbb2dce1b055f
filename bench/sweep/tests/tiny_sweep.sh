#!/usr/bin/env bash
# A real sweep of a few benchmarks: the run directory, its three JSON files and the logs.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out=$scratch/results
filter='^tracer_overhead/'
run_sweep tiny --preset smoke --filter "$filter" --out "$out"
expect_status tiny 0

dir=$(run_dir_of tiny)
[[ -d $dir && $(dirname -- "$dir") == "$out" ]] || { show tiny; fail "last line '$dir' is not a run directory in $out"; }
[[ $(basename -- "$dir") =~ $run_dir_re ]] || fail "run directory name $(basename -- "$dir") is not <UTC time>-<sha>"
leftovers=$(find "$out" -mindepth 1 -maxdepth 1 ! -path "$dir")
[[ -z $leftovers ]] || fail "left next to the run directory: $leftovers"
for f in bench-system.json bench-jemalloc.json env.json bench-system.log bench-jemalloc.log count-system.json count.log; do
  [[ -s $dir/$f ]] || fail "missing or empty: $dir/$f"
done
[[ ! -e $dir/.owner ]] || fail "$dir/.owner left in the run directory"
grep -q 'tracer_overhead/' "$dir/bench-system.log" || fail "bench-system.log has no tracer_overhead lines"
grep -q '<section id="provenance">' "$dir/report/index.html" || fail "no report page in $dir/report/index.html"
pass "run directory $(basename -- "$dir") with 3 JSON files, 2 logs and its report page"

"$PY" - "$dir" "$filter" <<'PY' || fail "JSON contents"
import json, sys
d, flt = sys.argv[1], sys.argv[2]
env = json.load(open(f"{d}/env.json"))
keys = ["hostname", "command_line", "start_utc", "end_utc", "wall_seconds", "preset", "git", "cpu",
        "caches", "kernel", "governor", "governor_reason", "memory_total_bytes", "flags", "compiler",
        "packages", "runs"]
missing = [k for k in keys if k not in env]
assert not missing, f"env.json lacks {missing}"
assert env["preset"] == {"name": "smoke", "repetitions": env["preset"]["repetitions"],
                         "min_time": env["preset"]["min_time"], "decision_min_time": None,
                         "filter": flt, "filter_from": "--filter"}, env["preset"]
reps = env["preset"]["repetitions"]
assert env["end_utc"] >= env["start_utc"] and env["wall_seconds"] >= 0
assert env["governor"] is not None or env["governor_reason"], "governor null without a reason"
assert env["caches"] is None or all({"level", "type", "size"} <= c.keys() for c in env["caches"])
assert (env["git"]["short"] and env["git"]["dirty"] in (True, False)) or env["git"]["reason"], env["git"]
assert env["flags"] is not None or env["flags_reason"], "flags null without a reason"
assert env["flags"] is None or {"CMAKE_CXX_COMPILER", "CMAKE_CXX_FLAGS", "CMAKE_CXX_FLAGS_RELEASE",
                                "CMAKE_BUILD_TYPE"} <= env["flags"].keys(), env["flags"]
assert env["command_line"][-2:] == ["--out", env["command_line"][-1]] and "--filter" in env["command_line"]
for pkg in ["libbenchmark-dev", "libjemalloc2", "libconcurrentqueue-dev", "libboost-dev", "libc6", "g++"]:
    assert pkg in env["packages"], pkg
for run in ["system", "jemalloc"]:
    gb = json.load(open(f"{d}/bench-{run}.json"))
    names = {b["run_name"] for b in gb["benchmarks"]}
    assert names and all(n.startswith("tracer_overhead/") for n in names), names
    iters = [b for b in gb["benchmarks"] if b.get("run_type") == "iteration"]
    # Every repetition is kept in the JSON (the console shows aggregates only).
    assert len(iters) == reps * len(names), (len(iters), reps, names)
    r = env["runs"][run]
    assert r["benchmarks"] == r["benchmarks_listed"] == len(names), r
# Prebuilt executables only (WAKERBENCH_SWEEP_BIN_DIR, no WAKERBENCH_SWEEP_PEERS_BIN): the Rust peers are
# skipped, with the reason, and nothing fails.
assert env["peer_runs"] == {}, env["peer_runs"]
assert env["peers_skipped"]["rust"].startswith("not built: WAKERBENCH_SWEEP_BIN_DIR"), env["peers_skipped"]
# The count step counted the two tracer points, each in both processes, and env.json says so.
counts = json.load(open(f"{d}/count-system.json"))
counted = [b for b in counts["benchmarks"] if "instr_per_op" in b]
assert sorted({b["name"] for b in counted}) == ["tracer_overhead/malloc_free/traced", "tracer_overhead/malloc_free/untraced"], counted
assert len(counted) == 4 and all(b["instr_per_op"] > 0 for b in counted), counted
assert env["counts"]["json"] == "count-system.json" and env["counts"]["benchmarks"] == env["counts"]["benchmarks_listed"] == 2, env["counts"]
assert env["counts_skipped"] is None and env["phase_seconds"]["count"] > 0, env
print("ok: env.json has the listed keys; both GB files hold every repetition; the Rust peers' skip is recorded; the tracer points were counted")
PY
grep -q 'rust peers: skipped: not built: WAKERBENCH_SWEEP_BIN_DIR' "$dir/report/index.html" ||
  fail "the page does not say why the Rust peers were skipped"
pass "the page says why the Rust peers were skipped"

# --no-count: no count step, no count file, and env.json and the page say why.
run_sweep nocount --preset smoke --filter "$filter" --out "$out" --no-count
expect_status nocount 0
dir=$(run_dir_of nocount)
[[ ! -e $dir/count-system.json ]] || fail "--no-count wrote $dir/count-system.json"
"$PY" -c 'import json, sys; e = json.load(open(sys.argv[1])); assert e["counts"] is None and e["counts_skipped"] == "--no-count", e' \
  "$dir/env.json" || fail "env.json does not record the skipped count step"
grep -q -- '--no-count' "$dir/report/index.html" || fail "the page does not say the count step was skipped (--no-count)"
pass "--no-count: no count file; env.json and the page say why"
