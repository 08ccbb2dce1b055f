//! One repetition of one point (wb_bench's bench/measure.hpp and Rig): make the channel(s) and the
//! crew, run one warm-up round, then measured rounds until their summed time reaches min_time (at
//! least one), read the marks around them, stop the crew and check that every item arrived
//! exactly once.

use std::thread;

use crate::alloc_count;
use crate::crew::Crew;
use crate::machine::{allowed_cpus, party_cpu, pin_this_thread, thread_cpu_seconds};
use crate::party::{fail, Drive, Party, Tally};
use crate::peer::Peer;
use crate::rig::Plan;
use crate::spec::{Family, Spec};

/// Rounds run (and thrown away) before the first mark: one round of the same work is enough for
/// the channel's buffers and the allocator's caches to reach their high-water marks.
pub const WARMUP_ROUNDS: usize = 1;

pub struct Settings {
    /// Measured rounds run until their summed time reaches this (seconds).
    pub min_time: f64,
    pub pin: bool,
}

/// What one repetition measured.
pub struct Measured {
    /// Each measured round's seconds, in the order they ran.
    pub round_seconds: Vec<f64>,
    pub round_messages: usize,
    /// ping_pong: round trips per round; 0 otherwise.
    pub round_trips: usize,
    pub allocs: u64,
    pub bytes: u64,
    pub context_switches: u64,
    /// The driving thread's CPU time over the measured rounds (Google Benchmark's cpu_time).
    pub driver_cpu_seconds: f64,
}

/// The counters between two quiescent points.
struct Marks {
    allocs: alloc_count::AllocCounts,
    context_switches: u64,
    driver_cpu_seconds: f64,
}

impl Marks {
    fn take(crew: &Crew) -> Marks {
        Marks {
            allocs: alloc_count::totals(),
            context_switches: crew.context_switches(),
            driver_cpu_seconds: thread_cpu_seconds(),
        }
    }
}

/// Room for the measured rounds' times, reserved before the first mark: four times as many rounds
/// as the warm-up round predicts (it is usually the slowest), so the driving thread rarely needs
/// more between the marks.
fn round_capacity(min_time: f64, warmup_seconds: f64) -> usize {
    let predicted = min_time / warmup_seconds.max(1e-7);
    (4.0 * predicted).min(1e7) as usize + 16
}

pub fn run_point<P: Peer, D: Drive<P>>(spec: &Spec, settings: &Settings) -> Result<Measured, String> {
    let bench = spec.name();
    let plan = Plan::of(spec);
    let parties = plan.seats.len();
    let all_ends = plan.hand_out_ends::<P>(spec);
    let crew = Crew::new(parties);
    let cpus = allowed_cpus();

    let (measured, tallies) = thread::scope(|scope| {
        let threads: Vec<_> = all_ends
            .into_iter()
            .zip(&plan.seats)
            .enumerate()
            .map(|(me, (ends, seat))| {
                let (crew, bench) = (&crew, bench.as_str());
                let cpu = party_cpu(settings.pin, me, parties, &cpus);
                thread::Builder::new()
                    .name(format!("{}-{}", P::NAME, me))
                    .spawn_scoped(scope, move || {
                        if let Some(cpu) = cpu {
                            if !pin_this_thread(cpu) {
                                fail(bench, &format!("--pin: the kernel refused to pin party {} to CPU {}", me, cpu));
                            }
                        }
                        D::run(&ends, Party { role: seat.role, batch: spec.batch, crew, me, bench })
                    })
                    .unwrap_or_else(|e| fail(bench, &format!("cannot start a party thread: {}", e)))
            })
            .collect();

        let rounds = drive_rounds(&crew, settings.min_time);
        crew.stop();
        let tallies: Vec<Tally> =
            threads.into_iter().map(|t| t.join().unwrap_or_else(|_| fail(&bench, "a party thread panicked"))).collect();
        let parties_allocs = rounds.after.allocs - rounds.before.allocs - rounds.drivers_own_allocs;
        let measured = Measured {
            round_seconds: rounds.seconds,
            round_messages: plan.round_messages,
            round_trips: if spec.workload.family == Family::PingPong { plan.round_trips } else { 0 },
            allocs: parties_allocs.allocs,
            bytes: parties_allocs.bytes,
            context_switches: rounds.after.context_switches - rounds.before.context_switches,
            driver_cpu_seconds: rounds.after.driver_cpu_seconds - rounds.before.driver_cpu_seconds,
        };
        (measured, tallies)
    });
    check_exactly_once(&tallies)?;
    Ok(measured)
}

/// The measured rounds of a repetition and the marks around them.
struct Rounds {
    seconds: Vec<f64>,
    before: Marks,
    after: Marks,
    /// What the driving thread allocated between the marks (room for more round times).
    drivers_own_allocs: alloc_count::AllocCounts,
}

/// The driving thread's part: the warm-up rounds, then measured rounds until their summed time
/// reaches `min_time` (at least one), between two marks.
fn drive_rounds(crew: &Crew, min_time: f64) -> Rounds {
    let mut warmup_seconds = 0.0;
    for _ in 0..WARMUP_ROUNDS {
        warmup_seconds = crew.run_round();
    }
    let mut seconds = Vec::with_capacity(round_capacity(min_time, warmup_seconds));
    let mut drivers_own_allocs = alloc_count::AllocCounts::default();
    let before = Marks::take(crew);
    let mut total = 0.0;
    while seconds.is_empty() || total < min_time {
        if seconds.len() == seconds.capacity() {
            // Between rounds every party waits at the barrier, so this counts exactly the driving
            // thread's own reserve, which is the harness's, not the channel's.
            let reserving = alloc_count::totals();
            seconds.reserve(seconds.len());
            drivers_own_allocs = drivers_own_allocs + (alloc_count::totals() - reserving);
        }
        let round = crew.run_round();
        seconds.push(round);
        total += round;
    }
    let after = Marks::take(crew);
    Rounds { seconds, before, after, drivers_own_allocs }
}

/// Every item sent was received exactly once: the counts and the key sums agree.
fn check_exactly_once(tallies: &[Tally]) -> Result<(), String> {
    let all = tallies.iter().fold(Tally::default(), |a, t| Tally {
        sent: a.sent + t.sent,
        sent_keys: a.sent_keys.wrapping_add(t.sent_keys),
        received: a.received + t.received,
        received_keys: a.received_keys.wrapping_add(t.received_keys),
    });
    if all.sent != all.received || all.sent_keys != all.received_keys {
        return Err(format!(
            "items sent and received differ: an item was lost or delivered twice (sent {}, received {}; key sums {:#x} and {:#x})",
            all.sent, all.received, all.sent_keys, all.received_keys
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_or_doubled_item_fails_the_check() {
        let producer = Tally { sent: 2, sent_keys: 1 + 2, ..Tally::default() };
        let consumer = Tally { received: 2, received_keys: 1 + 2, ..Tally::default() };
        assert!(check_exactly_once(&[producer, consumer]).is_ok());
        let doubled = Tally { received: 2, received_keys: 1 + 1, ..Tally::default() };
        assert!(check_exactly_once(&[producer, doubled]).unwrap_err().starts_with("items sent and received differ"));
        let lost = Tally { received: 1, received_keys: 1, ..Tally::default() };
        assert!(check_exactly_once(&[producer, lost]).is_err());
    }
}
