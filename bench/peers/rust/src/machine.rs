//! What the runner takes from the machine, as wb_bench does (bench/machine.hpp, pinning.hpp): the
//! CPUs this process may use and from them the scaling widths, pinning, and the per-thread clocks
//! and counters the rounds read.

use std::mem;

/// The largest WAKERBENCH_CPUS accepted (wb_bench's kMaxCpus).
const MAX_CPUS: usize = 1024;

pub struct Machine {
    /// CPUs this process may run on (its affinity mask), or the WAKERBENCH_CPUS override.
    pub cpus: usize,
    pub overridden: bool,
}

impl Machine {
    /// This process's CPUs, or WAKERBENCH_CPUS; an error naming the problem if that is not a count.
    pub fn from_env() -> Result<Machine, String> {
        match std::env::var_os("WAKERBENCH_CPUS") {
            None => Ok(Machine { cpus: allowed_cpus().len().max(1), overridden: false }),
            Some(text) => {
                let text = text.to_string_lossy();
                match text.parse::<usize>() {
                    Ok(n) if (1..=MAX_CPUS).contains(&n) => Ok(Machine { cpus: n, overridden: true }),
                    _ => Err(format!(
                        "WAKERBENCH_CPUS='{}' is not a CPU count from 1 to {}; unset it to use this machine's own count",
                        text, MAX_CPUS
                    )),
                }
            }
        }
    }

    /// Producer (and, for mpmc, consumer) counts of the scaling workloads, wb_bench's rule: 2 and 4
    /// always, every power of two up to the CPU count, the count itself, and twice it.
    pub fn scaling_widths(&self) -> Vec<usize> {
        let mut w = vec![2, 4, self.cpus, 2 * self.cpus];
        w.extend((3..).map(|e| 1usize << e).take_while(|&p| p <= self.cpus));
        w.retain(|&x| x >= 2);
        w.sort_unstable();
        w.dedup();
        w
    }
}

/// The CPUs of this process's affinity mask, in order; empty if the kernel will not say.
pub fn allowed_cpus() -> Vec<usize> {
    // SAFETY: cpu_set_t is plain data; sched_getaffinity writes at most its size.
    unsafe {
        let mut set: libc::cpu_set_t = mem::zeroed();
        if libc::sched_getaffinity(0, mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return Vec::new();
        }
        (0..libc::CPU_SETSIZE as usize).filter(|&c| libc::CPU_ISSET(c, &set)).collect()
    }
}

/// The CPU party `i` of `parties` runs on under --pin: the i-th CPU of the affinity mask when there
/// are at least as many CPUs as parties; otherwise none is pinned (the workload is oversubscribed
/// anyway, and that is how wb_bench --pin runs it too, so peers and rows stay comparable).
pub fn party_cpu(pin: bool, i: usize, parties: usize, cpus: &[usize]) -> Option<usize> {
    if pin && parties <= cpus.len() {
        Some(cpus[i])
    } else {
        None
    }
}

/// Pins the calling thread to `cpu`; false if the kernel refused.
pub fn pin_this_thread(cpu: usize) -> bool {
    // SAFETY: as above; pid 0 is the calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}

fn rusage(who: libc::c_int) -> libc::rusage {
    // SAFETY: rusage is plain data that getrusage fills in.
    unsafe {
        let mut u: libc::rusage = mem::zeroed();
        libc::getrusage(who, &mut u);
        u
    }
}

/// Voluntary + involuntary context switches of the calling thread so far.
pub fn thread_context_switches() -> u64 {
    let u = rusage(libc::RUSAGE_THREAD);
    u.ru_nvcsw as u64 + u.ru_nivcsw as u64
}

/// CPU seconds the calling thread has used (Google Benchmark's cpu_time is the driving thread's).
pub fn thread_cpu_seconds() -> f64 {
    // SAFETY: timespec is plain data that clock_gettime fills in.
    unsafe {
        let mut t: libc::timespec = mem::zeroed();
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t);
        t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_wb_bench() {
        assert_eq!(Machine { cpus: 2, overridden: true }.scaling_widths(), vec![2, 4]);
        assert_eq!(Machine { cpus: 1, overridden: true }.scaling_widths(), vec![2, 4]);
        assert_eq!(Machine { cpus: 64, overridden: true }.scaling_widths(), vec![2, 4, 8, 16, 32, 64, 128]);
        assert_eq!(Machine { cpus: 6, overridden: true }.scaling_widths(), vec![2, 4, 6, 12]);
    }
}
