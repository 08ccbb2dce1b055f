//! One point of the matrix: workload x peer x capacity x batch x mode, its Google Benchmark name,
//! the shape of its parties, its round size, and why a peer cannot run it. Every rule here is
//! wb_bench's (bench/spec.hpp), so a peer's figure and a row's figure measure the same work.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// One thread sends a chunk, then receives it (never waits).
    Seq,
    /// One sender, one receiver.
    Spsc,
    /// `width` senders, one receiver.
    Mpsc,
    /// `width` senders, `width` receivers.
    Mpmc,
    /// A pinger and an echo over two channels (round-trip latency).
    PingPong,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workload {
    pub family: Family,
    /// mpsc: senders; mpmc: senders = receivers; 0 for the others.
    pub width: usize,
}

/// Who takes part. seq is one party doing both sides; ping_pong is a pinger and an echo.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub producers: usize,
    pub consumers: usize,
}

impl Workload {
    pub fn shape(self) -> Shape {
        let (producers, consumers) = match self.family {
            Family::Seq => (1, 0),
            Family::Spsc | Family::PingPong => (1, 1),
            Family::Mpsc => (self.width, 1),
            Family::Mpmc => (self.width, self.width),
        };
        Shape { producers, consumers }
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.family {
            Family::Seq => f.write_str("seq"),
            Family::Spsc => f.write_str("spsc"),
            Family::Mpsc => write!(f, "mpsc{}", self.width),
            Family::Mpmc => write!(f, "mpmc{0}x{0}", self.width),
            Family::PingPong => f.write_str("ping_pong"),
        }
    }
}

/// The thread-per-party workloads in wb_bench's order: seq, spsc, mpscP, mpmcPxP, ping_pong.
pub fn thread_workloads(scaling_widths: &[usize]) -> Vec<Workload> {
    let mut w = vec![Workload { family: Family::Seq, width: 0 }, Workload { family: Family::Spsc, width: 0 }];
    w.extend(scaling_widths.iter().map(|&p| Workload { family: Family::Mpsc, width: p }));
    w.extend(scaling_widths.iter().map(|&p| Workload { family: Family::Mpmc, width: p }));
    w.push(Workload { family: Family::PingPong, width: 0 });
    w
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capacity {
    Bounded(usize),
    Unbounded,
}

impl fmt::Display for Capacity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Capacity::Bounded(n) => write!(f, "{}", n),
            Capacity::Unbounded => f.write_str("unbounded"),
        }
    }
}

/// Capacity 1 is a one-slot buffer in every peer here. crossbeam's and flume's `bounded(0)` would
/// be a rendezvous (a send waits for a receiver), a different channel, so it is not used.
pub const CAPACITIES: [Capacity; 3] = [Capacity::Bounded(1), Capacity::Bounded(1024), Capacity::Unbounded];
pub const BATCHES: [usize; 3] = [1, 16, 256];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Parties block their threads in the peer's blocking calls.
    Sync,
    /// Each party is an async fn on its own thread's tokio current-thread runtime.
    Async,
}
pub const MODES: [Mode; 2] = [Mode::Sync, Mode::Async];

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Sync => "sync",
            Mode::Async => "async",
        })
    }
}

/// What the matrix needs to know about a peer to decide what it can run.
#[derive(Clone, Copy, Debug)]
pub struct PeerInfo {
    pub name: &'static str,
    pub async_api: bool,
    /// Why several receivers cannot share one of its channels, if they cannot.
    pub single_receiver: Option<&'static str>,
}

#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub workload: Workload,
    pub peer: &'static str,
    pub capacity: Capacity,
    pub batch: usize,
    pub mode: Mode,
}

/// At larger batches a round is at least this many batches (wb_bench's kMinBatchesPerRound).
const MIN_BATCHES_PER_ROUND: usize = 256;

