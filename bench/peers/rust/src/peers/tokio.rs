//! tokio::sync::mpsc: async first, with `blocking_send` / `blocking_recv` for threads outside a
//! runtime. Bounded and unbounded are different types (`channel(n)`, `unbounded_channel()`), hence
//! the two-variant ends. It is multi-producer, single-consumer: the points with several receivers
//! are n/a.

use std::cell::RefCell;

use ::tokio::sync::mpsc;

use crate::peer::{AsyncOps, AsyncOpsUser, AsyncPeer, Closed, Ends, Peer};
use crate::spec::Capacity;

pub struct Tokio;

pub enum Tx {
    Bounded(mpsc::Sender<u64>),
    Unbounded(mpsc::UnboundedSender<u64>),
}

pub enum Receiver {
    Bounded(mpsc::Receiver<u64>),
    Unbounded(mpsc::UnboundedReceiver<u64>),
}

/// tokio's receive methods take `&mut self` (there is only one receiver), while the driver reaches
/// a party's ends through a shared reference from both its `recv` and `try_recv` closures. A
/// party never has two operations in flight, so the borrow never conflicts; it costs a flag check
/// per receive.
pub type Rx = RefCell<Receiver>;

impl Peer for Tokio {
    const NAME: &'static str = "tokio";
    const SINGLE_RECEIVER: Option<&'static str> =
        Some("tokio::sync::mpsc is multi-producer, single-consumer (its Receiver cannot be shared)");
    type Tx = Tx;
    type Rx = Rx;

    fn channel(capacity: Capacity) -> (Tx, Rx) {
        match capacity {
            Capacity::Bounded(n) => {
                let (tx, rx) = mpsc::channel(n);
                (Tx::Bounded(tx), RefCell::new(Receiver::Bounded(rx)))
            }
            Capacity::Unbounded => {
                let (tx, rx) = mpsc::unbounded_channel();
                (Tx::Unbounded(tx), RefCell::new(Receiver::Unbounded(rx)))
            }
        }
    }
    fn clone_tx(tx: &Tx) -> Tx {
        match tx {
            Tx::Bounded(s) => Tx::Bounded(s.clone()),
            Tx::Unbounded(s) => Tx::Unbounded(s.clone()),
        }
    }
    fn clone_rx(_: &Rx) -> Rx {
        unreachable!("wb_peers: tokio's Receiver cannot be cloned; skip_reason() makes multi-receiver points n/a")
    }
    fn send(tx: &Tx, item: u64) -> Result<(), Closed> {
        match tx {
            Tx::Bounded(s) => s.blocking_send(item).map_err(|_| Closed),
            Tx::Unbounded(s) => s.send(item).map_err(|_| Closed), // never waits
        }
    }
    fn recv(rx: &Rx) -> Option<u64> {
        match &mut *rx.borrow_mut() {
            Receiver::Bounded(r) => r.blocking_recv(),
            Receiver::Unbounded(r) => r.blocking_recv(),
        }
    }
    fn try_recv(rx: &Rx) -> Option<u64> {
        match &mut *rx.borrow_mut() {
            Receiver::Bounded(r) => r.try_recv().ok(),
            Receiver::Unbounded(r) => r.try_recv().ok(),
        }
    }
}

impl AsyncPeer for Tokio {
    // The receiver's borrow is held across the await: see `Rx`.
    #[allow(clippy::await_holding_refcell_ref)]
    fn with_async_ops<U: AsyncOpsUser>(ends: &Ends<Self>, user: U) -> U::Output {
        user.use_ops(AsyncOps {
            send: |item| {
                let tx = ends.tx();
                async move {
                    match tx {
                        Tx::Bounded(s) => s.send(item).await.map_err(|_| Closed),
                        Tx::Unbounded(s) => s.send(item).map_err(|_| Closed), // never waits
                    }
                }
            },
            recv: || {
                let rx = ends.rx();
                async move {
                    match &mut *rx.borrow_mut() {
                        Receiver::Bounded(r) => r.recv().await,
                        Receiver::Unbounded(r) => r.recv().await,
                    }
                }
            },
            try_recv: || Self::try_recv(ends.rx()),
        })
    }
}
