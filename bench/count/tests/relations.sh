#!/usr/bin/env bash
# ctest count/relations: counts a handful of points with scripts/count (two processes, as the sweep
# does) and checks them against each other (check_relations.py: facts that hold on any machine, no
# fixed numbers), then proves the check catches each fault planted in a copy of the data; and
# counts two of them again on their own, which must give the same counts.
# usage: relations.sh path/to/scripts/count BIN_DIR
set -euo pipefail
count=${1:?usage: $0 path/to/scripts/count BIN_DIR}
bin_dir=${2:?usage: $0 path/to/scripts/count BIN_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/count-relations.XXXXXX")
trap 'rm -rf -- "$scratch"' EXIT

points='^waitlist/(vec|slab|intrusive|parking_lot)/op:(link_take_wake|link_cancel_middle)/waiters:(1|16|256)/'
points+='|^churn(16|1024)/(vec|intrusive)/cap:unbounded/batch:1/payload:u64/mode:sync'
points+='|^tracer_overhead/'
"$count" --bin-dir "$bin_dir" --filter "$points" --out "$scratch/counts.json"
/usr/bin/python3 "$here/check_relations.py" "$scratch/counts.json"
/usr/bin/python3 "$here/check_relations.py" --selftest "$scratch/counts.json"
alone='^waitlist/parking_lot/op:link_take_wake/waiters:256/|^churn16/vec/cap:unbounded/batch:1/payload:u64/mode:sync'
"$count" --bin-dir "$bin_dir" --filter "$alone" --processes 1 --out "$scratch/alone.json"
/usr/bin/python3 "$here/check_relations.py" --same "$scratch/alone.json" "$scratch/counts.json"
