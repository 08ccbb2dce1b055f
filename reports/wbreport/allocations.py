"""Section 5's data: steady-state allocations per message for each row under both allocators side
by side, and what a burst of waiters leaves behind. Allocation counts are exact (counted, not
timed), so the median of the repetitions is shown without a spread."""

from dataclasses import dataclass

from .stats import median
from .ordering import group_key, impl_key


@dataclass
class AllocCell:
    allocs: float | None = None
    bytes: float | None = None
    na: str | None = None


@dataclass
class AllocTable:
    workload: str
    cap: str
    payload: str
    mode: str
    columns: list  # (batch, allocator)
    rows: list     # (impl, [AllocCell per column])

    @property
    def title(self):
        return f"{self.workload}, capacity {self.cap}, {self.payload}, {self.mode}"


def tables(results):
    cells = {}  # (workload, cap, payload, mode) -> impl -> (batch, allocator) -> AllocCell
    for allocator, run in results.runs.items():
        for series in run.points.values():
            k = series.key
            group = cells.setdefault((k["workload"], k["cap"], k["payload"], k["mode"]), {})
            column = (int(k["batch"]), allocator)
            if series.why_missing:
                cell = AllocCell(na=series.why_missing)
            else:
                cell = AllocCell(allocs=median(series.values("allocs_per_msg")), bytes=median(series.values("bytes_per_msg")))
                if cell.allocs is None or cell.bytes is None:
                    cell = AllocCell(na="n/a: this run recorded no allocation counters for it")
            group.setdefault(k["impl"], {})[column] = cell
    out = []
    allocators = list(results.runs)
    for key in sorted(cells, key=group_key):
        group = cells[key]
        batches = sorted({b for impl in group.values() for b, _ in impl})
        columns = [(b, a) for b in batches for a in allocators]
        rows = [(impl, [group[impl].get(c, AllocCell(na="n/a: not in this run")) for c in columns])
                for impl in sorted(group, key=impl_key)]
        out.append(AllocTable(*key, columns=columns, rows=rows))
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


def bursts(results):
    out = []
    for allocator, run in results.runs.items():
        for series in run.bursts.values():
            impl = series.key["impl"]
            if series.why_missing:
                out.append(BurstRow(impl, allocator, None, None, None, None, na=series.why_missing))
                continue
            value = lambda counter: median(series.values(counter))  # noqa: E731
            out.append(BurstRow(impl, allocator, value("wait_list_bytes_after_burst"), value("wait_list_bytes_after_quiet"),
                                value("allocator_in_use_bytes"), value("allocator_in_use_bytes_after_drop")))
    out.sort(key=lambda r: (impl_key(r.impl), list(results.runs).index(r.allocator)))
    return out
