//! Crew: the party threads of one benchmark run, started once and driven round by round (wb_bench's
//! bench/crew.hpp), so thread creation, runtimes and warm-up stay outside the measured rounds. All
//! parties plus the driving thread meet at one barrier at the start and end of each round, so a
//! round's time, allocations and context switches are read at a quiescent point.
//!
//! A round is timed by the parties' own clocks, from the first party's start to the last party's
//! finish: the driving thread may be scheduled only well after the last party has finished (on 2
//! cores, sometimes more than a round later), and that delay is the barrier's, not the channel's.
//! The barrier waits as wb_bench's does (barrier.rs), so the round's edges cost the same.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::Instant;

use crate::barrier::Barrier;
use crate::machine::thread_context_switches;

pub struct Crew {
    barrier: Barrier,
    slots: Vec<Slot>,
    stopping: AtomicBool,
    epoch: Instant,
}

/// One party's figures, on a cache line of its own: written only by its party with every round.
/// Relaxed is enough: the barrier orders the party's writes before the driving thread's reads.
#[repr(align(64))]
#[derive(Default)]
struct Slot {
    started_ns: AtomicU64,
    finished_ns: AtomicU64,
    switches_at_start: AtomicU64,
    switches_in_rounds: AtomicU64,
}

impl Crew {
    pub fn new(parties: usize) -> Crew {
        Crew {
            barrier: Barrier::new(parties + 1),
            slots: (0..parties).map(|_| Slot::default()).collect(),
            stopping: AtomicBool::new(false),
            epoch: Instant::now(),
        }
    }

    /// Party side: blocks until the next round starts; false when the crew is stopping.
    pub fn begin_round(&self, party: usize) -> bool {
        self.barrier.wait();
        if self.stopping.load(Relaxed) {
            return false;
        }
        let slot = &self.slots[party];
        slot.switches_at_start.store(thread_context_switches(), Relaxed);
        slot.started_ns.store(self.now_ns(), Relaxed);
        true
    }

    /// Party side: this round's work is done.
    pub fn end_round(&self, party: usize) {
        let slot = &self.slots[party];
        slot.finished_ns.store(self.now_ns(), Relaxed);
        let switches = thread_context_switches() - slot.switches_at_start.load(Relaxed);
        slot.switches_in_rounds.fetch_add(switches, Relaxed);
        self.barrier.wait();
    }

    /// Driving thread: runs one round; returns its seconds, first party start to last party finish.
    pub fn run_round(&self) -> f64 {
        self.barrier.wait(); // the round starts
        self.barrier.wait(); // every party has finished it
        let first_start = self.slots.iter().map(|s| s.started_ns.load(Relaxed)).min().unwrap_or(0);
        let last_finish = self.slots.iter().map(|s| s.finished_ns.load(Relaxed)).max().unwrap_or(0);
        last_finish.saturating_sub(first_start) as f64 * 1e-9
    }

    /// Driving thread: lets the parties leave (each `begin_round` returns false).
    pub fn stop(&self) {
        self.stopping.store(true, Relaxed); // the barrier below orders it before the parties' reads
        self.barrier.wait();
    }

    /// Voluntary + involuntary context switches of the party threads inside rounds so far
    /// (getrusage(RUSAGE_THREAD), as wb_bench's Crew). Driving thread, between rounds.
    pub fn context_switches(&self) -> u64 {
        self.slots.iter().map(|s| s.switches_in_rounds.load(Relaxed)).sum()
    }

    fn now_ns(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }
}
