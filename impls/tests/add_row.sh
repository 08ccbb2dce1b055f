#!/usr/bin/env bash
# The README's promise, checked: "a new row is one header plus one line in the registry".
# In a scratch copy of the source tree, adds a trivial row the documented way only (a new header in
# impls/include/wakerbench/waitlist/, then its #include and its line in `Rows` in registry.hpp),
# configures, builds wb_bench, wb_bench_jemalloc, wb_stress and wb_modelcheck, and checks that every
# instrument lists and runs the row: wb_bench --benchmark_list_tests, wb_stress --help and --impl,
# wb_modelcheck --list and one of its checks, the ctest list, and the report of a tiny sweep.
#
# usage: add_row.sh SOURCE_DIR    (ctest runs it; it takes 3-5 minutes on 2 cores)
set -euo pipefail

source_dir=$(realpath -- "${1:?usage: $0 SOURCE_DIR}")
row=scratch_fifo
scratch=$(mktemp -d "${TMPDIR:-/tmp}/add-row.XXXXXX")
[[ -n ${WAKERBENCH_KEEP_SCRATCH-} ]] || trap 'rm -rf -- "$scratch"' EXIT  # set it to look at a failure
tree=$scratch/src
build=$scratch/build

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
step() { echo "==> $*"; }

step "copying the source tree (tracked and untracked files, not build/ or results/) to $tree"
mkdir -p "$tree"
(cd "$source_dir" && git ls-files -z --cached --others --exclude-standard |
  xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' | tar --null -T - -cf -) | tar -xf - -C "$tree"

step "step 1: a new header, impls/include/wakerbench/waitlist/$row.hpp"
cat >"$tree/impls/include/wakerbench/waitlist/$row.hpp" <<'EOF'
#pragma once
// A user's own waiter storage, as trivial as it gets: the intrusive list under another name.
#include "wakerbench/waitlist/intrusive.hpp"

namespace wakerbench {

template <class Sync>
class ScratchFifoWaitList : public IntrusiveWaitList<Sync> {
public:
    static constexpr const char* kName = "scratch_fifo";
    static constexpr const char* kStorage = "a user's row: the intrusive list, renamed";
};

}  // namespace wakerbench
EOF

step "step 2: its #include and its line in Rows (registry.hpp)"
registry=$tree/impls/include/wakerbench/registry.hpp
cp "$registry" "$scratch/registry.before"
sed -i -e "s|^#include \"wakerbench/waitlist/intrusive.hpp\"$|&\n#include \"wakerbench/waitlist/$row.hpp\"|" \
       -e "s|^\(    \)rows::intrusive,$|&\n\1MutexRow<ScratchFifoWaitList>,|" "$registry"
changed=$(diff "$scratch/registry.before" "$registry" | grep -c '^[<>]' || true)
[[ $changed == 2 ]] || { diff "$scratch/registry.before" "$registry" >&2 || true; fail "the registry edit changed $changed lines, not 2"; }
pass "registry.hpp: 2 lines added, nothing else touched"

step "configure and build (-O0: the checks run the row, they do not time it)"
cmake -S "$tree" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0 >"$scratch/configure.log" 2>&1 ||
  { cat "$scratch/configure.log" >&2; fail "configure"; }
grep -q "Registry: rows .*intrusive;$row;" "$scratch/configure.log" || fail "CMake's registry listing lacks $row"
cmake --build "$build" -j2 --target wb_bench wb_bench_jemalloc wb_stress wb_modelcheck >"$scratch/build.log" 2>&1 ||
  { tail -n 50 "$scratch/build.log" >&2; fail "build"; }
pass "configured and built"

bench=$build/bench/wb_bench
"$bench" --benchmark_list_tests >"$scratch/list.txt"
for want in "spsc/$row/cap:1/batch:1/payload:u64/mode:sync" "churn16/$row/" "waitlist/$row/" "burst/$row"; do
  grep -q "^$want" "$scratch/list.txt" || fail "wb_bench --benchmark_list_tests has no $want"
done
pass "wb_bench lists the row in the thread, pool and wait-list families and the burst"

# Outputs go to files before grep: with pipefail, `tool | grep -q` fails whenever grep exits at its
# match while the tool is still writing (SIGPIPE), which a loaded machine makes likely.
"$build/stress/threads/wb_stress" --help >"$scratch/stress-help.txt"
grep -q "intrusive, $row," "$scratch/stress-help.txt" || fail "wb_stress --help does not list $row"
"$build/stress/threads/wb_stress" --impl "$row" --seconds 3 --progress-seconds 60 >"$scratch/stress.log" 2>&1 ||
  { cat "$scratch/stress.log" >&2; fail "wb_stress --impl $row"; }
pass "wb_stress lists the row and runs it for 3 s"

modelcheck=$build/stress/relacy/wb_modelcheck
"$modelcheck" --list >"$scratch/modelcheck-list.txt"
grep -Eq "^  $row +the row's code" "$scratch/modelcheck-list.txt" || fail "wb_modelcheck --list does not list $row"
grep -Eq "link_without_recheck +$row/spsc_fifo" "$scratch/modelcheck-list.txt" || fail "wb_modelcheck seeds no fault in $row"
"$modelcheck" --impl "$row" --scenario spsc_fifo >"$scratch/modelcheck.log" 2>&1 ||
  { cat "$scratch/modelcheck.log" >&2; fail "wb_modelcheck --impl $row --scenario spsc_fifo"; }
pass "wb_modelcheck lists the row, seeds faults in it, and its spsc_fifo check passes with its seeded bug found"

(cd "$build" && ctest -N) >"$scratch/ctest.txt"
for want in "stress/$row\$" "stress/seeded/$row/link_without_recheck" "modelcheck/$row\$"; do
  grep -Eq "Test +#[0-9]+: $want" "$scratch/ctest.txt" || fail "the ctest list has no $want"
done
pass "ctest lists its stress, seeded-stress and model-check tests"

step "a tiny sweep of the row beside intrusive, and its report"
WAKERBENCH_SWEEP_BIN_DIR=$build/bench "$tree/scripts/sweep" --preset smoke --no-pin --out "$scratch/results" \
  --filter "^(spsc|waitlist)/($row|intrusive)/(cap:1024/batch:1/payload:u64/mode:sync|op:link_take_wake/waiters:1)" \
  >"$scratch/sweep.log" 2>&1 || { tail -n 40 "$scratch/sweep.log" >&2; fail "scripts/sweep"; }
page=$(tail -n 1 "$scratch/sweep.log")
[[ -f $page ]] || fail "the sweep printed no report page (last line: $page)"
/usr/bin/python3 - "$page" "$row" <<'PY' || fail "the report page"
import re, sys
page, row = open(sys.argv[1]).read(), sys.argv[2]
def first_cell(name, html):  # where a table row starts with a cell naming the implementation
    m = re.search(r"<tr[^>]*>\s*<t[hd][^>]*>\s*(?:<[^>]+>\s*)*" + re.escape(name) + r"\b", html)
    return m.start() if m else None
tables = [t for t in re.findall(r"<table.*?</table>", page, re.S) if first_cell(row, t) is not None]
assert tables, f"no table has a row for {row}"
both = [t for t in tables if first_cell("intrusive", t) is not None]
# Most tables list implementations in the registry's order; a few rank them by speed (the decision's
# and the scores), where either may come first.
after = [t for t in both if first_cell(row, t) > first_cell("intrusive", t)]
assert len(after) * 2 > len(both), f"only {len(after)} of {len(both)} tables list {row} after intrusive, as the registry does"
print(f"ok: {len(tables)} tables have a row for {row}; {len(after)} of the {len(both)} that also list intrusive put it after, as the registry does")
PY
pass "the report shows the row"
