"""Section 4's first part: the wait-list microbenchmarks (bench/waitlist/), every strategy's wait
list driven alone on one thread, no channel. One table per operation and allocator: a row per
strategy, and per waiter count the time per operation (median and cv), the allocations per
operation and the heap the list keeps. Allocation counts and heap sizes are exact, so their median
is shown without a spread."""

from dataclasses import dataclass

from .ordering import listed
from .stats import median, summarize

# What one operation is (bench/README.md, "Wait-list microbenchmarks"), in the order the page shows them.
OPERATIONS = {
    "link_take_wake": "N waiters linked; link one more, notify one, wake it; it settles and leaves. A wake-all list takes and "
                      "wakes all N+1, and the N that find nothing link again, as they do in a channel.",
    "link_cancel_front": "N waiters linked; link one more, then the oldest waiter gives up (a timeout).",
    "link_cancel_middle": "N waiters linked; link one more, then the waiter of median age gives up.",
    "link_cancel_back": "N waiters linked; link one more, and it gives up at once (a cancelled future).",
    "wake_all": "None linked; link N, wake them all (a close), in bounded batches where the list hands them over that way; all settle.",
}


@dataclass
class WaitListCell:
    time: object = None        # stats.Summary of ns_per_op, or None
    per_waiter: object = None  # stats.Summary of ns_per_waiter (wake_all only), or None
    allocs: float | None = None
    heap: float | None = None  # list_heap_bytes: what the list holds afterwards, capacity not size
    na: str | None = None      # why there is no number: n/a, an error, not in this run


@dataclass
class WaitListTable:
    allocator: str
    op: str
    meaning: str | None
    waiters: list  # the N of each column group
    rows: list     # (strategy, [WaitListCell per N])

    @property
    def title(self):
        return f"{self.op} ({self.allocator})"


def _cell(series):
    if series.why_missing:
        return WaitListCell(na=series.why_missing)
    cell = WaitListCell(time=summarize(series.values("ns_per_op")), per_waiter=summarize(series.values("ns_per_waiter")),
                        allocs=median(series.values("allocs_per_op")), heap=median(series.values("list_heap_bytes")))
    if None in (cell.time, cell.allocs, cell.heap):
        return WaitListCell(na="error: no ns_per_op, allocs_per_op or list_heap_bytes counter (a wb_bench this report does not know)")
    return cell


def tables(results):
    """Ordered by operation (the known ones first), then allocator in env.json's order."""
    out = []
    for allocator, run in results.runs.items():
        by_op = {}  # op -> strategy -> N -> cell
        for series in run.waitlists.values():
            k = series.key
            by_op.setdefault(k["op"], {}).setdefault(k["strategy"], {})[int(k["waiters"])] = _cell(series)
        for op, strategies in by_op.items():
            waiters = sorted({n for cells in strategies.values() for n in cells})
            rows = [(strategy, [strategies[strategy].get(n, WaitListCell(na="n/a: not in this run")) for n in waiters])
                    for strategy in sorted(strategies, key=results.impl_order.key)]
            out.append(WaitListTable(allocator, op, OPERATIONS.get(op), waiters, rows))
    allocators = list(results.runs)
    out.sort(key=lambda t: (listed(t.op, list(OPERATIONS)), allocators.index(t.allocator)))
    return out
