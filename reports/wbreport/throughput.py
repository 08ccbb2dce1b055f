"""Section 3's data: the thread workloads of the first allocator, by family. Per family a figure per
mode (small multiples: a panel per workload and capacity, the batch sizes as categories) and a
table per workload, payload and mode (a column per capacity and batch). A cell has messages/s
with the median's bootstrap interval, the time per message and per wait beside it, and the
counters on hover. The second allocator is shown as a difference (allocator_ratio.py)."""

from dataclasses import dataclass, field

from . import charts
from .ordering import cap_key, workload_key
from .provenance import oversubscribed
from .render_helpers import duration
from .stats import median, summarize
from .workloads import parse, waiting_dominates

# Counters a cell shows on hover, when its point has them: (counter, what it is per message).
COUNTERS = [("waits_per_msg", "waits"), ("wakes_per_msg", "wakes"), ("spurious_wakes_per_msg", "spurious wakes"),
            ("ctx_switches_per_msg", "ctx switches"), ("allocs_per_msg", "allocs"), ("bytes_per_msg", "bytes allocated")]
SHADE_LABEL = "grey panels and columns: more threads than usable cores (threads share cores)"


@dataclass
class Cell:
    summary: object = None    # stats.Summary of msgs_per_s, or None
    ns_per_msg: float | None = None
    ns_per_wait: float | None = None  # None where the point has no waits
    counters: list = field(default_factory=list)  # (what, median per message) of COUNTERS the point has
    na: str | None = None     # the reason a point could not run
    error: str | None = None

    @property
    def units(self):
        """Time per message and per wait, as the cell shows them beneath messages/s."""
        parts = [f"{duration(self.ns_per_msg)}/msg"] if self.ns_per_msg is not None else []
        if self.ns_per_wait is not None:
            parts.append(f"{duration(self.ns_per_wait)}/wait")
        return ", ".join(parts)

    def point_title(self, where):
        """A chart point's hover text: its exact median and interval, and its time per message."""
        s = self.summary
        return f"{where}median {s.median:,.0f} msgs/s, 95% interval {s.ci_low:,.0f} to {s.ci_high:,.0f} (n={s.n}); {self.units}".rstrip("; ")

    @property
    def hover(self):
        """A table cell's hover text: the spread and every counter of the point."""
        s = self.summary
        text = (f"median {s.median:,.0f} msgs/s; 95% interval of the median {s.ci_low:,.0f} to {s.ci_high:,.0f}; "
                f"min {s.low:,.0f}, max {s.high:,.0f}, cv {s.cv:.1%}, n={s.n}")
        if self.counters:
            text += "; per msg: " + ", ".join(f"{what} {value:.3g}" for what, value in self.counters)
        return text


def cell(series):
    if series.na_reason or series.error:
        return Cell(na=series.na_reason, error=series.error)
    return Cell(summary=summarize(series.values("msgs_per_s")), ns_per_msg=median(series.values("ns_per_msg")),
                ns_per_wait=median(series.values("ns_per_wait")),
                counters=[(what, median(series.values(c))) for c, what in COUNTERS if series.values(c)])


def missing(c):
    """What a cell without numbers says: its n/a reason, or its error."""
    if c.error:
        return "error: " + c.error
    return c.na or "error: no msgs_per_s counter"


@dataclass
class Table:
    """One workload x payload x mode of one allocator: impl rows, a column per (capacity, batch)."""

    allocator: str
    workload: str
    payload: str
    mode: str
    columns: list  # (cap, batch)
    rows: list     # (impl, [Cell per column])
    threads_over_cores: int | None = None
    dropped: list = field(default_factory=list)  # (cap, batch, reason): columns no row could run, for one reason

    @staticmethod
    def one_reason(cells):
        """The reason every cell of a row gives, if they are all missing for the same one (a row shown as one cell)."""
        reasons = {missing(c) for c in cells}
        return reasons.pop() if len(reasons) == 1 and not any(c.summary for c in cells) else None

    @property
    def title(self):
        over = f"; {self.threads_over_cores} threads, more than the cores" if self.threads_over_cores else ""
        return f"{self.workload}, {self.payload}, {self.mode} ({self.allocator}{over})"

    @property
    def caps(self):
        """(cap, number of batch columns) for the table's group headings."""
        out = []
        for cap, _ in self.columns:
            if out and out[-1][0] == cap:
                out[-1] = (cap, out[-1][1] + 1)
            else:
                out.append((cap, 1))
        return out


