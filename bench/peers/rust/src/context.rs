//! The JSON's top-level "context": Google Benchmark's machine fields, and wb_bench's wakerbench_*
//! fields with the peers' own (toolchain and crate versions, recorded by build.rs at build time).

use std::ffi::CStr;
use std::fs;
use std::mem;

use crate::json::{Object, Value};
use crate::machine::Machine;
use crate::measure::WARMUP_ROUNDS;

/// Read once at start-up, as Google Benchmark does.
pub fn context(argv0: &str, machine: &Machine, peer_names: &[&str], pinned: bool) -> Value {
    let widths: Vec<String> = machine.scaling_widths().iter().map(|w| w.to_string()).collect();
    let mut c = Object::new();
    c.set("date", local_date())
        .set("host_name", host_name())
        .set("executable", argv0)
        .set("num_cpus", online_cpus())
        .set("mhz_per_cpu", Value::Int(mhz_per_cpu()))
        .set("cpu_scaling_enabled", false)
        .set("caches", Value::Arr(Vec::new()))
        .set("load_avg", Value::Arr(load_avg().iter().map(|&x| Value::Num(x)).collect()))
        .set("library_build_type", "release")
        // Rust's System allocator, which the counting allocator wraps, is glibc's malloc.
        .set("wakerbench_allocator", "glibc")
        .set("wakerbench_allocator_version", glibc_version())
        .set("wakerbench_peers", peer_names.join(","))
        .set("wakerbench_peer_toolchain", env!("WB_PEERS_TOOLCHAIN"))
        .set("wakerbench_peer_crates", env!("WB_PEERS_CRATES"))
        .set("wakerbench_warmup_rounds", WARMUP_ROUNDS.to_string())
        .set("wakerbench_cpus", machine.cpus.to_string())
        .set("wakerbench_cpus_from", if machine.overridden { "WAKERBENCH_CPUS" } else { "affinity" })
        .set("wakerbench_scaling_widths", widths.join(","))
        .set("wakerbench_pinned", if pinned { "true" } else { "false" });
    c.done()
}

/// Local time, ISO 8601 with the UTC offset, as Google Benchmark writes it ("2026-11-30T17:55:04+00:00").
fn local_date() -> String {
    // SAFETY: time, localtime_r and strftime write into the buffers given, within their sizes.
    unsafe {
        let now = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = mem::zeroed();
        if libc::localtime_r(&now, &mut tm).is_null() {
            return String::new();
        }
        let mut buf = [0u8; 64];
        let n = libc::strftime(
            buf.as_mut_ptr() as *mut libc::c_char,
            buf.len(),
            b"%Y-%m-%dT%H:%M:%S%z\0".as_ptr() as *const libc::c_char,
            &tm,
        );
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        // %z is "+0000"; ISO 8601's extended form, which Google Benchmark writes, is "+00:00".
        match text.len() {
            len if len >= 5 => format!("{}:{}", &text[..len - 2], &text[len - 2..]),
            _ => text,
        }
    }
}

fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes.
    if unsafe { libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, buf.len()) } != 0 {
        return String::new();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

fn online_cpus() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    if n > 0 {
        n as usize
    } else {
        1
    }
}

/// The first "cpu MHz" of /proc/cpuinfo, or 0 where there is none (some VMs and architectures).
fn mhz_per_cpu() -> i64 {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    cpuinfo
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(key, _)| key.trim() == "cpu MHz")
        .and_then(|(_, value)| value.trim().parse::<f64>().ok())
        .map_or(0, |mhz| mhz.round() as i64)
}

fn load_avg() -> Vec<f64> {
    let mut loads = [0f64; 3];
    // SAFETY: getloadavg writes at most 3 values.
    let n = unsafe { libc::getloadavg(loads.as_mut_ptr(), 3) };
    loads[..n.max(0) as usize].to_vec()
}

fn glibc_version() -> String {
    // SAFETY: glibc returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(libc::gnu_get_libc_version()).to_string_lossy().into_owned() }
}
