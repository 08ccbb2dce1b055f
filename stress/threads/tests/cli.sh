#!/usr/bin/env bash
# wb_stress's command line: every bad value exits 2 naming the problem; a failure prints a replay
# command, and that command replays the failing run. Usage: cli.sh path/to/wb_stress
set -euo pipefail
bin=$1
fails=0
check() {  # check NAME EXPECTED_RC REGEX -- ARGS...
  local name=$1 want=$2 regex=$3; shift 4
  local out rc=0
  out=$("$bin" "$@" 2>&1) || rc=$?
  if [[ $rc != "$want" ]] || ! grep -Eq -- "$regex" <<<"$out"; then
    echo "FAIL $name: exit $rc (want $want), output did not match /$regex/:"
    sed 's/^/    /' <<<"$out" | head -20
    fails=$((fails + 1))
  else
    echo "ok   $name"
  fi
}

check help 0 'usage: wb_stress' -- --help
check unknown-impl 2 "unknown implementation 'nope'.*Rows: vec" -- --impl nope
check baseline-impl 2 "'mutex_condvar' is a benchmark baseline" -- --impl mutex_condvar
check bad-seconds 2 "--seconds: '0' is not a number of seconds above 0" -- --seconds 0
# NaN compares false with every bound: it must be refused, not taken as a time (a NaN stall limit
# gave a false HANG verdict, NaN seconds never ended, a NaN progress period flooded).
for flag in --seconds --stall-seconds --progress-seconds; do
  for bad in nan NaN -nan inf; do
    check "$flag-$bad" 2 "$flag: '$bad' is not a number of seconds" -- "$flag" "$bad"
  done
done
check bad-seed 2 "--seed: '-1' is not a seed" -- --seed -1
check bad-threads 2 "--threads: '3' is not P,C" -- --threads 3
check threads-range 2 "--threads: '0' is not P,C with each from 1 to 16" -- --threads 0,2
check unknown-fault 2 "unknown fault 'nope'.*link_without_recheck" -- --fault nope
# Faults planted in the parkers and the task runtime are the model checker's: refused, and it says where.
check parker-fault 2 "'unpark_notifies_first' is planted in the parkers.*wb_modelcheck --impl parkers" -- --fault unpark_notifies_first
check runtime-fault 2 "'suspend_overwrites_wake' is planted in the runtime.*wb_modelcheck --impl runtime" -- --fault suspend_overwrites_wake
check unknown-flag 2 "unknown argument '--frobnicate'" -- --frobnicate
check missing-value 2 "--impl needs a value" -- --impl
check repeat-needs-seed 2 "--repeat needs --seed" -- --repeat 3
# An output that cannot be written is refused before the first run, not after the last.
check json-missing-dir 2 "--json: '/nonexistent-wb-dir' is not a directory" -- --json /nonexistent-wb-dir/s.json --seconds 600
check json-is-dir 2 "--json: '/tmp' is a directory" -- --json /tmp --seconds 600
check chaos-replays 0 "chaos is armed" -- --impl intrusive --seconds 0.5 --chaos

# --json writes the summary the report reads.
json=$(mktemp -d)/stress.json
"$bin" --impl vec --seconds 0.5 --json "$json" >/dev/null
if /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["rows"][0]; assert d["schema"]==1 and r["impl"]=="vec" and r["runs"]>0 and r["items_checked"]>0 and r["failures"]==0' "$json"; then
  echo "ok   json-summary"
else
  echo "FAIL json-summary:"; sed 's/^/    /' "$json" | head -20; fails=$((fails + 1))
fi
rm -rf -- "$(dirname "$json")"

# A seed replays its plan (printed when replaying); another seed draws another.
plan() { "$bin" --impl slab --seed "$1" | sed -n 's/^  slab seed [0-9]*: //p'; }
a=$(plan 42) b=$(plan 42) c=$(plan 43)
if [[ -n $a && $a == "$b" && $a != "$c" ]]; then echo "ok   seed-replays-plan ($a)"; else echo "FAIL seed-replays-plan: '$a' / '$b' / '$c'"; fails=$((fails + 1)); fi

# A caught failure prints its seed and a replay command; running that command fails the same way.
out=$("$bin" --impl intrusive --fault close_overtakes_data --seconds 30 2>&1) || true
replay=$(sed -n 's/^replay: //p' <<<"$out" | head -1)
if [[ -z $replay ]]; then
  echo "FAIL failure-prints-replay: no replay line in:"; sed 's/^/    /' <<<"$out" | head -20; fails=$((fails + 1))
else
  echo "ok   failure-prints-replay: $replay"
  rout=$($replay --repeat 20 2>&1) || true
  if grep -q "CAUGHT" <<<"$rout"; then echo "ok   replay-reproduces"; else echo "FAIL replay-reproduces:"; sed 's/^/    /' <<<"$rout" | tail -5; fails=$((fails + 1)); fi
fi

((fails == 0)) || { echo "$fails check(s) failed"; exit 1; }
