"""Section 7: this run against a baseline run, benchmark by benchmark. For a channel point the
change is the ratio of median messages/s; for a wait-list microbenchmark, of median operations per
second (the inverse of ns/op), so a positive change is faster everywhere. A two-sided Mann-Whitney U
test on the two sets of repetitions decides whether it is an improvement, a regression, or noise.
The geometric mean of the ratios sums it up. Bursts and the tracer's overhead are not compared."""

import math
from dataclasses import dataclass

from .stats import SIGNIFICANCE, mann_whitney_p, summarize

# (the Run table compared, the counter, its unit, whether more of it is faster)
METRICS = [("points", "msgs_per_s", "msgs/s", True), ("waitlists", "ns_per_op", "ns/op", False)]


@dataclass
class Change:
    allocator: str
    name: str
    unit: str             # what old and new are in: msgs/s or ns/op
    old: float | None
    new: float | None
    change: float | None  # in speed: new / old - 1 for msgs/s, old / new - 1 for ns/op
    p_value: float | None
    verdict: str          # improved, regressed, noise, or "n/a: <reason>"


@dataclass
class Comparison:
    baseline_dir: str
    changes: list
    geomean: float | None  # geometric mean of the speed ratios over the benchmarks both ran
    improved: int
    regressed: int
    noise: int

    def worst_significant_regression(self):
        """The largest significant drop as a positive fraction (0.12 = 12% slower), or 0."""
        drops = [-c.change for c in self.changes if c.verdict == "regressed"]
        return max(drops, default=0.0)


def _change(allocator, name, series, base, base_run, counter, unit, higher_is_faster):
    new = summarize(series.values(counter))
    old = summarize(base.values(counter)) if base else None
    if base is None:
        reason = "n/a: not in the baseline run" if base_run else f"n/a: the baseline has no {allocator} run"
    elif new is None or old is None:
        reason = (series.na_reason if new is None else base.na_reason) or "n/a: no repetitions on one side"
    elif old.median <= 0 or new.median <= 0:
        reason = f"n/a: a median {unit} of 0 on one side: no ratio"
    else:
        reason = None
    if reason:
        return Change(allocator, name, unit, old.median if old else None, new.median if new else None, None, None, reason)
    speedup = new.median / old.median if higher_is_faster else old.median / new.median
    p = mann_whitney_p(series.values(counter), base.values(counter))
    significant = p is not None and p < SIGNIFICANCE
    verdict = ("improved" if speedup > 1 else "regressed") if significant else "noise"
    return Change(allocator, name, unit, old.median, new.median, speedup - 1, p, verdict)


def compare(current, baseline):
    changes = []
    for allocator, run in current.runs.items():
        base_run = baseline.runs.get(allocator)
        for table, counter, unit, higher_is_faster in METRICS:
            base_table = getattr(base_run, table) if base_run else {}
            for name, series in sorted(getattr(run, table).items()):
                changes.append(_change(allocator, name, series, base_table.get(name), base_run, counter, unit, higher_is_faster))
    ratios = [1 + c.change for c in changes if c.change is not None]
    geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else None
    count = lambda v: sum(1 for c in changes if c.verdict == v)  # noqa: E731
    return Comparison(str(baseline.directory), changes, geomean, count("improved"), count("regressed"), count("noise"))
