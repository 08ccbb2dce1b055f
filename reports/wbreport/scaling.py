"""Section 3's scaling figures: messages/s against the number of threads, for the two families of
workloads that differ only in thread count. At the largest bounded capacity, u64, batch 1 and 256,
the first allocator, a figure per mode; the thread counts are categories (only the measured ones
are shown), and those beyond the machine's cores are shaded. The widths are read from the names
present (mpsc2 ... mpsc128 on a 64-CPU machine), never listed here."""

from . import charts
from .ordering import largest_bounded_cap
from .provenance import oversubscribed
from .throughput import SHADE_LABEL, cell, first_run
from .workloads import parse

# (panel title, the family that grows); spsc is width 1 of both.
FAMILIES = [
    ("producers, one consumer", "mpsc"),
    ("producers = consumers", "mpmc"),
]
BATCHES = ("1", "256")


def width_in(family, workload, run=None):
    """x of this workload in the family's panel: 1 for spsc, P for mpscP / mpmcPxP; None if not in it."""
    w = parse(workload, run)
    if w.family == "spsc":
        return 1
    return w.width if w.family == family else None


def panels(results, mode):
    """[charts.Panel] of one mode: a panel per family and batch with at least two thread counts."""
    _, run = first_run(results)
    cap = largest_bounded_cap(run)
    out = []
    for title, grows in FAMILIES:
        for batch in BATCHES:
            panel = charts.Panel(f"{title}, batch {batch}", [])
            widths = {}
            for s in run.points.values():
                k = s.key
                x = width_in(grows, k["workload"], run)
                if x is None or (k["cap"], k["payload"], k["mode"], k["batch"]) != (cap, "u64", mode, batch):
                    continue
                widths[x] = k["workload"]
                c = cell(s)
                if c.summary:
                    where = f"{k['impl']}, {k['workload']}, capacity {cap}, batch {batch}, {mode}: "
                    panel.series.setdefault(k["impl"], []).append(charts.point_from(x, c.summary, c.point_title(where)))
            if len(widths) < 2:
                continue
            panel.categories = sorted(widths)
            panel.shaded = {x for x, workload in widths.items() if oversubscribed(results, run, workload)}
            for pts in panel.series.values():
                pts.sort(key=lambda p: p.category)
            out.append(panel)
    return out


def figures(results):
    """[(mode, SVG text)] for the modes with a panel; the figures share one y axis."""
    allocator, run = first_run(results)
    cap = largest_bounded_cap(run)
    by_mode = {mode: panels(results, mode) for mode in ("sync", "async")}
    ylim = charts.value_range([p for ps in by_mode.values() for panel in ps for pts in panel.series.values() for p in pts])
    return [(mode, charts.figure(f"messages/s by thread count: capacity {cap}, u64, {mode} ({allocator})", ps,
                                 "messages/s (log scale)", "threads on each side that grows (1: spsc)", ncols=len(BATCHES), ylim=ylim,
                                 shade_label=SHADE_LABEL, order=results.impl_order))
            for mode, ps in by_mode.items() if ps]
