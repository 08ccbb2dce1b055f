# Sourced by scripts/sweep: the count step (scripts/count, bench/count/README.md), which counts the
# single-threaded points of the run under callgrind into count-system.json. It runs after the timed
# runs, never beside them: counts are exact whatever else runs, but the timings would not be.
# shellcheck shell=bash

# sweep_count_plan WANTED EXE FILTER: sets count_listed to the countable points the run's FILTER
# selects ('' = all), or count_skipped to why the step will not run (WANTED is false for --no-count).
sweep_count_plan() {
  local wanted=$1 exe=$2 filter=$3 names
  count_listed=0 count_skipped=""
  if ! $wanted; then
    count_skipped="--no-count"
    return 0
  fi
  local args=(--count --benchmark_list_tests=true)
  [[ -n $filter ]] && args+=("--benchmark_filter=$filter")
  names=$("$exe" "${args[@]}") || { echo "sweep: $exe --count --benchmark_list_tests failed" >&2; return 1; }
  count_listed=$(grep -c . <<<"$names" || true)
  if ((count_listed == 0)); then
    count_skipped="the selection has no single-threaded point to count (multi-threaded points are not counted)"
  fi
}

# sweep_count_run DIR FILTER LOG: counts into DIR/count-system.json, its output on the terminal and
# in LOG. Returns scripts/count's status.
sweep_count_run() {
  local dir=$1 filter=$2 log=$3 rc=0
  local args=(--bin-dir "$bin_dir" --out "$dir/count-system.json")
  [[ -n $filter ]] && args+=("--filter=$filter")
  run_waiting "$repo/scripts/count" "${args[@]}" > >(tee -- "$log") 2>&1 || rc=$?
  wait  # for tee, so the log is complete before anyone reads it
  return "$rc"
}
