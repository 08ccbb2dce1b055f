//! Results in Google Benchmark 1.7's shapes: a JSON entry per repetition (run_type "iteration"),
//! then, with two or more measured repetitions, the mean/median/stddev/cv aggregates; n/a points as
//! error entries; and a console line per repetition. The counters are wb_bench's (measure.hpp),
//! except the wait/wake ones, which no peer exposes (said in the label instead).

use std::collections::BTreeMap;

use crate::json::{Object, Value};
use crate::measure::Measured;

pub enum Outcome {
    Measured(Measured),
    /// The peer cannot run the point; the reason starts "n/a:".
    NotApplicable(String),
    /// The run broke (an item lost or delivered twice); main exits non-zero.
    Failed(String),
}

/// A benchmark as the JSON names it.
pub struct Identity<'a> {
    pub name: &'a str,
    pub peer: &'a str,
    pub family_index: usize,
    pub repetitions: usize,
}

/// One measured repetition in Google Benchmark's terms.
struct Figures {
    iterations: usize,
    /// Mean round, nanoseconds (manual time: the rounds' own clocks).
    real_time_ns: f64,
    /// The driving thread's CPU time per round, nanoseconds.
    cpu_time_ns: f64,
    /// Sorted by name, as Google Benchmark's counter map prints them.
    counters: BTreeMap<&'static str, f64>,
}

impl Figures {
    fn of(m: &Measured) -> Figures {
        let rounds = m.round_seconds.len() as f64;
        let per_round = m.round_messages as f64;
        let messages = rounds * per_round;
        let total: f64 = m.round_seconds.iter().sum();
        // The median round, as wb_bench takes it (the upper middle of an even count): on a shared
        // VM a few rounds now and then run at a fraction of the speed, and the median ignores them.
        let mut sorted = m.round_seconds.clone();
        sorted.sort_by(|a, b| a.partial_cmp(b).expect("round times are finite"));
        let median = sorted[sorted.len() / 2];

        let mut c = BTreeMap::new();
        c.insert("msgs_per_s", per_round / median);
        c.insert("ns_per_msg", median * 1e9 / per_round);
        c.insert("msgs_per_s_mean", messages / total);
        c.insert("rounds", rounds);
        c.insert("round_messages", per_round);
        c.insert("allocs_per_msg", m.allocs as f64 / messages);
        c.insert("bytes_per_msg", m.bytes as f64 / messages);
        c.insert("ctx_switches_per_msg", m.context_switches as f64 / messages);
        if m.round_trips > 0 {
            c.insert("round_trip_ns", median * 1e9 / m.round_trips as f64);
        }
        Figures {
            iterations: m.round_seconds.len(),
            real_time_ns: total / rounds * 1e9,
            cpu_time_ns: m.driver_cpu_seconds / rounds * 1e9,
            counters: c,
        }
    }
}

fn label(peer: &str) -> String {
    format!("waits/wakes n/a: {} does not count its waits", peer)
}

/// The fields every entry of a benchmark starts with.
fn head(id: &Identity<'_>, name: &str, run_type: &str) -> Object {
    let mut o = Object::new();
    o.set("name", name)
        .set("family_index", id.family_index)
        .set("per_family_instance_index", 0usize)
        .set("run_name", id.name)
        .set("run_type", run_type)
        .set("repetitions", id.repetitions);
    o
}

/// The JSON entries of one benchmark: its repetitions in order, then its aggregates.
pub fn entries(id: &Identity<'_>, outcomes: &[Outcome]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut measured = Vec::new();
    for (index, outcome) in outcomes.iter().enumerate() {
        let mut o = head(id, id.name, "iteration");
        o.set("repetition_index", index).set("threads", 1usize);
        match outcome {
            Outcome::NotApplicable(message) | Outcome::Failed(message) => {
                o.set("error_occurred", true)
                    .set("error_message", message.as_str())
                    .set("iterations", 0usize)
                    .set("real_time", 0.0)
                    .set("cpu_time", 0.0)
                    .set("time_unit", "ns");
            }
            Outcome::Measured(m) => {
                let f = Figures::of(m);
                o.set("iterations", f.iterations)
                    .set("real_time", f.real_time_ns)
                    .set("cpu_time", f.cpu_time_ns)
                    .set("time_unit", "ns");
                for (&k, &v) in &f.counters {
                    o.set(k, v);
                }
                o.set("label", label(id.peer));
                measured.push(f);
            }
        }
        out.push(o.done());
    }
    if measured.len() >= 2 {
        out.extend(aggregates(id, &measured));
    }
    out
}

/// Google Benchmark's statistics over the measured repetitions: mean, median (the middle two
/// averaged), sample standard deviation, and cv = stddev / mean.
fn aggregates(id: &Identity<'_>, reps: &[Figures]) -> Vec<Value> {
    type Statistic = fn(&[f64]) -> f64;
    let stats: [(&str, &str, Statistic); 4] =
        [("mean", "time", mean), ("median", "time", median), ("stddev", "time", stddev), ("cv", "percentage", cv)];
    stats
        .iter()
        .map(|&(aggregate, unit, statistic)| {
            let of = |get: &dyn Fn(&Figures) -> f64| statistic(&reps.iter().map(get).collect::<Vec<_>>());
            let mut o = head(id, &format!("{}_{}", id.name, aggregate), "aggregate");
            o.set("threads", 1usize)
                .set("aggregate_name", aggregate)
                .set("aggregate_unit", unit)
                .set("iterations", reps.len())
                .set("real_time", of(&|f| f.real_time_ns))
                .set("cpu_time", of(&|f| f.cpu_time_ns))
                .set("time_unit", "ns");
            for &name in reps[0].counters.keys() {
                o.set(name, of(&|f| f.counters[name]));
            }
            o.set("label", label(id.peer));
            o.done()
        })
        .collect()
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}
fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let mid = s.len() / 2;
    if s.len() % 2 == 0 {
        (s[mid - 1] + s[mid]) / 2.0
    } else {
        s[mid]
    }
}
fn stddev(v: &[f64]) -> f64 {
    let m = mean(v);
    (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (v.len() as f64 - 1.0)).sqrt()
}
fn cv(v: &[f64]) -> f64 {
    stddev(v) / mean(v) // NaN for an all-zero counter, as Google Benchmark writes it
}

/// One console line for one repetition, in Google Benchmark's layout (the name first; errors as
/// "ERROR OCCURRED: '...'", which scripts/sweep's progress.py reads).
pub fn console_line(name: &str, width: usize, outcome: &Outcome) -> String {
    match outcome {
        Outcome::NotApplicable(message) | Outcome::Failed(message) => {
            format!("{:<width$} ERROR OCCURRED: '{}'", name, message, width = width)
        }
        Outcome::Measured(m) => {
            let f = Figures::of(m);
            format!(
                "{:<width$} {:>12.0} ns {:>12.0} ns {:>8} msgs_per_s={:.4}M ns_per_msg={:.2} allocs_per_msg={:.3}",
                name,
                f.real_time_ns,
                f.cpu_time_ns,
                f.iterations,
                f.counters["msgs_per_s"] * 1e-6,
                f.counters["ns_per_msg"],
                f.counters["allocs_per_msg"],
                width = width
            )
        }
    }
}
