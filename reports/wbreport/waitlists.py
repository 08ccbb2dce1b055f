"""Section 4's first part: the wait-list microbenchmarks (bench/waitlist/), every strategy's wait
list driven alone on one thread, no channel. One table per operation and allocator: a row per
strategy, and per waiter count the time per operation (median and cv), the allocations per
operation and the heap the list keeps. Allocation counts and heap sizes are exact, so their median
is shown without a spread.

Beside the times, for the allocator the count step counted (counts.py): each cell's counted
instructions and D1 misses per operation, and under each table, per N, the pairs of strategies the
counts and the medians order differently (count_orders.py). The other allocator's tables have no
counts: the count step counts one wb_bench."""

from dataclasses import dataclass, field

from . import count_orders
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
    count: object = None       # counts.Figures of the point, None without
    count_na: str | None = None  # why it has no count, where the table is counted


@dataclass
class WaitListTable:
    allocator: str
    op: str
    meaning: str | None
    waiters: list  # the N of each column group
    rows: list     # (strategy, [WaitListCell per N])
    counted: bool = False  # its allocator's wb_bench was counted: every cell has a count or says why not
    orders: list = field(default_factory=list)  # count_orders.Orders per N with two rows timed and counted

    @property
    def orders_summary(self):
        return count_orders.summary(self.orders)

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


def _counted_cell(series, counts):
    """The cell of a table whose allocator was counted: its times, and its count or why it has none."""
    cell = _cell(series)
    cell.count = counts.figures("waitlists", series.key)
    cell.count_na = None if cell.count else counts.why_missing("waitlists", series.key)
    return cell


def tables(results):
    """Ordered by operation (the known ones first), then allocator in env.json's order."""
    out = []
    for allocator, run in results.runs.items():
        counts = results.counted_for(allocator)
        counted = counts is not None
        by_op = {}  # op -> strategy -> N -> series
        for series in run.waitlists.values():
            k = series.key
            by_op.setdefault(k["op"], {}).setdefault(k["strategy"], {})[int(k["waiters"])] = series
        for op, strategies in by_op.items():
            waiters = sorted({n for cells in strategies.values() for n in cells})
            order = sorted(strategies, key=results.impl_order.key)
            cells = {strategy: {n: _counted_cell(series, counts) if counted else _cell(series) for n, series in by_n.items()}
                     for strategy, by_n in strategies.items()}
            missing = WaitListCell(na="n/a: not in this run", count_na="n/a: not in this run")
            rows = [(strategy, [cells[strategy].get(n, missing) for n in waiters]) for strategy in order]
            table = WaitListTable(allocator, op, OPERATIONS.get(op), waiters, rows, counted)
            if counted:
                # Per N (a column): every strategy timed and counted there, timed by its ns/op repetitions.
                table.orders = [o for n in waiters if (o := count_orders.orders(table.title, f"N = {n}", [
                    (strategy, strategies[strategy][n].values("ns_per_op") if cells[strategy][n].time else [], cells[strategy][n].count)
                    for strategy in order if n in strategies[strategy]]))]
            out.append(table)
    allocators = list(results.runs)
    out.sort(key=lambda t: (listed(t.op, list(OPERATIONS)), allocators.index(t.allocator)))
    return out
