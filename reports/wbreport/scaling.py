"""Section 3's scaling charts: messages/s against the number of threads, for the two families of
workloads that differ only in thread count. Drawn at the largest bounded capacity, u64, batch 1
and 256, per allocator and mode. The widths are read from the names present (mpsc2 ... mpsc128 on
a 64-CPU machine), never listed here."""

from .stats import summarize
from .ordering import impl_key, largest_bounded_cap
from .workloads import parse

# (title, x axis, the family that grows); spsc is width 1 of both.
FAMILIES = [
    ("producers (one consumer)", "producers", "mpsc"),
    ("producers = consumers", "producers and consumers, each", "mpmc"),
]


def width_in(family, workload):
    """x of this workload in the family's chart: 1 for spsc, P for mpscP / mpmcPxP; None if not in it."""
    w = parse(workload)
    if w.family == "spsc":
        return 1
    return w.width if w.family == family else None


def charts_data(results):
    """[(title, xlabel, [(impl, [(x, Summary)])])] for every family with at least two thread counts."""
    out = []
    for allocator, run in results.runs.items():
        cap = largest_bounded_cap(run)
        if cap is None:
            continue
        for mode in ("sync", "async"):
            for batch in ("1", "256"):
                for family, xlabel, grows in FAMILIES:
                    lines = {}
                    for s in run.points.values():
                        k = s.key
                        x = width_in(grows, k["workload"])
                        if x is not None and k["cap"] == cap and k["payload"] == "u64" and k["mode"] == mode and k["batch"] == batch:
                            summary = summarize(s.values("msgs_per_s"))
                            if summary:
                                lines.setdefault(k["impl"], []).append((x, summary))
                    xs = {x for pts in lines.values() for x, _ in pts}
                    if len(xs) < 2:
                        continue
                    title = f"{family}\ncapacity {cap}, batch {batch}, u64, {mode} ({allocator})"
                    ordered = [(impl, sorted(lines[impl], key=lambda p: p[0])) for impl in sorted(lines, key=impl_key)]
                    out.append((title, f"threads: {xlabel}", ordered))
    return out
