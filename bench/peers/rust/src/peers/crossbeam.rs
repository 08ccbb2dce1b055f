//! crossbeam-channel: sync only (its waiters are threads; it has no async API).

use crate::peer::{Closed, Peer};
use crate::spec::Capacity;

pub struct Crossbeam;

impl Peer for Crossbeam {
    const NAME: &'static str = "crossbeam";
    type Tx = crossbeam_channel::Sender<u64>;
    type Rx = crossbeam_channel::Receiver<u64>;

    fn channel(capacity: Capacity) -> (Self::Tx, Self::Rx) {
        match capacity {
            Capacity::Bounded(n) => crossbeam_channel::bounded(n),
            Capacity::Unbounded => crossbeam_channel::unbounded(),
        }
    }
    fn clone_tx(tx: &Self::Tx) -> Self::Tx {
        tx.clone()
    }
    fn clone_rx(rx: &Self::Rx) -> Self::Rx {
        rx.clone()
    }
    fn send(tx: &Self::Tx, item: u64) -> Result<(), Closed> {
        tx.send(item).map_err(|_| Closed)
    }
    fn recv(rx: &Self::Rx) -> Option<u64> {
        rx.recv().ok()
    }
    fn try_recv(rx: &Self::Rx) -> Option<u64> {
        rx.try_recv().ok()
    }
}
