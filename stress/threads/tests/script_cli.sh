#!/usr/bin/env bash
# scripts/stress's command line: every bad argument exits 2 with a clear message before set-up,
# configure or build run, and leaves no log in results/stress; a good one runs wb_stress and says
# what the user asked for (--minutes). Usage: script_cli.sh REPO path/to/wb_stress
#
# It runs a copy of the script in a scratch repository whose scripts/setup and cmake only record
# that they ran (so the test takes seconds and builds nothing), with the real registry and stress
# sources (symlinks) and a copy of the built wb_stress where the script looks for it.
set -euo pipefail
repo=${1:?usage: $0 REPO path/to/wb_stress}
wb_stress=${2:?usage: $0 REPO path/to/wb_stress}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/stress-script-test.XXXXXX")
trap 'rm -rf -- "$scratch"' EXIT
fake=$scratch/repo
mkdir -p "$fake/scripts" "$fake/build/release/stress/threads" "$scratch/bin"
cp "$repo/scripts/stress" "$fake/scripts/"
cp -r "$repo/scripts/lib" "$fake/scripts/lib"
ln -s "$repo/impls" "$fake/impls"
ln -s "$repo/stress" "$fake/stress"
# A copy, so that its time stamp says it was built from the current sources.
cp "$wb_stress" "$fake/build/release/stress/threads/wb_stress"
ran=$scratch/ran  # one line per set-up or cmake call
cat >"$fake/scripts/setup" <<SH
#!/usr/bin/env bash
echo "setup \$*" >>"$ran"
SH
cat >"$scratch/bin/cmake" <<SH
#!/usr/bin/env bash
echo "cmake \$*" >>"$ran"
SH
chmod +x "$fake/scripts/setup" "$scratch/bin/cmake"
export PATH=$scratch/bin:$PATH

fails=0
# refused NAME REGEX -- ARGS...: exit 2, stderr matching REGEX, nothing run, nothing written.
refused() {
  local name=$1 regex=$2; shift 3
  local rc=0 t0=$SECONDS
  rm -f -- "$ran"
  "$fake/scripts/stress" "$@" >"$scratch/out" 2>"$scratch/err" || rc=$?
  local why=""
  ((rc == 2)) || why="exit $rc, want 2"
  [[ -z $why ]] && ! grep -Eq -- "$regex" "$scratch/err" && why="stderr does not match /$regex/"
  [[ -z $why && -e $ran ]] && why="ran before refusing: $(tr '\n' ';' <"$ran")"
  [[ -z $why && -e $fake/results ]] && why="wrote $(find "$fake/results" | tr '\n' ' ')"
  if [[ -n $why ]]; then
    echo "FAIL $name: $why"
    sed 's/^/    stdout: /' "$scratch/out"; sed 's/^/    stderr: /' "$scratch/err"
    fails=$((fails + 1))
  else
    echo "ok   $name ($((SECONDS - t0)) s): $(head -n 1 "$scratch/err")"
  fi
  rm -rf -- "$fake/results"
}

refused unknown-impl "stress: .*unknown (implementation|row) 'nope'.*vec" -- --impl nope
refused baseline-impl "'mutex_condvar' is a .*baseline" -- --impl mutex_condvar
refused impl-not-a-name "--impl: '../x' is not" -- --impl ../x
refused threads-one-number "--threads: '3' is not P,C" -- --threads 3
refused threads-zero "--threads: '0,2' is not P,C" -- --threads 0,2
refused threads-word "--threads: '2,x' is not P,C" -- --threads 2,x
refused threads-three "--threads: '1,2,3' is not P,C" -- --threads 1,2,3
refused threads-too-many "--threads: .*1 to 16" -- --threads 17,1
refused minutes-zero "--minutes: '0' is not a number of minutes above 0" -- --minutes 0
refused minutes-nan "--minutes: 'nan' is not a number of minutes above 0" -- --minutes nan
refused preset "--preset: unknown preset 'nope'" -- --preset nope
refused missing-value "--impl needs a value" -- --impl
refused unknown-flag "unknown argument '--seconds'" -- --seconds 5
# Without a wb_stress built from the current sources, the rows come from the registry itself.
touch -d @0 "$fake/build/release/stress/threads/wb_stress"
refused unknown-impl-no-current-build "stress: .*unknown (implementation|row) 'nope'.*vec" -- --impl nope
cp "$wb_stress" "$fake/build/release/stress/threads/wb_stress"

# Good arguments: set-up, configure and build run, then wb_stress, with the minutes asked for.
rm -f -- "$ran"
rc=0
"$fake/scripts/stress" --minutes 0.01 --impl vec --threads 2,1 >"$scratch/out" 2>&1 || rc=$?
logs=$(find "$fake/results/stress" -name '*.log' 2>/dev/null | wc -l)
if ((rc != 0)) || ! grep -q '^setup' "$ran" || ! grep -q '^cmake --build' "$ran" || ((logs != 1)) ||
   ! grep -Eq '^==> stress: --minutes 0.01[ ,].*--seconds 0.6' "$scratch/out"; then
  echo "FAIL good-arguments: exit $rc, $logs log(s), ran: $(tr '\n' ';' <"$ran" 2>/dev/null)"
  sed 's/^/    /' "$scratch/out"
  fails=$((fails + 1))
else
  echo "ok   good-arguments: $(grep '^==> stress:' "$scratch/out")"
fi

((fails == 0)) || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
