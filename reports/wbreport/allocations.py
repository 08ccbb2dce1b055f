"""Section 5's data: where each row's steady-state allocations come from (its wait list, or the
queue's own storage), allocations per message for each point of the first allocator (the other
runs' counts on hover), and what a burst of waiters leaves behind, checked against what the allocator reports in use.
Allocation counts are exact (counted, not timed), so the median of the repetitions is shown
without a spread."""

from dataclasses import dataclass, field

from .ordering import WAIT_LISTS, group_key
from .stats import median
from .workloads import waiting_dominates

# A row's allocations are its wait list's when, at the points where it allocates, it makes about one
# allocation per wait (a vector re-grown after every take allocates exactly one).
PER_WAIT = (0.9, 1.1)
# Below this many allocations per message everywhere, allocations are rare events (a queue growing,
# a block recycled), not a cost every message or every wait pays.
RARE = 0.01
# Allocations per message that vary by no more than this factor across a row's points, where its
# allocations per wait vary by its square or more, follow the messages, not the waits.
STEADY = 1.25
# A burst's in-use growth beyond its wait lists that is within this of the smallest such growth
# (what every row's burst holds: the channel, the harness's handles and run loop) agrees.
BURST_SLACK = 2048


@dataclass
class AllocCell:
    allocs: float | None = None
    bytes: float | None = None
    waits: float | None = None  # waits per message at the point, None without the counter
    na: str | None = None
    others: list = field(default_factory=list)  # (allocator, allocs per message or None) of the other runs

    @property
    def per_wait(self):
        return self.allocs / self.waits if self.allocs is not None and self.waits else None

    @property
    def hover(self):
        text = f"{self.bytes:.3g} bytes per message" + (f", {self.bytes / self.allocs:.3g} per allocation" if self.allocs else "")
        for allocator, allocs in self.others:
            text += f"; {allocator}: " + ("not measured" if allocs is None else "the same" if allocs == self.allocs else f"{allocs:.3g}")
        return text


@dataclass
class AllocTable:
    allocator: str
    workload: str
    cap: str
    payload: str
    mode: str
    batches: list
    rows: list     # (impl, [AllocCell per batch])

    @property
    def title(self):
        return f"{self.workload}, capacity {self.cap}, {self.payload}, {self.mode} ({self.allocator})"


def _cell(series):
    if series.why_missing:
        return AllocCell(na=series.why_missing)
    cell = AllocCell(allocs=median(series.values("allocs_per_msg")), bytes=median(series.values("bytes_per_msg")),
                     waits=median(series.values("waits_per_msg")))
    if cell.allocs is None or cell.bytes is None:
        return AllocCell(na="n/a: this run recorded no allocation counters for it")
    return cell


def tables(results):
    """A table per point group of the first allocator's run; each cell says on hover what the other runs counted."""
    (allocator, run), *others = list(results.runs.items())
    cells = {}  # (workload, cap, payload, mode) -> impl -> batch -> AllocCell
    for name, series in run.points.items():
        k = series.key
        cell = _cell(series)
        if not cell.na:
            for other, other_run in others:
                o = other_run.points.get(name)
                cell.others.append((other, _cell(o).allocs if o else None))
        cells.setdefault((k["workload"], k["cap"], k["payload"], k["mode"]), {}).setdefault(k["impl"], {})[int(k["batch"])] = cell
    out = []
    for key in sorted(cells, key=group_key):
        group = cells[key]
        batches = sorted({b for impl in group.values() for b in impl})
        rows = [(impl, [group[impl].get(b, AllocCell(na="n/a: not in this run")) for b in batches])
                for impl in sorted(group, key=results.impl_order.key)]
        out.append(AllocTable(allocator, *key, batches=batches, rows=rows))
    return out


def waits_in(order, impl):
    """The wait list a row waits in, as the wait-list microbenchmarks name it, or None if none of them
    is its: a mutex row's own, or, for a lock-free row, the one strategy that is no row (the event
    count they all block through, DESIGN.md, "Waiter-storage strategies"). The registry does not
    name a lock-free row's wait list, so that is read from there being exactly one such strategy."""
    core, spare = order.cores.get(impl), order.members(WAIT_LISTS)
    if core == "mutex":
        return impl
    return spare[0] if core == "lockfree" and len(spare) == 1 else None


@dataclass
class Source:
    """Where one row's allocations come from, over the thread workloads of the first allocator."""

    impl: str
    points: int                   # points that ran
    allocating: int               # of them, points with any allocation
    without_waits: float | None   # the most allocations per message at a point where nothing waited
    per_wait: tuple | None        # (lowest, median, highest) allocations per wait, at allocating points with waits
    bytes_each: float | None      # median bytes per allocation over allocating points
    list_free: bool | None        # its wait list never allocated nor kept heap in the microbenchmarks (None: not measured)
    origin: str                   # "none", "wait list", "queue", "growth", "mixed"
    why: str


def _list_free(run, strategy):
    """True if the wait list allocated nothing and kept no heap in every wait-list microbenchmark of it
    (None: not measured)."""
    cells = [_waitlist_counts(s) for s in run.waitlists.values() if s.key["strategy"] == strategy and not s.why_missing]
    cells = [c for c in cells if None not in c]
    return all(a == 0 and h == 0 for a, h in cells) if cells else None


def _waitlist_counts(series):
    return median(series.values("allocs_per_op")), median(series.values("list_heap_bytes"))


