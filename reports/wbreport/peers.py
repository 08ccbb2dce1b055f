"""Near the top of the page: against the channels you know (issue 17).

For each thread workload at the run's largest bounded capacity (1024 in every preset), u64, sync,
batch 1 and batch 256: the best row (the highest median msgs/s among the waiter-storage rows, never
a baseline or a peer) against each peer, as the ratio best row / peer of their median msgs/s with
the bootstrap interval of a ratio of medians (stats.median_ratio), read for that point alone. A peer
without numbers at a point stays a line that says why; one the run did not measure there is left out. Where the peers came from (wb_bench itself,
or a peer run and its toolchain and crate versions), and why a peer run was skipped, is said above
the table.

Points with more busy threads than cores are kept and marked: a reader comparing with their own
channel wants to see them, but they measure the scheduler as much as the channel."""

from dataclasses import dataclass, field

from .ordering import cap_key, largest_bounded_cap, workload_key
from .provenance import oversubscribed
from .stats import median, median_ratio
from .throughput import first_run
from .workloads import waiting_dominates

COUNTER = "msgs_per_s"
BATCHES = ("1", "256")
MODE, PAYLOAD = "sync", "u64"


@dataclass
class Line:
    workload: str
    cap: str
    batch: str
    best: str                 # the best row's name
    best_values: list         # its msgs/s per repetition
    peer: str
    peer_values: list = field(default_factory=list)
    ratio: object = None      # stats.Ratio best row / peer, None when the peer has no numbers
    why_missing: str | None = None
    oversubscribed: bool = False

    @property
    def verdict(self):
        """'row 2.1x faster', 'peer 3.0x faster' or 'no difference', by whether the interval holds 1."""
        if self.ratio is None:
            return self.why_missing
        low, high = self.ratio.interval()
        if low <= 1 <= high:
            return "no difference (interval holds 1)"
        if self.ratio.value > 1:
            return f"{self.best} {self.ratio.value:.2f}x faster"
        return f"{self.peer} {1 / self.ratio.value:.2f}x faster"


@dataclass
class Against:
    allocator: str
    cap: str | None
    sources: list       # results.PeerSource
    lines: list         # Line, in the page's order
    peers: list = field(default_factory=list)  # the peers, in the page's order

    @property
    def summary(self):
        """One line per peer: at how many points the best row is faster, slower, or no different."""
        out = []
        for peer in self.peers:
            mine = [ln for ln in self.lines if ln.peer == peer and ln.ratio is not None]
            if not mine:
                continue
            faster = sum(ln.ratio.interval()[0] > 1 for ln in mine)
            slower = sum(ln.ratio.interval()[1] < 1 for ln in mine)
            out.append(f"{peer}: the best row is faster at {faster}, slower at {slower}, no different at "
                       f"{len(mine) - faster - slower} of {len(mine)} points")
        return out


def _values(series):
    return series.values(COUNTER) if series is not None and series.why_missing is None else []


def _why(series):
    return series.why_missing or f"error: no {COUNTER} counter"


def analyse(results):
    allocator, run = first_run(results)
    cap = largest_bounded_cap(run)
    order = results.impl_order
    peers, baselines = sorted(results.peers, key=order.key), results.baselines
    lines = []
    if cap is None or not peers:
        return Against(allocator, cap, results.peer_sources, lines, peers)
    at = {}
    for s in run.points.values():
        k = s.key
        if ((k["cap"], k["mode"], k["payload"]) != (cap, MODE, PAYLOAD) or k["batch"] not in BATCHES
                or waiting_dominates(k["workload"], run)):
            continue
        at.setdefault((k["workload"], k["batch"]), {})[k["impl"]] = s
    for (workload, batch), by_impl in at.items():
        rows = {impl: _values(s) for impl, s in by_impl.items() if impl not in peers and impl not in baselines}
        rows = {impl: v for impl, v in rows.items() if v}
        if not rows:
            continue
        best = max(rows, key=lambda impl: median(rows[impl]))
        for peer in peers:
            series = by_impl.get(peer)
            if series is None:
                continue  # the peer run left this point out (its preset's filter): nothing to say
            values = _values(series)
            line = Line(workload, cap, batch, best, rows[best], peer, values, oversubscribed=bool(oversubscribed(results, run, workload)))
            if values:
                line.ratio = median_ratio(rows[best], values)
            else:
                line.why_missing = _why(series)
            lines.append(line)
    lines.sort(key=lambda ln: (workload_key(ln.workload), cap_key(ln.cap), int(ln.batch), order.key(ln.peer)))
    return Against(allocator, cap, results.peer_sources, lines, peers)
