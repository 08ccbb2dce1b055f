//! Records what built wb_peers, for the results' context (context.rs): the toolchain (rustc and
//! cargo versions) and the exact version of each peer crate, read from the Cargo.lock that cargo
//! has just resolved against Debian's registry. Debian's crates move with point releases, so
//! nothing here is written by hand.

use std::env;
use std::fs;
use std::path::Path;
use std::process::Command;

const PEER_CRATES: [&str; 4] = ["crossbeam-channel", "flume", "async-channel", "tokio"];

fn main() {
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=build.rs");

    let lock_path =
        Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("Cargo.lock");
    let lock = fs::read_to_string(&lock_path)
        .unwrap_or_else(|e| panic!("{}: {} (cargo writes it before it builds anything)", lock_path.display(), e));
    let crates: Vec<String> =
        PEER_CRATES.iter().map(|name| format!("{} {}", name, locked_versions(&lock, name))).collect();
    println!("cargo:rustc-env=WB_PEERS_CRATES={}", crates.join(", "));

    let toolchain = format!("{}, {}", version_of("RUSTC", "rustc"), version_of("CARGO", "cargo"));
    println!("cargo:rustc-env=WB_PEERS_TOOLCHAIN={}", toolchain);
}

/// The version(s) of `name` in Cargo.lock ("0.5.6"; two versions, if two were resolved, as "a+b").
fn locked_versions(lock: &str, name: &str) -> String {
    let name_line = format!("name = \"{}\"", name);
    let versions: Vec<&str> = lock
        .split("[[package]]")
        .filter(|block| block.lines().any(|line| line.trim() == name_line))
        .filter_map(|block| block.lines().find_map(|line| line.trim().strip_prefix("version = \"")?.strip_suffix('"')))
        .collect();
    if versions.is_empty() {
        panic!("Cargo.lock has no package {}: is it still a dependency in Cargo.toml?", name);
    }
    versions.join("+")
}

/// `<tool> --version`, the tool being the one cargo names in `var` (the toolchain building this).
fn version_of(var: &str, fallback: &str) -> String {
    let tool = env::var(var).unwrap_or_else(|_| fallback.to_owned());
    match Command::new(&tool).arg("--version").output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        _ => format!("{} (version unknown: `{} --version` failed)", fallback, tool),
    }
}
