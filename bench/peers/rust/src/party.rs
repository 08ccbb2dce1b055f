//! One party of a workload: each round it runs `cycles` cycles of
//!   send `sends` new items -> receive `receives` items, a batch at a time -> echo them back,
//! the cycle of wb_bench's bench/party.hpp. Producers, consumers, seq's single party, ping_pong's
//! pinger and its echo are all settings of it (rig.rs), so every workload and every peer runs the
//! same send and receive code.
//!
//! Two drivers run it: `Blocking` as plain loops of blocking calls (sync mode), `OnRuntime` as an
//! async fn on a tokio current-thread runtime of the party's own thread (async mode). Like wb_bench
//! (bench/plain_party.hpp), a sync party is not the async one with blocking awaits: the harness
//! would then measure its own state machine along with the channel.

use std::future::Future;

use crate::crew::Crew;
use crate::peer::{AsyncOps, AsyncOpsUser, AsyncPeer, Ends, Peer};

/// What a party does each round.
#[derive(Clone, Copy, Debug)]
pub struct Role {
    pub cycles: usize,
    /// New items sent per cycle.
    pub sends: usize,
    /// Items received per cycle.
    pub receives: usize,
    /// After receiving, send the received items back (ping_pong's echo).
    pub echo: bool,
    /// Keys of this party's new items count up from here.
    pub first_key: u64,
}

/// What a party moved, for the exactly-once check: the keys received must sum to the keys sent.
/// Sums wrap: both sides wrap alike.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    pub sent: u64,
    pub sent_keys: u64,
    pub received: u64,
    pub received_keys: u64,
}

/// Everything a party run needs besides its ends.
pub struct Party<'a> {
    pub role: Role,
    pub batch: usize,
    pub crew: &'a Crew,
    pub me: usize,
    /// The benchmark's name, for the message if the run breaks.
    pub bench: &'a str,
}

/// How a party thread runs its party.
pub trait Drive<P: Peer> {
    fn run(ends: &Ends<P>, party: Party<'_>) -> Tally;
}

/// Sync mode: plain loops of the peer's blocking calls.
pub struct Blocking;

impl<P: Peer> Drive<P> for Blocking {
    fn run(ends: &Ends<P>, party: Party<'_>) -> Tally {
        let Party { role, batch, crew, me, bench } = party;
        let mut book = Book::new(&role, batch);
        while crew.begin_round(me) {
            for _ in 0..role.cycles {
                for _ in 0..role.sends {
                    let item = book.new_item();
                    if P::send(ends.tx(), item).is_err() {
                        fail(bench, "a send failed on an open channel");
                    }
                }
                let mut got = 0;
                while got < role.receives {
                    let first =
                        P::recv(ends.rx()).unwrap_or_else(|| fail(bench, "a receive saw the channel closed mid-run"));
                    got += book.take_batch(first, batch.min(role.receives - got), || P::try_recv(ends.rx()));
                }
                for item in book.echo_items() {
                    if P::send(ends.tx(), item).is_err() {
                        fail(bench, "an echo failed on an open channel");
                    }
                }
            }
            crew.end_round(me);
        }
        book.tally
    }
}

/// Async mode: the same cycle as an async fn, on a tokio current-thread runtime owned by the
/// party's thread (wb_bench's async thread parties are coroutines on their own threads' run loops
/// too): a party that waits suspends, and the runtime parks its thread until a waker unparks it.
pub struct OnRuntime;

impl<P: AsyncPeer> Drive<P> for OnRuntime {
    fn run(ends: &Ends<P>, party: Party<'_>) -> Tally {
        P::with_async_ops(ends, party)
    }
}

impl AsyncOpsUser for Party<'_> {
    type Output = Tally;

