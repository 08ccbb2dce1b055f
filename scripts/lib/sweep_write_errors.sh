# Sourced by scripts/sweep: tells a failure caused by a file system that refuses writes (full disk, quota, read-only) from any other, and says what it means for the run.
# shellcheck shell=bash

# write_error_in DIR: if DIR takes no more data, prints why in the system's words (e.g. "No space
# left on device") and returns 0; returns 1 if it takes a byte. A program whose writes fail often
# exits 0 all the same (wb_bench writes its JSON and console log through C++ streams, which fail
# silently: the JSON is merely cut short), so once something came out wrong the sweep asks the
# file system itself, with a write of its own.
write_error_in() {
  local dir=$1 probe err
  probe=$dir/.sweep-write-probe.$$
  if err=$( { printf x >"$probe"; } 2>&1 ); then
    rm -f -- "$probe"
    return 1
  fi
  rm -f -- "$probe" 2>/dev/null || true
  printf '%s\n' "${err##*: }"
}

# tell_write_error: if a file system the sweep writes to refuses writes, says so, with the file it
# was writing ($writing) and what became of the run, and returns 0 (once; later calls return 0
# silently); returns 1 if every one takes writes. Reads the sweep's $partial, $out, $lists,
# $finished and $final.
write_error_told=false
tell_write_error() {
  $write_error_told && return 0
  local dir err where
  local dirs=("$lists")
  if $finished; then dirs=("$final"); elif [[ -n $partial ]]; then dirs+=("$partial"); else dirs+=("$out"); fi
  for dir in "${dirs[@]}"; do
    [[ -n $dir && -d $dir ]] || continue
    err=$(write_error_in "$dir") || continue
    where=$(df --output=target -- "$dir" 2>/dev/null | tail -n 1) || where=$dir
    write_error_told=true
    echo "sweep: ${err,} ($where) while writing ${writing:-into $dir}" >&2
    if $finished; then
      echo "sweep: the results in $final are published and complete; the page was not written" >&2
      echo "sweep: free space on $where, then run scripts/report $final" >&2
    else
      echo "sweep: nothing was published${partial:+: the partial run $partial is removed, which gives its space back};" \
           "the runs already in $out are untouched" >&2
      echo "sweep: free space on $where and re-run" >&2
    fi
    return 0
  done
  return 1
}
