//! The plan of one point (wb_bench's Rig::plan in bench/rig.hpp): each party's role, and which
//! channel it sends on and receives from; and the handing out of one peer's channel ends to the
//! parties.

use crate::party::Role;
use crate::peer::{Ends, Peer};
use crate::spec::{Family, Spec};

/// One party: its role and its channels (indexes into the point's channels).
pub struct Seat {
    pub role: Role,
    pub sends_on: Option<usize>,
    pub receives_from: Option<usize>,
}

pub struct Plan {
    /// ping_pong uses two channels (out and back), every other workload one.
    pub channels: usize,
    pub seats: Vec<Seat>,
    pub round_messages: usize,
    /// ping_pong: round trips per round (one round trip = `batch` items out and back).
    pub round_trips: usize,
}

/// Each producer's keys start in its own range (party index << 48), so no two items share one.
fn first_key(party: usize) -> u64 {
    (party as u64) << 48
}

impl Plan {
    pub fn of(spec: &Spec) -> Plan {
        let n = spec.round_messages();
        let b = spec.batch;
        let none = Role { cycles: 1, sends: 0, receives: 0, echo: false, first_key: 0 };
        match spec.workload.family {
            Family::Seq => {
                let k = spec.seq_chunk();
                let role = Role { cycles: n / k, sends: k, receives: k, first_key: first_key(0), ..none };
                Plan {
                    channels: 1,
                    seats: vec![Seat { role, sends_on: Some(0), receives_from: Some(0) }],
                    round_messages: n,
                    round_trips: 0,
                }
            }
            Family::PingPong => {
                let pings = n / (2 * b); // each round trip carries b items out and b back
                let pinger = Role { cycles: pings, sends: b, receives: b, first_key: first_key(0), ..none };
                let echo = Role { cycles: pings, receives: b, echo: true, ..none };
                Plan {
                    channels: 2,
                    seats: vec![
                        Seat { role: pinger, sends_on: Some(0), receives_from: Some(1) }, // out on A, back on B
                        Seat { role: echo, sends_on: Some(1), receives_from: Some(0) },   // in on A, out on B
                    ],
                    round_messages: n,
                    round_trips: pings,
                }
            }
            Family::Spsc | Family::Mpsc | Family::Mpmc => {
                let shape = spec.workload.shape();
                let producers = (0..shape.producers).map(|p| Seat {
                    role: Role { sends: n / shape.producers, first_key: first_key(p), ..none },
                    sends_on: Some(0),
                    receives_from: None,
                });
                let consumers = (0..shape.consumers).map(|_| Seat {
                    role: Role { receives: n / shape.consumers, ..none },
                    sends_on: None,
                    receives_from: Some(0),
                });
                Plan { channels: 1, seats: producers.chain(consumers).collect(), round_messages: n, round_trips: 0 }
            }
        }
    }

    /// Makes the channels and gives every seat its ends. A channel's last receiving seat gets its
    /// original receiver, the others clones, so a single-receiver peer (tokio) never clones.
    pub fn hand_out_ends<P: Peer>(&self, spec: &Spec) -> Vec<Ends<P>> {
        let (senders, mut receivers): (Vec<P::Tx>, Vec<Option<P::Rx>>) =
            (0..self.channels).map(|_| P::channel(spec.capacity)).map(|(tx, rx)| (tx, Some(rx))).unzip();
        let mut receivers_left = vec![0usize; self.channels];
        for c in self.seats.iter().filter_map(|s| s.receives_from) {
            receivers_left[c] += 1;
        }
        self.seats
            .iter()
            .map(|seat| Ends {
                tx: seat.sends_on.map(|c| P::clone_tx(&senders[c])),
                rx: seat.receives_from.map(|c| {
                    receivers_left[c] -= 1;
                    if receivers_left[c] == 0 {
                        receivers[c].take().expect("wb_peers: a channel's receiver was handed out twice")
                    } else {
                        P::clone_rx(receivers[c].as_ref().expect("wb_peers: a channel's receiver was handed out twice"))
                    }
                }),
            })
            .collect()
        // `senders` drop here: the parties hold their own clones, so the channels stay open until
        // the crew stops.
    }
}
