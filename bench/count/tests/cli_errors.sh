#!/usr/bin/env bash
# ctest count/cli_errors: bad input to scripts/count and wb_bench --count is refused with exit 2 and
# a message naming the problem, before anything is counted or written.
# usage: cli_errors.sh path/to/scripts/count BIN_DIR
set -euo pipefail
count=${1:?usage: $0 path/to/scripts/count BIN_DIR}
bin_dir=${2:?usage: $0 path/to/scripts/count BIN_DIR}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/count-cli.XXXXXX")
trap 'rm -rf -- "$scratch"' EXIT

# expect STATUS REGEX CMD...: CMD exits with STATUS and its stderr matches REGEX.
expect() {
  local want=$1 regex=$2 status=0
  shift 2
  "$@" >"$scratch/out" 2>"$scratch/err" || status=$?
  if [[ $status != "$want" ]] || ! grep -Eq -- "$regex" "$scratch/err"; then
    echo "FAIL: $* exited $status (want $want), stderr:" >&2
    cat "$scratch/err" >&2
    exit 1
  fi
  echo "ok: $* -> $want, '$regex'"
}

touch "$scratch/exists.json"
expect 2 "unknown argument '--bogus'" "$count" --bin-dir "$bin_dir" --bogus
expect 2 "--processes '0' is not a count from 1 to 8" "$count" --bin-dir "$bin_dir" --processes 0
expect 2 "--out .*exists.json exists" "$count" --bin-dir "$bin_dir" --out "$scratch/exists.json"
expect 2 "--out .*is not a writable directory" "$count" --bin-dir "$bin_dir" --out "$scratch/no/such/dir/x.json"
expect 2 "--bin-dir .* has no wb_bench" "$count" --bin-dir "$scratch"
expect 2 "--filter is empty" "$count" --bin-dir "$bin_dir" --filter ''
expect 2 "matches no countable benchmark" "$count" --bin-dir "$bin_dir" --filter '^spsc/' --out "$scratch/none.json"
expect 2 "is not a valid regex" "$count" --bin-dir "$bin_dir" --filter '^(waitlist' --out "$scratch/bad.json"
[[ ! -e $scratch/none.json && ! -e $scratch/bad.json ]] || { echo "FAIL: a refused count wrote its --out" >&2; exit 1; }
expect 2 "not running under valgrind" "$bin_dir/wb_bench" --count --benchmark_filter='^tracer_overhead/'
expect 2 "--count writes its report .* to stdout" "$bin_dir/wb_bench" --count --benchmark_out="$scratch/x.json"
# Listing what --count would count needs no valgrind, and lists single-threaded points only.
"$bin_dir/wb_bench" --count --benchmark_list_tests=true >"$scratch/names"
if grep -Ev '^(waitlist|seq|churn[0-9]+|burst|tracer_overhead)/' "$scratch/names"; then
  echo "FAIL: wb_bench --count lists a point that is not single-threaded (above)" >&2
  exit 1
fi
echo "ok: wb_bench --count lists $(wc -l <"$scratch/names") single-threaded points and nothing else"
