//! async-channel (smol's): async first, with blocking `send_blocking` / `recv_blocking` (since 1.7)
//! on the same channel.

use crate::peer::{AsyncOps, AsyncOpsUser, AsyncPeer, Closed, Ends, Peer};
use crate::spec::Capacity;

pub struct AsyncChannel;

impl Peer for AsyncChannel {
    const NAME: &'static str = "async_channel";
    type Tx = ::async_channel::Sender<u64>;
    type Rx = ::async_channel::Receiver<u64>;

    fn channel(capacity: Capacity) -> (Self::Tx, Self::Rx) {
        match capacity {
            Capacity::Bounded(n) => ::async_channel::bounded(n),
            Capacity::Unbounded => ::async_channel::unbounded(),
        }
    }
    fn clone_tx(tx: &Self::Tx) -> Self::Tx {
        tx.clone()
    }
    fn clone_rx(rx: &Self::Rx) -> Self::Rx {
        rx.clone()
    }
    fn send(tx: &Self::Tx, item: u64) -> Result<(), Closed> {
        tx.send_blocking(item).map_err(|_| Closed)
    }
    fn recv(rx: &Self::Rx) -> Option<u64> {
        rx.recv_blocking().ok()
    }
    fn try_recv(rx: &Self::Rx) -> Option<u64> {
        rx.try_recv().ok()
    }
}

impl AsyncPeer for AsyncChannel {
    fn with_async_ops<U: AsyncOpsUser>(ends: &Ends<Self>, user: U) -> U::Output {
        user.use_ops(AsyncOps {
            send: |item| {
                let tx = ends.tx();
                async move { tx.send(item).await.map_err(|_| Closed) }
            },
            recv: || {
                let rx = ends.rx();
                async move { rx.recv().await.ok() }
            },
            try_recv: || ends.rx().try_recv().ok(),
        })
    }
}
