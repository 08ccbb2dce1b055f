# shellcheck shell=bash disable=SC2034  # variables are for the tests that source this
# Sourced by the scripts/sweep tests: arguments, a scratch directory, and small assertions.
# Usage of every test: <test>.sh path/to/scripts/sweep, with WAKERBENCH_SWEEP_BIN_DIR set to the
# directory holding the built wb_bench and wb_bench_jemalloc (ctest sets it; see ../CMakeLists.txt).
set -euo pipefail

sweep=${1:?usage: $0 path/to/scripts/sweep}
: "${WAKERBENCH_SWEEP_BIN_DIR:?set it to the directory holding wb_bench and wb_bench_jemalloc}"
PY=/usr/bin/python3

scratch=$(mktemp -d "${TMPDIR:-/tmp}/sweep-test.XXXXXX")
cleanups=()
# shellcheck disable=SC2317  # called from the EXIT trap
on_test_exit() {
  local c
  for c in "${cleanups[@]}"; do eval "$c" || true; done
  rm -rf -- "$scratch"
}
trap on_test_exit EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# run_sweep NAME ARGS...: runs the sweep with stdout/stderr in $scratch/NAME.{out,err}; sets $status.
run_sweep() {
  local name=$1; shift
  status=0
  "$sweep" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err" || status=$?
}

# show NAME: prints what a run_sweep printed (for a failing assertion's context).
show() {
  echo "--- stdout of $1:"; cat "$scratch/$1.out"
  echo "--- stderr of $1:"; cat "$scratch/$1.err"
} >&2

expect_status() {  # NAME WANT
  [[ $status == "$2" ]] || { show "$1"; fail "$1: exit status $status, expected $2"; }
}

expect_err() {  # NAME REGEX: stderr of NAME matches the extended regex
  grep -Eq -- "$2" "$scratch/$1.err" || { show "$1"; fail "$1: stderr does not match /$2/"; }
}

# The names scripts/sweep gives run directories: <UTC time>-<git short sha>[-N].
run_dir_re='^[0-9]{8}T[0-9]{6}Z-[0-9a-z]+(-[0-9]+)?$'

# The run directory a sweep printed: its last line is the report page, <run dir>/report/index.html.
run_dir_of() {
  local page
  page=$(tail -n 1 "$scratch/$1.out")
  [[ $page == */report/index.html ]] || { show "$1"; fail "last line '$page' is not a report page"; }
  printf '%s\n' "${page%/report/index.html}"
}

# wait_for_first_run NAME PID: waits (up to 60 s) until the sweep PID, run by the test NAME, has its
# first executable running with its progress helper. Not a line of the log: with random
# interleaving the first benchmark reports only near the end of the executable's run.
wait_for_first_run() {
  local name=$1 pid=$2 i
  for ((i = 0; i < 600; i++)); do
    pgrep -g "$pid" -f 'bench/wb_bench ' >/dev/null && pgrep -g "$pid" -f 'progress.py' >/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { show "$name"; fail "$name: the sweep ended before its first executable was seen running"; }
    sleep 0.1
  done
  show "$name"
  fail "$name: no wb_bench with its progress.py after 60 s"
}
