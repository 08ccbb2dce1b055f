# Sourced by scripts/sweep and the peers' ctest tests (bench/peers/tests/): whether the Rust peers
# can be built here, and building them. The runner, wb_peers (bench/peers/rust), is built with
# whatever cargo is on PATH (rustup's or Debian's), offline, from Debian's packaged crates only.
# Safe under set -euo pipefail; what they do goes to stderr, results to stdout or a variable.
# shellcheck shell=bash

# Where Debian's librust-*-dev packages put their crates; bench/peers/rust/.cargo/config.toml
# points cargo there.
rust_peers_registry=/usr/share/cargo/registry

# The crates wb_peers names in its Cargo.toml, each with the Debian package that ships it (their own
# dependencies come with those packages).
rust_peers_crates=(
  crossbeam-channel:librust-crossbeam-channel-dev
  flume:librust-flume-dev
  async-channel:librust-async-channel-dev
  tokio:librust-tokio-dev
  libc:librust-libc-dev
)

# rust_peers_check: sets rust_peers_skip_reason to "" when the peers can be built (a cargo on PATH
# that runs, every crate in the registry), otherwise to a one-line reason saying what to do.
# Always returns 0: the caller decides what a skip means.
rust_peers_check() {
  rust_peers_skip_reason=""
  local cargo version entry crate found=() missing=()
  if ! cargo=$(command -v cargo); then
    rust_peers_skip_reason="cargo not found on PATH (install Debian's cargo, or rustup)"
  elif ! version=$(cargo --version 2>&1); then
    rust_peers_skip_reason="$cargo does not run ('cargo --version' says: ${version%%$'\n'*})"
  else
    for entry in "${rust_peers_crates[@]}"; do
      crate=${entry%%:*}
      # Debian names the directories <crate>-<version>: the digit keeps tokio from matching tokio-macros.
      if compgen -G "$rust_peers_registry/$crate-[0-9]*" >/dev/null; then
        found+=("$(basename "$(compgen -G "$rust_peers_registry/$crate-[0-9]*" | sort -V | tail -n 1)")")
      else
        missing+=("${entry#*:}")
      fi
    done
    if ((${#missing[@]} > 0)); then
      rust_peers_skip_reason="Debian crates missing: ${missing[*]} (run scripts/setup)"
    fi
  fi
  if [[ -n $rust_peers_skip_reason ]]; then
    echo "rust_peers: skipping the Rust peers: $rust_peers_skip_reason" >&2
  else
    echo "rust_peers: $version at $cargo; crates in $rust_peers_registry: ${found[*]}" >&2
  fi
  return 0
}

# rust_peers_build REPO: builds wb_peers in release mode into REPO/build/peers-rust, offline, and
# prints the binary's path on stdout (cargo's progress goes to stderr). Non-zero, with cargo's error
# above, if the build fails.
rust_peers_build() {
  local repo=${1:?rust_peers_build: pass the repository root}
  local source=$repo/bench/peers/rust target=$repo/build/peers-rust
  echo "rust_peers: building wb_peers (cargo build --release --offline) from $source into $target" >&2
  # In a subshell: cargo reads .cargo/config.toml (the offline source replacement) from the directory
  # it starts in, so it must start in the package; the caller's directory and environment stay as
  # they were. Chained with &&: set -e does not apply inside an if's condition.
  if ! (
    cd "$source" &&
      export CARGO_TARGET_DIR=$target &&
      # Cargo.lock is not committed: resolve again against what the registry holds now (a Debian
      # point release may have replaced a version the last lock named). A no-op when nothing moved.
      cargo update --offline >&2 &&
      # Two jobs, as the CMake presets' builds: this machine has two cores.
      cargo build --release --offline --jobs 2 >&2
  ); then
    echo "rust_peers: building wb_peers FAILED (cargo's error is above)" >&2
    return 1
  fi
  echo "$target/release/wb_peers"
}
