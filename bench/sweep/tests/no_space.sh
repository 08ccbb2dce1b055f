#!/usr/bin/env bash
# A disk that fills during a sweep (a real ENOSPC, on a small tmpfs another process fills while the
# first executable runs): exit 1, a message naming "No space left on device" and the file being
# written, nothing published, and the run published before it untouched.
#
# The tmpfs is mounted in a mount namespace of the test's own (unshare; as an unprivileged user
# also in a user namespace), so it needs no root and nothing outside sees it. Where namespaces
# are not allowed the test is skipped (exit 77, which ctest reports as skipped).
set -euo pipefail
if [[ -z ${WAKERBENCH_SWEEP_TEST_NAMESPACE-} ]]; then
  namespace=(--mount)
  ((EUID == 0)) || namespace=(--user --map-root-user --mount)
  if ! unshare "${namespace[@]}" true 2>/dev/null; then
    echo "skip: cannot make a mount namespace here (unshare ${namespace[*]}); no tmpfs to fill" >&2
    exit 77
  fi
  WAKERBENCH_SWEEP_TEST_NAMESPACE=1 exec unshare "${namespace[@]}" bash "$0" "$@"
fi
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

disk=$scratch/disk
mkdir "$disk"
mount -t tmpfs -o size=2m tmpfs "$disk"
cleanups+=("umount -l '$disk'")
out=$disk/results

# A run published earlier, which the failing sweep must leave as it was.
earlier=$out/20000101T000000Z-earlier
mkdir -p "$earlier"
printf '{"benchmarks": []}\n' >"$earlier/bench-system.json"
before=$(cd "$out" && find . -type f -exec sha256sum {} + | sort)

# A few seconds of benchmarks, so that the disk fills while the first executable runs.
run_sweep_bg() {
  "$sweep" --preset smoke --filter '^(spsc|mpmc2x2)/[^/]+/cap:1024/batch:1/payload:u64/mode:sync' \
    --out "$out" >"$scratch/full.out" 2>"$scratch/full.err" &
  pid=$!
}
run_sweep_bg
for ((i = 0; i < 600; i++)); do
  [[ -n $(find "$out" -path '*/.partial-*/bench-system.log' 2>/dev/null) ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
kill -0 "$pid" 2>/dev/null || { show full; fail "the sweep ended before the disk was filled"; }
dd if=/dev/zero of="$disk/filler" bs=64k 2>/dev/null || true  # until No space left on device
status=0
wait "$pid" || status=$?

expect_status full 1
expect_err full "no space left on device .*while writing .*bench-system"
expect_err full "nothing was published"
expect_err full "free space .*and re-run"
after=$(cd "$out" && find . -type f -exec sha256sum {} + | sort)
[[ $after == "$before" ]] || { show full; fail "the earlier run changed, or files were left: $(diff <(echo "$before") <(echo "$after"))"; }
leftovers=$(find "$out" -mindepth 1 -maxdepth 1 ! -path "$earlier")
[[ -z $leftovers ]] || { show full; fail "left in $out: $leftovers"; }
pass "disk full during the run: exit 1, says so, nothing published, the earlier run untouched"