    fn use_ops<S, SendFut, R, RecvFut, T>(self, ops: AsyncOps<S, R, T>) -> Tally
    where
        S: FnMut(u64) -> SendFut,
        SendFut: Future<Output = Result<(), crate::peer::Closed>>,
        R: FnMut() -> RecvFut,
        RecvFut: Future<Output = Option<u64>>,
        T: FnMut() -> Option<u64>,
    {
        // Made before the first round, like the threads: nothing of it is in the measured rounds.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|e| fail(self.bench, &format!("cannot start a tokio current-thread runtime: {}", e)));
        runtime.block_on(self.run_async(ops))
    }
}

impl Party<'_> {
    async fn run_async<S, SendFut, R, RecvFut, T>(self, ops: AsyncOps<S, R, T>) -> Tally
    where
        S: FnMut(u64) -> SendFut,
        SendFut: Future<Output = Result<(), crate::peer::Closed>>,
        R: FnMut() -> RecvFut,
        RecvFut: Future<Output = Option<u64>>,
        T: FnMut() -> Option<u64>,
    {
        let Party { role, batch, crew, me, bench } = self;
        let AsyncOps { mut send, mut recv, mut try_recv } = ops;
        let mut book = Book::new(&role, batch);
        // The round barrier blocks this thread, as wb_bench's Crew does its coroutine parties'
        // threads: the runtime has nothing else to run meanwhile.
        while crew.begin_round(me) {
            for _ in 0..role.cycles {
                for _ in 0..role.sends {
                    let item = book.new_item();
                    if send(item).await.is_err() {
                        fail(bench, "a send failed on an open channel");
                    }
                }
                let mut got = 0;
                while got < role.receives {
                    let first = recv().await.unwrap_or_else(|| fail(bench, "a receive saw the channel closed mid-run"));
                    got += book.take_batch(first, batch.min(role.receives - got), &mut try_recv);
                }
                for item in book.echo_items() {
                    if send(item).await.is_err() {
                        fail(bench, "an echo failed on an open channel");
                    }
                }
            }
            crew.end_round(me);
        }
        book.tally
    }
}

/// A party's bookkeeping, shared by both drivers: its next key, its tally, the items an echo
/// holds until it sends them back.
struct Book {
    next_key: u64,
    tally: Tally,
    echo: bool,
    /// Sized for a batch before the first round, so the steady state allocates nothing.
    held: Vec<u64>,
}

impl Book {
    fn new(role: &Role, batch: usize) -> Book {
        let held = Vec::with_capacity(if role.echo { batch } else { 0 });
        Book { next_key: role.first_key, tally: Tally::default(), echo: role.echo, held }
    }

    fn new_item(&mut self) -> u64 {
        let key = self.next_key;
        self.next_key += 1;
        self.tally.sent += 1;
        self.tally.sent_keys = self.tally.sent_keys.wrapping_add(key);
        key
    }

    fn received(&mut self, item: u64) {
        self.tally.received += 1;
        self.tally.received_keys = self.tally.received_keys.wrapping_add(item);
        if self.echo {
            self.held.push(item);
        }
    }

    /// A batch receive after its one waiting receive brought `first`: takes what is there right
    /// now, up to `max` in all. Returns how many were taken.
    fn take_batch(&mut self, first: u64, max: usize, mut try_recv: impl FnMut() -> Option<u64>) -> usize {
        self.received(first);
        let mut taken = 1;
        while taken < max {
            match try_recv() {
                Some(item) => self.received(item),
                None => break, // momentarily empty: the batch is what was there
            }
            taken += 1;
        }
        taken
    }

    /// The echo's received items, to send back (empty for every other party).
    fn echo_items(&mut self) -> std::vec::Drain<'_, u64> {
        let held = self.held.len() as u64;
        let keys = self.held.iter().fold(0u64, |sum, &k| sum.wrapping_add(k));
        self.tally.sent += held;
        self.tally.sent_keys = self.tally.sent_keys.wrapping_add(keys);
        self.held.drain(..)
    }
}

/// A broken run is a bug in the harness or the channel, not a figure: say which benchmark, and
/// stop the process (a party that returned would leave the others waiting at the round barrier).
pub fn fail(bench: &str, what: &str) -> ! {
    eprintln!("wb_peers: {}: {}", bench, what);
    std::process::abort();
}
