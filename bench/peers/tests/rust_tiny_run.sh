#!/usr/bin/env bash
# ctest peers.rust.tiny_run: builds wb_peers (scripts/lib/rust_peers.sh, as scripts/sweep does),
# checks that it refuses bad flags, runs a few benchmarks with the flags the sweep passes, and checks
# the JSON (check_peers_json.py). Exits 77 (a ctest skip) with the reason when this machine cannot
# build the peers: no cargo, or Debian's crates missing.
set -euo pipefail
repo=${1:?usage: rust_tiny_run.sh REPO}
here=${BASH_SOURCE[0]%/*}  # no dirname: rust_missing_cargo.sh runs this with an empty PATH
# shellcheck source=../../../scripts/lib/rust_peers.sh
. "$repo/scripts/lib/rust_peers.sh"

rust_peers_check
if [[ -n $rust_peers_skip_reason ]]; then
  echo "skipped: $rust_peers_skip_reason"
  exit 77
fi
bin=$(rust_peers_build "$repo")

scratch=$(mktemp -d)
trap 'rm -rf -- "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Bad input: exit 2, and the message names the problem.
expect_refusal() {  # expect_refusal WORDS-IN-MESSAGE FLAG...
  local words=$1 rc=0; shift
  "$bin" "$@" >"$scratch/out" 2>"$scratch/err" || rc=$?
  ((rc == 2)) || fail "wb_peers $* exited $rc, not 2"
  grep -qF -- "$words" "$scratch/err" || fail "wb_peers $*: the message does not say '$words': $(cat "$scratch/err")"
}
expect_refusal "unknown flag '--benchmark_bogus=1'" --benchmark_bogus=1
expect_refusal "--benchmark_filter='spsc/(' is not a valid" '--benchmark_filter=spsc/('
expect_refusal "repetitions must be" --benchmark_repetitions=0
echo "ok: bad flags are refused with exit 2 and a message naming them"

filter='^(spsc|mpmc2x2)/(crossbeam|tokio)/cap:1024/batch:(1|256)/payload:u64/mode:sync'
repetitions=2
"$bin" --benchmark_list_tests=true "--benchmark_filter=$filter" >"$scratch/names.txt"
[[ -z $("$bin" --benchmark_list_tests=true '--benchmark_filter=^nothing_is_named_so/') ]] ||
  fail "a filter that matches nothing listed something"

# The flags scripts/sweep passes to a benchmark executable.
WAKERBENCH_PROGRESS_FILE=$scratch/ticks "$bin" "--benchmark_filter=$filter" \
  "--benchmark_repetitions=$repetitions" --benchmark_min_time=0.001 \
  --benchmark_enable_random_interleaving=true --benchmark_display_aggregates_only=true \
  --benchmark_counters_tabular=false --benchmark_out_format=json \
  "--benchmark_out=$scratch/peers.json" >"$scratch/console.log" ||
  fail "wb_peers exited $? (console: $(tail -n 5 "$scratch/console.log"))"

/usr/bin/python3 "$here/check_peers_json.py" --json "$scratch/peers.json" --names "$scratch/names.txt" \
  --console "$scratch/console.log" --ticks "$scratch/ticks" --repetitions "$repetitions" \
  --reports "$repo/reports"
