# Sourced by scripts/sweep: the run directory's life, written as DIR/.partial-*, published by an atomic rename, or removed on a signal or failure.
# shellcheck shell=bash
# Reads the sweep's $repo, $out and $name; sets $partial, $final and $finished. Sourcing it
# installs the traps that clean up.

partial=""      # DIR/.partial-*, while the run is being written
claimed=""      # the final name, reserved (empty) just before the rename
lists=""        # a temporary directory for the --benchmark_list_tests output
made_out=""     # DIR, if this sweep created it: removed again if nothing is left in it
finished=false  # true once the run directory is published (renamed into place)
final=""        # its name, once published
writing=""      # what the sweep is writing now, for the message if the disk refuses it
# shellcheck source=scripts/lib/sweep_children.sh
source "$repo/scripts/lib/sweep_children.sh"  # start_child, run_waiting, stop_children
# shellcheck source=scripts/lib/sweep_write_errors.sh
source "$repo/scripts/lib/sweep_write_errors.sh"  # tell_write_error: a full disk, said as such

# --- Clean-up: an interrupted or failed run leaves no run directory behind ------------------------
clean_up() {
  stop_children
  if [[ -n $partial && -d $partial ]]; then rm -rf -- "$partial"; fi
  if [[ -n $claimed && -d $claimed ]]; then rmdir -- "$claimed" 2>/dev/null || true; fi
  if [[ -n $lists ]]; then rm -rf -- "$lists"; fi
  if [[ -n $made_out ]] && ! $finished; then rmdir -- "$made_out" 2>/dev/null || true; fi
  partial="" claimed="" lists="" made_out=""
}

on_signal() {
  local name=$1 status=$2
  trap '' INT TERM HUP
  echo >&2
  if $finished; then  # only the page was being written
    echo "sweep: interrupted by SIG$name while writing the page; the results in $final are published" >&2
    echo "sweep: the page was not written; run scripts/report $final" >&2
  else
    echo "sweep: interrupted by SIG$name; stopping the benchmarks" >&2
  fi
  if [[ -n $partial ]]; then echo "sweep: removing $partial; nothing written" >&2; fi
  clean_up
  trap - EXIT
  exit "$status"
}

on_exit() {
  local rc=$?
  if ((rc != 0)) && tell_write_error; then :
  elif ! $finished && [[ -n $partial ]]; then echo "sweep: failed (status $rc); removing $partial" >&2; fi
  clean_up
}
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP
trap on_exit EXIT

# make_partial: creates DIR (if need be) and DIR/.partial-<name>.XXXXXX in it, as $partial, with
# an .owner file (pid and host) by which a later sweep tells a killed sweep's leftover.
make_partial() {
  local d owner_pid owner_host
  if [[ ! -d $out ]]; then
    writing=$out
    mkdir -p -- "$out" 2>/dev/null || { tell_write_error && exit 1; die_usage "--out $out cannot be created" "pick another --out"; }
    made_out=$out
  fi
  for d in "$out"/.partial-*; do  # left by a sweep killed with SIGKILL; not ours to delete
    [[ -d $d && -f $d/.owner ]] || continue
    read -r owner_pid owner_host <"$d/.owner" || continue
    if [[ $owner_host == "$(hostname)" ]] && ! kill -0 "$owner_pid" 2>/dev/null; then
      echo "sweep: note: $d is left from a sweep that was killed (pid $owner_pid); delete it" >&2
    fi
  done
  writing="the run directory in $out"
  partial=$(mktemp -d "$out/.partial-$name.XXXXXX" 2>/dev/null) ||
    { tell_write_error && exit 1; die_usage "--out $out is not writable" "pick a directory you can write to"; }
  chmod -- "$(umask -S)" "$partial"  # mktemp made it 0700; a run directory is as readable as any
  writing=$partial/.owner
  echo "$$ $(hostname)" >"$partial/.owner"
}

# publish_run: reserves a free name, DIR/<name>, then <name>-2, ... (mkdir is atomic, so two
# sweeps cannot take the same one), renames the finished $partial onto it, and sets $final.
publish_run() {
  local n=2
  rm -f -- "$partial/.owner"
  final=$out/$name
  writing=$final
  until mkdir -- "$final" 2>/dev/null; do
    [[ -e $final ]] || { echo "sweep: cannot create $final" >&2; exit 1; }
    final=$out/$name-$n
    n=$((n + 1))
  done
  claimed=$final
  mv -T -- "$partial" "$final"
  partial="" claimed=""
  finished=true
}
