//! What the one workload driver (party.rs) needs from a channel crate: a small adapter per crate
//! (peers/*.rs) implements `Peer` (blocking calls) and, if the crate has them, `AsyncPeer`.
//!
//! None of these crates has batch operations. A batch is sent as `batch` single sends and received
//! as one blocking receive followed by non-blocking `try_recv`s until the batch is full or the
//! channel is momentarily empty: how batch-channel's own benchmark drives channels without a batch
//! API. So only `send`, `recv` and `try_recv` are needed.

use std::future::Future;

use crate::spec::Capacity;

/// A send found every receiver gone.
#[derive(Debug)]
pub struct Closed;

pub trait Peer: Sized + 'static {
    /// The name in benchmark names (`spsc/<NAME>/...`).
    const NAME: &'static str;
    /// Why two receivers cannot share one channel, if they cannot (the multi-receiver points are
    /// then n/a, and `clone_rx` is never called).
    const SINGLE_RECEIVER: Option<&'static str> = None;

    type Tx: Send;
    type Rx: Send;

    fn channel(capacity: Capacity) -> (Self::Tx, Self::Rx);
    fn clone_tx(tx: &Self::Tx) -> Self::Tx;
    fn clone_rx(rx: &Self::Rx) -> Self::Rx;

    /// Blocks while the channel is full.
    fn send(tx: &Self::Tx, item: u64) -> Result<(), Closed>;
    /// Blocks while the channel is empty; `None` once it is closed and drained.
    fn recv(rx: &Self::Rx) -> Option<u64>;
    /// `None` if nothing is there right now (or the channel is closed and drained).
    fn try_recv(rx: &Self::Rx) -> Option<u64>;
}

/// A party's handles: what it sends on and what it receives from (a producer has no receiver, a
/// consumer no sender).
pub struct Ends<P: Peer> {
    pub tx: Option<P::Tx>,
    pub rx: Option<P::Rx>,
}

impl<P: Peer> Ends<P> {
    pub fn tx(&self) -> &P::Tx {
        self.tx.as_ref().expect("wb_peers: a party with no sender was asked to send (rig.rs wiring bug)")
    }
    pub fn rx(&self) -> &P::Rx {
        self.rx.as_ref().expect("wb_peers: a party with no receiver was asked to receive (rig.rs wiring bug)")
    }
}

/// A crate with async sends and receives.
///
/// Why a visitor rather than methods returning futures: tokio's `Sender::send` is an `async fn`,
/// whose future has no type one can name, and a trait method cannot return an unnamed type on
/// Debian's rustc 1.63 (no GATs, no `impl Trait` in traits). A closure's return type is inferred,
/// so the adapter hands its operations to the driver as closures over the party's ends, and no
/// future is boxed (a boxed future would show as an allocation per message that is not the
/// channel's).
pub trait AsyncPeer: Peer {
    fn with_async_ops<U: AsyncOpsUser>(ends: &Ends<Self>, user: U) -> U::Output;
}

/// One party's async operations.
pub struct AsyncOps<S, R, T> {
    /// Waits while the channel is full.
    pub send: S,
    /// Waits while the channel is empty; `None` once it is closed and drained.
    pub recv: R,
    /// Never waits; `None` if nothing is there right now.
    pub try_recv: T,
}

/// Whatever runs a party with an `AsyncOps` (party.rs's async driver).
pub trait AsyncOpsUser {
    type Output;
    fn use_ops<S, SendFut, R, RecvFut, T>(self, ops: AsyncOps<S, R, T>) -> Self::Output
    where
        S: FnMut(u64) -> SendFut,
        SendFut: Future<Output = Result<(), Closed>>,
        R: FnMut() -> RecvFut,
        RecvFut: Future<Output = Option<u64>>,
        T: FnMut() -> Option<u64>;
}