def _origin(allocating, without_waits, per_wait, bytes_each, unbounded, list_free):
    """(origin, why) from the numbers only: the tracer counts allocations, not who made them."""
    if not allocating:
        return "none", "no allocation at any point"
    each = f"{bytes_each:,.0f} B each" if bytes_each is not None else "size unknown"
    most = max(allocating)
    waits = (f"median {per_wait[1]:.2g} per wait, {per_wait[0]:.2g} to {per_wait[2]:.2g}" if per_wait else "no waits counted")
    if per_wait and PER_WAIT[0] <= per_wait[1] <= PER_WAIT[1] and not without_waits:
        return "wait list", (f"one allocation per wait ({waits}; {each}) and none where nothing waits: "
                             "the wait list's storage, allocated for waiters")
    if without_waits:
        return "queue", (f"allocates where nothing waits (up to {without_waits:.3g} per message, {each}): the queue's own "
                         "storage, which messages need whether or not anyone waits; not waiter storage")
    if per_wait and most <= STEADY * min(allocating) and per_wait[2] >= STEADY * STEADY * per_wait[0]:
        return "queue", (f"the same {most:.3g} per message everywhere ({each}) while waits per message vary ({waits}): "
                         "allocations that follow messages, not waits: the queue's storage, not waiter storage")
    if list_free:
        return "queue", (f"at most {most:.2g} per message ({waits}; {each}), while its wait list allocated nothing and kept no "
                         "heap in any wait-list microbenchmark: the queue's storage, not waiter storage")
    if most < RARE:
        return "growth", (f"rare: at most {most:.2g} per message, not one per wait ({waits}; {each}): a high-water mark rising "
                          f"now and then, of the queue (unbounded capacity: {unbounded} of these {len(allocating)} points) or of a "
                          "list that keeps its capacity; not a cost each message or wait pays")
    return "mixed", f"not tied one to one to waits ({waits}; {each}): the counters cannot say which part is the wait list's"


def sources(results):
    """[Source] per row, in row order, from the first allocator's thread workloads (where waiting
    dominates, churn's async tasks allocate for the executor; section 4 shows those points)."""
    _, run = next(iter(results.runs.items()))
    by_impl = {}
    for s in run.points.values():
        if not waiting_dominates(s.key["workload"], run) and not s.why_missing:
            by_impl.setdefault(s.key["impl"], []).append((s, _cell(s)))
    out = []
    order = results.impl_order
    for impl in sorted(by_impl, key=order.key):
        cells = [(s, c) for s, c in by_impl[impl] if c.allocs is not None]
        allocating = [(s, c) for s, c in cells if c.allocs > 0]
        without = [c.allocs for _, c in allocating if c.waits == 0]
        ratios = sorted(c.per_wait for _, c in allocating if c.per_wait is not None)
        per_wait = (ratios[0], median(ratios), ratios[-1]) if ratios else None
        bytes_each = median([c.bytes / c.allocs for _, c in allocating])
        unbounded = sum(1 for s, _ in allocating if s.key["cap"] == "unbounded")
        list_free = _list_free(run, waits_in(order, impl))
        origin, why = _origin([c.allocs for _, c in allocating], max(without, default=None), per_wait, bytes_each, unbounded, list_free)
        out.append(Source(impl, len(cells), len(allocating), max(without, default=None), per_wait, bytes_each, list_free, origin, why))
    return out


@dataclass
class BurstRow:
    impl: str
    allocator: str
    after_burst: float | None
    after_quiet: float | None
    in_use: float | None
    after_drop: float | None
    na: str | None = None
    check: str = ""  # how the allocator's in-use growth agrees with the wait lists, or why it does not

    @property
    def beyond(self):
        """In-use growth the wait lists do not account for."""
        return self.in_use - self.after_quiet


def _check(row, floor, drops):
    excess = row.beyond - floor
    if excess <= BURST_SLACK:
        text = (f"agrees: {row.in_use:,.0f} B in use = the wait lists' {row.after_quiet:,.0f} B + the {floor:,.0f} B every row "
                f"holds besides them, within {excess:,.0f} B")
    else:
        text = (f"{excess:,.0f} B more in use than its wait lists and the {floor:,.0f} B every row holds: memory the channel keeps "
                "outside its wait lists (its queue's storage; a lock-free row's waiters park in an event count with no heap)")
    if row.after_drop:
        same = len(drops) > 1 and len(set(drops)) == 1
        text += (f"; {row.after_drop:,.0f} B still in use after the drop" +
                 (", the same for every row: the allocator's or the harness's, not the channel's" if same else ""))
    return text


def bursts(results):
    out = []
    for allocator, run in results.runs.items():
        rows = []
        for series in run.bursts.values():
            impl = series.key["impl"]
            if series.why_missing:
                rows.append(BurstRow(impl, allocator, None, None, None, None, na=series.why_missing))
                continue
            value = lambda counter: median(series.values(counter))  # noqa: E731
            rows.append(BurstRow(impl, allocator, value("wait_list_bytes_after_burst"), value("wait_list_bytes_after_quiet"),
                                 value("allocator_in_use_bytes"), value("allocator_in_use_bytes_after_drop")))
        for r in rows:
            if not r.na and None in (r.after_burst, r.after_quiet, r.in_use, r.after_drop):
                r.na = "error: no burst counters (a wb_bench this report does not know)"
        measured = [r for r in rows if not r.na]
        floor = min((r.beyond for r in measured), default=None)
        for r in measured:
            r.check = _check(r, floor, [m.after_drop for m in measured])
        out += rows
    out.sort(key=lambda r: (results.impl_order.key(r.impl), list(results.runs).index(r.allocator)))
    return out
