//! The round barrier, made to behave like the libstdc++ 12 `std::barrier` that wb_bench's Crew
//! uses, so that a round's edges cost a peer what they cost a row.
//!
//! Why not `std::sync::Barrier`: it is a mutex and a condition variable, and its release wakes every
//! waiter only for each to take the mutex again, one after another; on this 2-core VM that put tens
//! of microseconds between the parties' starts, inside the measured round. libstdc++'s waits on an
//! atomic: spin 12 times with a pause, yield 4 times, then sleep on a futex; the last to arrive
//! wakes all sleepers at once. So does this one.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::yield_now;

pub struct Barrier {
    parties: u32,
    arrived: AtomicU32,
    /// Bumped by the last to arrive; the futex word the others sleep on.
    phase: AtomicU32,
}

/// libstdc++'s __atomic_spin_count_relax and __atomic_spin_count.
const SPINS_WITH_PAUSE: u32 = 12;
const SPINS: u32 = 16;

impl Barrier {
    pub fn new(parties: usize) -> Barrier {
        let parties = u32::try_from(parties).expect("wb_peers: more parties than a barrier counts");
        Barrier { parties, arrived: AtomicU32::new(0), phase: AtomicU32::new(0) }
    }

    /// Blocks until all `parties` have called it for this phase. Everything a thread wrote before
    /// its call is visible to every thread after theirs.
    pub fn wait(&self) {
        // Read before arriving: the phase cannot move on until this thread has arrived.
        let phase = self.phase.load(Ordering::Acquire);
        // AcqRel: the arrivals form one release sequence, which the last arriver acquires and
        // passes on with its release of the new phase.
        if self.arrived.fetch_add(1, Ordering::AcqRel) + 1 == self.parties {
            self.arrived.store(0, Ordering::Relaxed); // ordered before the phase's release below
            self.phase.store(phase.wrapping_add(1), Ordering::Release);
            futex_wake_all(&self.phase);
            return;
        }
        let mut spins = 0;
        while self.phase.load(Ordering::Acquire) == phase {
            if spins < SPINS_WITH_PAUSE {
                spin_loop();
            } else if spins < SPINS {
                yield_now();
            } else {
                futex_wait(&self.phase, phase);
            }
            spins += 1;
        }
    }
}

/// An AtomicU32 has the in-memory representation of a u32 (AtomicU32::as_ptr is newer than Debian's
/// rustc 1.63).
fn futex_address(word: &AtomicU32) -> *const u32 {
    word as *const AtomicU32 as *const u32
}

/// Sleeps while `word` holds `expected` (or until a spurious wake-up; the caller re-checks).
fn futex_wait(word: &AtomicU32, expected: u32) {
    // SAFETY: the address is a live, aligned u32 for the duration of the call; the kernel only
    // compares it with `expected`.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            futex_address(word),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            std::ptr::null::<libc::timespec>(),
        );
    }
}

fn futex_wake_all(word: &AtomicU32) {
    // SAFETY: as above; waking has no effect on memory.
    unsafe {
        libc::syscall(libc::SYS_futex, futex_address(word), libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG, i32::MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    #[test]
    fn every_phase_sees_every_arrival() {
        let barrier = Barrier::new(4);
        let counter = AtomicU64::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for phase in 0..1000u64 {
                        counter.fetch_add(1, Ordering::Relaxed);
                        barrier.wait();
                        assert!(counter.load(Ordering::Relaxed) >= 4 * (phase + 1));
                        barrier.wait();
                    }
                });
            }
        });
        assert_eq!(counter.into_inner(), 4000);
    }
}
