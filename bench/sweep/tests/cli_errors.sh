#!/usr/bin/env bash
# Bad input: one clear error naming the problem, exit status 2, nothing written.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out=$scratch/results  # never created by any of these

# Everything under the scratch directory but the captured output of the runs.
written() { find "$scratch" -mindepth 1 ! -name '*.out' ! -name '*.err' | sort; }

check() {  # NAME REGEX ARGS...: exit 2, stderr matches REGEX, nothing written
  local name=$1 re=$2 before; shift 2
  before=$(written)
  run_sweep "$name" "$@"
  expect_status "$name" 2
  expect_err "$name" "$re"
  expect_err "$name" "see scripts/sweep --help"
  [[ $(written) == "$before" ]] || { show "$name"; fail "$name: wrote $(comm -13 <(echo "$before") <(written))"; }
  if grep -q '^==> writing' "$scratch/$name.out"; then show "$name"; fail "$name: started a run"; fi
  pass "$name"
}

run_sweep help --help
expect_status help 0
for want in --preset smoke quick full --filter INSTEAD --out; do
  grep -q -- "$want" "$scratch/help.out" || { show help; fail "--help does not mention $want"; }
done
pass "help"

check unknown_flag "unknown argument '--bogus'" --bogus --out "$out"
check positional "unknown argument 'quick'" quick --out "$out"
check unknown_preset "unknown preset 'huge'.*|presets: smoke quick full" --preset huge --out "$out"
check preset_no_value "--preset needs a name" --out "$out" --preset
check filter_no_value "--filter needs a regex" --out "$out" --filter
check filter_empty "--filter is empty" --out "$out" --filter ''
check out_no_value "--out needs a directory" --out

touch "$scratch/a-file"
out=$scratch/a-file  # exists, not a directory
check out_is_file "exists and is not a directory" --preset smoke --out "$out"
out=$scratch/a-file/below  # cannot be created under a file
check out_under_file "cannot be created: .*a-file is not a directory" --preset smoke --out "$out"
if ((EUID != 0)); then  # root writes anywhere
  mkdir "$scratch/read-only" && chmod 555 "$scratch/read-only"
  out=$scratch/read-only/results
  check out_not_writable "is not writable" --preset smoke --out "$out"
fi

# These two need the executables (they list the benchmarks the filter selects).
out=$scratch/results
check filter_matches_nothing "matches no benchmark" --preset smoke --filter '^no_such_workload/' --out "$out"
check filter_invalid "is not a valid regex" --preset smoke --filter '^(spsc' --out "$out"