impl Spec {
    /// The benchmark's name as wb_bench's JSON has it. Google Benchmark appends "/manual_time" to
    /// the name of every benchmark timed with UseManualTime, which all of wb_bench's are.
    pub fn name(&self) -> String {
        format!(
            "{}/{}/cap:{}/batch:{}/payload:u64/mode:{}/manual_time",
            self.workload, self.peer, self.capacity, self.batch, self.mode
        )
    }

    /// Messages delivered per measured round (wb_bench's Spec::round_messages, whose comment says
    /// why these sizes): seq never waits and needs the most; at capacity 1 every message waits.
    pub fn round_messages(&self) -> usize {
        let at_least_batches = MIN_BATCHES_PER_ROUND * self.batch;
        match (self.workload.family, self.capacity) {
            (Family::Seq, _) => at_least_batches.max(16384),
            (_, Capacity::Bounded(1)) => 256,
            _ => at_least_batches.max(4096),
        }
    }

    /// seq sends this many, then receives them, until the round is done: as much as fits, in
    /// whole batches.
    pub fn seq_chunk(&self) -> usize {
        let room = match self.capacity {
            Capacity::Bounded(n) => n.min(1024),
            Capacity::Unbounded => 1024,
        };
        room / self.batch * self.batch
    }

    /// Why `peer` cannot run this point (a reason starting "n/a:", as in wb_bench's JSON), or
    /// nothing if it can.
    pub fn skip_reason(&self, peer: &PeerInfo) -> Option<String> {
        if self.mode == Mode::Async && !peer.async_api {
            return Some(format!("n/a: {} has no async API (its waiters block threads)", peer.name));
        }
        if let Some(why) = peer.single_receiver {
            let shape = self.workload.shape();
            if shape.consumers > 1 {
                return Some(format!("n/a: {} has {} receivers; {}", self.workload, shape.consumers, why));
            }
        }
        // Single-party or echo workloads: a whole batch must fit before anyone takes from the other end.
        let batch_must_fit = matches!(self.workload.family, Family::Seq | Family::PingPong);
        if let Capacity::Bounded(capacity) = self.capacity {
            if batch_must_fit && capacity < self.batch {
                return Some(format!(
                    "n/a: {} puts a whole batch in before taking any out; capacity {} < batch {} would block forever",
                    self.workload, capacity, self.batch
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(family: Family, width: usize, capacity: Capacity, batch: usize) -> Spec {
        Spec { workload: Workload { family, width }, peer: "crossbeam", capacity, batch, mode: Mode::Sync }
    }

    #[test]
    fn names_are_wb_bench_names() {
        let s = spec(Family::Mpmc, 2, Capacity::Bounded(1024), 256);
        assert_eq!(s.name(), "mpmc2x2/crossbeam/cap:1024/batch:256/payload:u64/mode:sync/manual_time");
        let s = spec(Family::Mpsc, 4, Capacity::Unbounded, 1);
        assert_eq!(s.name(), "mpsc4/crossbeam/cap:unbounded/batch:1/payload:u64/mode:sync/manual_time");
    }

    #[test]
    fn round_sizes_follow_wb_bench() {
        assert_eq!(spec(Family::Seq, 0, Capacity::Bounded(1), 1).round_messages(), 16384);
        assert_eq!(spec(Family::Seq, 0, Capacity::Unbounded, 256).round_messages(), 65536);
        assert_eq!(spec(Family::Spsc, 0, Capacity::Bounded(1), 256).round_messages(), 256);
        assert_eq!(spec(Family::Spsc, 0, Capacity::Bounded(1024), 1).round_messages(), 4096);
        assert_eq!(spec(Family::Mpmc, 4, Capacity::Bounded(1024), 256).round_messages(), 65536);
        assert_eq!(spec(Family::Seq, 0, Capacity::Bounded(1024), 256).seq_chunk(), 1024);
        assert_eq!(spec(Family::Seq, 0, Capacity::Bounded(1), 1).seq_chunk(), 1);
    }
}
