# Sourced by scripts/sweep: the peer runs (issue 17), executables of their own measuring channels
# people already use under wb_bench's benchmark names. Today one, the Rust peers (wb_peers,
# bench/peers/rust). A peer run that cannot be made is not a failure: its reason is recorded in
# env.json (peers_skipped) and shown on the page.
# shellcheck shell=bash

# shellcheck source=scripts/lib/rust_peers.sh
source "$(dirname "${BASH_SOURCE[0]}")/rust_peers.sh"

# sweep_peers_prepare REPO WANTED BIN_DIR_MODE: sets peer_exe[NAME] for each peer run that can go
# ahead and peer_skipped[NAME] to the reason for each that cannot (both associative arrays, declared
# by the caller). WANTED is false for --no-peers. BIN_DIR_MODE (WAKERBENCH_SWEEP_BIN_DIR) builds
# nothing: it takes WAKERBENCH_SWEEP_PEERS_BIN, a wb_peers already built, or skips.
sweep_peers_prepare() {
  local repo=$1 wanted=$2 bin_dir_mode=$3 exe
  if ! $wanted; then
    peer_skipped[rust]="--no-peers"
    return 0
  fi
  if $bin_dir_mode; then
    if [[ -n ${WAKERBENCH_SWEEP_PEERS_BIN-} ]]; then
      [[ -x $WAKERBENCH_SWEEP_PEERS_BIN ]] || { echo "sweep: WAKERBENCH_SWEEP_PEERS_BIN=$WAKERBENCH_SWEEP_PEERS_BIN is not an executable" >&2; return 2; }
      peer_exe[rust]=$WAKERBENCH_SWEEP_PEERS_BIN
    else
      peer_skipped[rust]="not built: WAKERBENCH_SWEEP_BIN_DIR runs prebuilt executables only (set WAKERBENCH_SWEEP_PEERS_BIN to a wb_peers)"
    fi
    return 0
  fi
  rust_peers_check
  if [[ -n $rust_peers_skip_reason ]]; then
    peer_skipped[rust]=$rust_peers_skip_reason
    return 0
  fi
  local log t0
  log=$(mktemp "${TMPDIR:-/tmp}/sweep-peers-build.XXXXXX")
  t0=$(date +%s.%N)
  echo "==> peers: building the Rust peers (cargo, offline, Debian's crates; the first build takes about a minute)"
  if exe=$(rust_peers_build "$repo" 2>"$log"); then
    echo "<== peers ok ($(since "$t0"))"
    peer_exe[rust]=$exe
  else
    echo "<== peers FAILED ($(since "$t0")): the sweep goes on without them; the end of cargo's output:"
    tail -n 15 "$log" | sed 's/^/    /'
    peer_skipped[rust]="the Rust peers did not build ($(grep -m1 -E '^error' "$log" || tail -n 1 "$log"))"
  fi
  rm -f -- "$log"
  return 0
}

# sweep_peers_args ARGS...: the flags a peer run takes of wb_bench's: all but wb_bench's own
# --min_time_for (the decision box's longer points, which no peer is one of).
sweep_peers_args() {
  local a
  for a in "$@"; do
    [[ $a == --min_time_for=* ]] || printf '%s\0' "$a"
  done
}
