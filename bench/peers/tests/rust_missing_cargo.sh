#!/usr/bin/env bash
# ctest peers.rust.missing_cargo: with no cargo on PATH, rust_peers_check gives the reason and the
# tiny-run test skips (exit 77, "skipped: <reason>") instead of failing: what scripts/sweep records
# on a machine without Rust.
set -euo pipefail
repo=${1:?usage: rust_missing_cargo.sh REPO}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash=$(command -v bash)
no_cargo=$(mktemp -d)  # an empty directory: PATH holds nothing at all, so certainly no cargo
trap 'rmdir -- "$no_cargo"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expected="cargo not found on PATH (install Debian's cargo, or rustup)"

reason=$(
  # shellcheck source=../../../scripts/lib/rust_peers.sh
  . "$repo/scripts/lib/rust_peers.sh"
  PATH=$no_cargo
  rust_peers_check 2>/dev/null
  printf '%s' "$rust_peers_skip_reason"
)
[[ $reason == "$expected" ]] || fail "rust_peers_check without cargo: reason '$reason', expected '$expected'"
echo "ok: rust_peers_check says: $reason"

rc=0
# shellcheck disable=SC2031  # repo is only read (the lib is sourced in the subshell above)
out=$(PATH=$no_cargo "$bash" "$here/rust_tiny_run.sh" "$repo" 2>/dev/null) || rc=$?
((rc == 77)) || fail "rust_tiny_run.sh without cargo exited $rc, not 77 (a skip): $out"
[[ $out == "skipped: $expected" ]] || fail "rust_tiny_run.sh without cargo printed '$out', not 'skipped: $expected'"
echo "ok: the tiny run skips: $out"
