"""Section 3's data: messages/s per point, grouped the way the page shows them."""

from dataclasses import dataclass

from .ordering import group_key, impl_key
from .stats import summarize



@dataclass
class Cell:
    summary: object = None  # stats.Summary of msgs_per_s, or None
    na: str | None = None   # the reason a point could not run
    error: str | None = None


@dataclass
class Table:
    """One workload x capacity x payload x mode, for one allocator: impl rows, batch columns."""

    allocator: str
    workload: str
    cap: str
    payload: str
    mode: str
    batches: list
    rows: list  # (impl, [Cell per batch])

    @property
    def title(self):
        return f"{self.workload}, capacity {self.cap}, {self.payload}, {self.mode} ({self.allocator})"


def tables(results):
    out = []
    for allocator, run in results.runs.items():
        grouped = {}
        for series in run.points.values():
            k = series.key
            grouped.setdefault((k["workload"], k["cap"], k["payload"], k["mode"]), []).append(series)
        for (workload, cap, payload, mode) in sorted(grouped, key=group_key):
            members = grouped[(workload, cap, payload, mode)]
            batches = sorted({int(s.key["batch"]) for s in members})
            by_impl = {}
            for s in members:
                cell = Cell(summary=summarize(s.values("msgs_per_s")), na=s.na_reason, error=s.error)
                by_impl.setdefault(s.key["impl"], {})[int(s.key["batch"])] = cell
            rows = [(impl, [by_impl[impl].get(b, Cell(na="n/a: not in this run")) for b in batches])
                    for impl in sorted(by_impl, key=impl_key)]
            out.append(Table(allocator, workload, cap, payload, mode, batches, rows))
    return out
