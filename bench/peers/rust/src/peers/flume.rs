//! flume, with its default features (what a user gets from `flume = "0.10"`): blocking and async
//! operations on the same channel.

use crate::peer::{AsyncOps, AsyncOpsUser, AsyncPeer, Closed, Ends, Peer};
use crate::spec::Capacity;

pub struct Flume;

impl Peer for Flume {
    const NAME: &'static str = "flume";
    type Tx = ::flume::Sender<u64>;
    type Rx = ::flume::Receiver<u64>;

    fn channel(capacity: Capacity) -> (Self::Tx, Self::Rx) {
        match capacity {
            Capacity::Bounded(n) => ::flume::bounded(n),
            Capacity::Unbounded => ::flume::unbounded(),
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

impl AsyncPeer for Flume {
    fn with_async_ops<U: AsyncOpsUser>(ends: &Ends<Self>, user: U) -> U::Output {
        user.use_ops(AsyncOps {
            send: |item| {
                let tx = ends.tx();
                async move { tx.send_async(item).await.map_err(|_| Closed) }
            },
            recv: || {
                let rx = ends.rx();
                async move { rx.recv_async().await.ok() }
            },
            try_recv: || ends.rx().try_recv().ok(),
        })
    }
}
