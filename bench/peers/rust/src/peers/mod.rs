//! The peers, one adapter per crate, and the table main.rs lists benchmarks from.

mod async_channel;
mod crossbeam;
mod flume;
mod tokio;

use crate::measure::{run_point, Measured, Settings};
use crate::party::{Blocking, OnRuntime};
use crate::peer::{AsyncPeer, Peer};
use crate::spec::{Mode, PeerInfo, Spec};

type RunPoint = fn(&Spec, &Settings) -> Result<Measured, String>;

/// A peer as the benchmark table sees it: what it can run, and how to run a point.
pub struct Entry {
    pub info: PeerInfo,
    run_sync: RunPoint,
    run_async: Option<RunPoint>,
}

impl Entry {
    fn sync_only<P: Peer>() -> Entry {
        Entry { info: info::<P>(false), run_sync: run_point::<P, Blocking>, run_async: None }
    }
    fn with_async<P: AsyncPeer>() -> Entry {
        Entry { info: info::<P>(true), run_sync: run_point::<P, Blocking>, run_async: Some(run_point::<P, OnRuntime>) }
    }

    /// Measures one repetition of `spec`, which `info` says this peer can run.
    pub fn run(&self, spec: &Spec, settings: &Settings) -> Result<Measured, String> {
        match spec.mode {
            Mode::Sync => (self.run_sync)(spec, settings),
            Mode::Async => {
                let run =
                    self.run_async.expect("wb_peers: skip_reason() let an async point through to a sync-only peer");
                run(spec, settings)
            }
        }
    }
}

fn info<P: Peer>(async_api: bool) -> PeerInfo {
    PeerInfo { name: P::NAME, async_api, single_receiver: P::SINGLE_RECEIVER }
}

/// Every peer, in the order of the benchmark listing.
pub fn all() -> Vec<Entry> {
    vec![
        Entry::sync_only::<crossbeam::Crossbeam>(),
        Entry::with_async::<flume::Flume>(),
        Entry::with_async::<async_channel::AsyncChannel>(),
        Entry::with_async::<tokio::Tokio>(),
    ]
}