@dataclass
class Family:
    name: str
    figures: list  # (mode, SVG text or None)
    tables: list

    @property
    def summary(self):
        """What the family's folded tables hold, in one line."""
        workloads = sorted({t.workload for t in self.tables}, key=workload_key)
        rows = {impl for t in self.tables for impl, _ in t.rows}
        return (f"{len(self.tables)} tables ({', '.join(workloads)}; {' and '.join(sorted({t.mode for t in self.tables}, reverse=True))}), "
                f"{len(rows)} implementations: msgs/s with the 95% interval of the median, time per message and per wait; "
                "counters on hover")


def first_run(results):
    allocator, run = next(iter(results.runs.items()))
    return allocator, run


def _tables(results, run, series):
    grouped = {}
    for s in series:
        k = s.key
        grouped.setdefault((k["workload"], k["payload"], k["mode"]), {}).setdefault(k["impl"], {})[(k["cap"], int(k["batch"]))] = cell(s)
    out = []
    for (workload, payload, mode) in sorted(grouped, key=lambda g: (workload_key(g[0]), g[1], g[2] != "sync")):
        by_impl = grouped[(workload, payload, mode)]
        columns = sorted({c for cells in by_impl.values() for c in cells}, key=lambda c: (cap_key(c[0]), c[1]))
        full = {impl: [by_impl[impl].get(c, Cell(na="n/a: not in this run")) for c in columns] for impl in by_impl}
        dropped = [(i, Table.one_reason([cells[i] for cells in full.values()])) for i in range(len(columns))]
        dropped = [(i, reason) for i, reason in dropped if reason]
        if len(dropped) == len(columns):
            dropped = []  # nothing ran at all: keep the columns, so the table still says so row by row
        gone = {i for i, _ in dropped}
        rows = [(impl, [c for i, c in enumerate(full[impl]) if i not in gone]) for impl in sorted(full, key=results.impl_order.key)]
        out.append(Table(run.allocator, workload, payload, mode, [c for i, c in enumerate(columns) if i not in gone], rows,
                         oversubscribed(results, run, workload), [(*columns[i], reason) for i, reason in dropped]))
    return out


def figure(results, run, family, mode, payload, tables, ylim):
    """The small multiples of one family, mode and payload: a panel per workload and capacity (a row of
    panels per workload, a column per capacity; one row of panels if there is one capacity)."""
    tables = [t for t in tables if t.mode == mode and t.payload == payload]
    caps = sorted({cap for t in tables for cap, _ in t.columns}, key=cap_key)
    panels = []
    for t in tables:
        for cap in caps:
            batches = [b for c, b in t.columns if c == cap]
            panel = charts.Panel(f"{t.workload}, capacity {cap}" + (f" ({t.threads_over_cores} threads)" if t.threads_over_cores else ""),
                                 batches, empty="not in this run")
            for impl, cells in t.rows:
                where = f"{impl}, {t.workload}, capacity {cap}, {mode}, batch "
                panel.series[impl] = [charts.point_from(b, c.summary, c.point_title(f"{where}{b}: ")) for (c_cap, b), c in zip(t.columns, cells)
                                      if c_cap == cap and c.summary]
            if t.threads_over_cores:
                panel.shaded = set(batches)
            panels.append(panel)
    title = f"{family}: messages/s by batch size, {payload}, {mode} ({run.allocator})"
    return charts.figure(title, panels, "messages/s (log scale)", "batch size (items per operation)",
                         ncols=len(caps) if len(caps) > 1 else min(4, len(panels)), ylim=ylim, shade_label=SHADE_LABEL,
                         order=results.impl_order)


def figures_and_tables(results, series):
    """[Family] of the first allocator's series, grouped by workload family; the sync and async figures of
    a family share one y axis."""
    allocator, run = first_run(results)
    by_family = {}
    for s in series:
        by_family.setdefault(parse(s.key["workload"], run).family or s.key["workload"], []).append(s)
    out = []
    for family in sorted(by_family, key=lambda f: workload_key(min((s.key["workload"] for s in by_family[f]), key=workload_key))):
        tables = _tables(results, run, by_family[family])
        points = [charts.point_from(0, c.summary, "") for t in tables for _, cells in t.rows for c in cells if c.summary]
        ylim = charts.value_range(points)
        payloads = sorted({t.payload for t in tables})
        figs = [(f"{mode}" + (f", {payload}" if len(payloads) > 1 else ""), figure(results, run, family, mode, payload, tables, ylim))
                for payload in payloads for mode in ("sync", "async") if any(t.mode == mode and t.payload == payload for t in tables)]
        out.append(Family(family, figs, tables))
    return out


def families(results):
    """Section 3: the thread workloads (the ones where waiting dominates are section 4's)."""
    _, run = first_run(results)
    return figures_and_tables(results, [s for s in run.points.values() if not waiting_dominates(s.key["workload"], run)])
