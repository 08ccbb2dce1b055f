#!/usr/bin/env bash
# wb_modelcheck's command line: a bad output name is a usage error (exit 2) before any checking,
# no .partial file is left anywhere, and one exists at no point of a run (the summary is written
# whole at the end). Usage: cli.sh path/to/wb_modelcheck
set -euo pipefail
bin=$1
fails=0
scratch=$(mktemp -d)
trap 'rm -rf -- "$scratch"' EXIT
cd "$scratch"

check() {  # check NAME EXPECTED_RC REGEX -- ARGS...
  local name=$1 want=$2 regex=$3; shift 4
  local out rc=0 t0=$SECONDS
  out=$(timeout 60 "$bin" "$@" 2>&1) || rc=$?
  local partials
  partials=$(find "$scratch" -name '*.partial' | head -3)
  if [[ $rc != "$want" ]] || ! grep -Eq -- "$regex" <<<"$out" || [[ -n $partials ]] || ((SECONDS - t0 > 5)); then
    echo "FAIL $name: exit $rc (want $want) after $((SECONDS - t0)) s; partials: [$partials]; output did not match /$regex/:"
    sed 's/^/    /' <<<"$out" | head -10
    fails=$((fails + 1))
  else
    echo "ok   $name"
  fi
}

touch a-file
mkdir a-dir
check json-empty 2 "--json: an empty file name" -- --json ''
check json-missing-dir 2 "--json: '.*no-such-dir' is not a directory" -- --json no-such-dir/mc.json
check json-is-dir 2 "--json: 'a-dir' is a directory" -- --json a-dir
check history-is-file 2 "--history-dir: '.*a-file' is not a directory" -- --history-dir a-file
check history-under-file 2 "--history-dir: '.*a-file' is not a directory" -- --history-dir a-file/sub
check list-still-works 0 "seeded bugs" -- --list

# During a run no .partial exists (the old start-up probe left one for the whole run, and for good
# if the run was killed); SIGTERM ends the run and leaves nothing behind.
"$bin" --impl intrusive --seeded no --json "$scratch/a-dir/mc.json" >/dev/null 2>&1 &
pid=$!
sleep 2
during=$(find "$scratch" -name '*.partial')
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
after=$(find "$scratch" -name '*.partial' -o -name 'mc.json')
if [[ -z $during && -z $after ]]; then echo "ok   no-partial-during-or-after-sigterm"; else echo "FAIL no-partial: during [$during] after [$after]"; fails=$((fails + 1)); fi

if ((fails)); then echo "$fails failed"; exit 1; fi
echo "all passed"
