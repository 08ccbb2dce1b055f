"""Section 6: this run against a baseline run, benchmark by benchmark. The change is the ratio of
median messages/s; a two-sided Mann-Whitney U test on the two sets of repetitions decides whether
it is an improvement, a regression, or noise. The geometric mean of the ratios sums it up."""

import math
from dataclasses import dataclass

from .stats import SIGNIFICANCE, mann_whitney_p, summarize


@dataclass
class Change:
    allocator: str
    name: str
    old: float | None
    new: float | None
    change: float | None  # new / old - 1
    p_value: float | None
    verdict: str          # improved, regressed, noise, or "n/a: <reason>"


@dataclass
class Comparison:
    baseline_dir: str
    changes: list
    geomean: float | None  # geometric mean of new/old over the benchmarks both ran
    improved: int
    regressed: int
    noise: int

    def worst_significant_regression(self):
        """The largest significant drop as a positive fraction (0.12 = 12% slower), or 0."""
        drops = [-c.change for c in self.changes if c.verdict == "regressed"]
        return max(drops, default=0.0)


def compare(current, baseline):
    changes = []
    for allocator, run in current.runs.items():
        base_run = baseline.runs.get(allocator)
        for name, series in sorted(run.points.items()):
            base = base_run.points.get(name) if base_run else None
            new = summarize(series.values("msgs_per_s"))
            old = summarize(base.values("msgs_per_s")) if base else None
            if base is None:
                reason = "n/a: not in the baseline run" if base_run else f"n/a: the baseline has no {allocator} run"
            elif new is None or old is None:
                reason = (series.na_reason if new is None else base.na_reason) or "n/a: no repetitions on one side"
            else:
                reason = None
            if reason:
                changes.append(Change(allocator, name, old.median if old else None, new.median if new else None, None, None, reason))
                continue
            change = new.median / old.median - 1
            p = mann_whitney_p(series.values("msgs_per_s"), base.values("msgs_per_s"))
            significant = p is not None and p < SIGNIFICANCE
            verdict = ("improved" if change > 0 else "regressed") if significant else "noise"
            changes.append(Change(allocator, name, old.median, new.median, change, p, verdict))
    ratios = [c.new / c.old for c in changes if c.change is not None and c.old > 0 and c.new > 0]
    geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else None
    count = lambda v: sum(1 for c in changes if c.verdict == v)  # noqa: E731
    return Comparison(str(baseline.directory), changes, geomean, count("improved"), count("regressed"), count("noise"))
