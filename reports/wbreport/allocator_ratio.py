"""Section 3's last part: the second allocator as a difference from the first, instead of a copy of
every table and chart. Per row and per kind of workload (the thread workloads; the ones where
waiting dominates), the geometric mean over the points both runs measured of second / first
messages/s, with a bootstrap interval read at the level Holm's correction sets for the page's
number of rows, and the points that moved most either way."""

from dataclasses import dataclass

from . import charts
from .stats import geomean_ratio, holm, median
from .workloads import waiting_dominates

# (label, whether waiting dominates its workloads)
GROUPS = [("thread workloads", False), ("where waiting dominates", True)]


@dataclass
class Group:
    label: str
    points: int
    ratio: object = None   # stats.Ratio of second / first (geometric mean over points), None if no point
    low: float | None = None
    high: float | None = None
    level: float | None = None   # the interval's confidence level (Holm)
    verdict: str = "no point ran under both"
    slowest: tuple | None = None  # (ratio of medians, point name)
    fastest: tuple | None = None


@dataclass
class Difference:
    first: str
    second: str
    rows: list    # (impl, [Group per GROUPS])
    chart: str | None


def difference(results):
    """The Difference of the second allocator from the first; None if the run has one allocator, or no
    channel point ran under both (a sweep of the tracer's overhead alone, say)."""
    if len(results.runs) < 2:
        return None
    (first, a), (second, b) = list(results.runs.items())[:2]
    cells = {}  # (impl, group label) -> [(name, (second values, first values))]
    for name, s in a.points.items():
        t = b.points.get(name)
        old, new = s.values("msgs_per_s"), t.values("msgs_per_s") if t else []
        if not old or not new:
            continue
        for label, waiting in GROUPS:
            if waiting_dominates(s.key["workload"], a) == waiting:
                cells.setdefault((s.key["impl"], label), []).append((name, (new, old)))
    if not cells:
        return None
    order = results.impl_order
    keys = sorted(cells, key=lambda k: (order.key(k[0]), [g for g, _ in GROUPS].index(k[1])))
    ratios = {k: geomean_ratio([pair for _, pair in cells[k]]) for k in keys}
    rejected, levels = holm([ratios[k].p_value for k in keys])
    groups = {}
    for k, significant, level in zip(keys, rejected, levels):
        r = ratios[k]
        low, high = r.interval(level)
        by_point = sorted((median(new) / median(old), name) for name, (new, old) in cells[k])
        verdict = (f"{second} faster" if r.value > 1 else f"{second} slower") if significant else "no difference shown"
        groups[k] = Group(k[1], len(cells[k]), r, low, high, level, verdict, by_point[0], by_point[-1])
    impls = sorted({impl for impl, _ in keys}, key=order.key)
    rows = [(impl, [groups.get((impl, label), Group(label, 0)) for label, _ in GROUPS]) for impl in impls]
    return Difference(first, second, rows, _chart(first, second, rows, order))


def _chart(first, second, rows, order):
    panels = []
    for i, (label, _) in enumerate(GROUPS):
        panel = charts.Panel(label, [impl for impl, groups in rows if groups[i].ratio], empty="no point ran under both")
        for impl, groups in rows:
            g = groups[i]
            if g.ratio:
                title = (f"{impl}, {label}: {second} / {first} = {g.ratio.value:.3f} (geometric mean over {g.points} points; "
                         f"{g.level:.1%} interval {g.low:.3f} to {g.high:.3f}): {g.verdict}")
                panel.series[impl] = [charts.Point(impl, g.ratio.value, g.low, g.high, title)]
        panels.append(panel)
    return charts.figure(f"{second} against {first}: messages/s ratio per row (1 = no change)", panels, f"{second} / {first}", "",
                         order=order, ncols=len(panels), reference=1.0, fmt=lambda v: f"{v:g}", dodge=False)
