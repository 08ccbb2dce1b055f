# Sourced by scripts/stress: checks --impl and --threads against wb_stress's own parser and the registry, before anything is built.
# shellcheck shell=bash
#
# The row names live in one place, the registry (impls/include/wakerbench/registry.hpp), and the
# limits of --threads in one parser, wb_stress's (stress/threads/options.hpp); the script keeps no
# copy of either. Run with --help after the other arguments, wb_stress parses them all, refuses a
# bad one with exit 2 and its reason, and otherwise only prints its usage: that is the check,
# whenever a wb_stress built from the current sources is at hand. Without one (a fresh clone, or
# sources edited since the last build) the names come from the registry itself, through the
# program CMake reads it with; the thread limits are then checked once wb_stress is built, still
# before anything is written.

# The sources wb_stress takes its row names and option limits from.
stress_parser_sources=(impls/include stress/threads)

# current_wb_stress PRESET: prints a wb_stress built from the current sources (PRESET's first, any
# other preset's else: the rows and limits do not depend on the preset); fails if there is none.
# Built from the current sources = newer than every header and source it is made from, as make
# decides; a binary older than an edit of the registry could know other rows.
current_wb_stress() {
  local bin
  for bin in "build/$1/stress/threads/wb_stress" build/*/stress/threads/wb_stress; do
    [[ -x $bin ]] || continue
    if [[ -z $(find -H "${stress_parser_sources[@]}" \( -name '*.hpp' -o -name '*.cpp' -o -name '*.in' \) \
                 -newer "$bin" -print -quit 2>/dev/null) ]]; then
      printf '%s\n' "$bin"
      return 0
    fi
  done
  return 1
}

# check_with_wb_stress BIN ARGS...: BIN's parser over ARGS. A refusal (exit 2) is printed as
# scripts/stress's own and exits 2; returns 1 if BIN could not tell (it did not run), 0 if it agrees.
check_with_wb_stress() {
  local bin=$1 err rc=0
  shift
  err=$("$bin" "$@" --help 2>&1 >/dev/null) || rc=$?
  ((rc == 0)) && return 0
  ((rc == 2)) || return 1
  die_usage "$(sed -n '/see wb_stress --help/!s/^wb_stress: //p' <<<"$err")"
}

# registry_listing: the registry's implementations, "<row|baseline|peer> <core> <name>" a line, read
# by compiling and running impls/cmake/list_impls.cpp, as CMake does at configure time. The names
# are constants of the headers registry.hpp includes, picked through templates
# (MutexRow<SmallVecWaitList> is "small_vec"), so no text search of registry.hpp can read them
# reliably. About 2 s. Fails when it cannot compile (no compiler or headers yet: scripts/setup
# installs them; or an edit in progress).
registry_listing() {
  local dir rc=0
  dir=$(mktemp -d "${TMPDIR:-/tmp}/stress-registry.XXXXXX")
  if "${CXX:-c++}" -std=c++20 -I impls/include impls/cmake/list_impls.cpp -o "$dir/list_impls" \
       -ltbb -pthread >"$dir/compile.log" 2>&1; then
    "$dir/list_impls" || rc=$?
  else
    rc=1
  fi
  rm -rf -- "$dir"
  return "$rc"
}

# check_impl_against_registry NAME: exits 2 unless NAME is a row of the registry; returns 1 if the
# registry could not be read, which leaves the check to wb_stress once it is built.
check_impl_against_registry() {
  local name=$1 listing kind rows
  echo "==> checking --impl $name against the registry (no wb_stress built from the current sources)"
  listing=$(registry_listing) || return 1
  kind=$(awk -v n="$name" '$3 == n { print $1; exit }' <<<"$listing")
  [[ $kind == row ]] && return 0
  rows=$(awk '$1 == "row" { printf "%s%s", sep, $3; sep = ", " }' <<<"$listing")
  [[ -z $kind ]] || die_usage "--impl: '$name' is a benchmark $kind, not a row: wb_stress stresses rows (rows: $rows, or all)"
  die_usage "--impl: unknown row '$name' (rows: $rows, or all)"
}
