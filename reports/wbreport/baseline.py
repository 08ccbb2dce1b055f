"""Section 7: this run against a baseline run, benchmark by benchmark. For a channel point the
change is the ratio of median messages/s; for a wait-list microbenchmark, of median operations per
second (the inverse of ns/op), so a positive change is faster everywhere. The machinery is the decision
box's (stats.py): the ratio of medians with a bootstrap interval, and Holm's correction over every
benchmark compared, so that across hundreds of comparisons the chance of calling any noise a change
stays at 5%. A change is an improvement or a regression only if it survives the correction; the
interval shown is read at the level Holm assigned it. The geometric mean of the ratios sums it up.
Bursts and the tracer's overhead are not compared."""

import math
from dataclasses import dataclass

from .stats import MIN_TRUSTED_REPETITIONS, holm, median, median_ratio

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
    p_value: float | None  # two-sided, from the bootstrap of the speed ratio (before correction)
    verdict: str          # improved, regressed, noise, or "n/a: <reason>"
    ratio: object = None  # stats.Ratio of the speeds, new over old
    low: float | None = None   # the change's interval, at the level Holm assigned it
    high: float | None = None
    level: float | None = None
    repetitions: int | None = None  # the fewer of the two sides' repetitions, where compared


@dataclass
class Comparison:
    baseline_dir: str
    changes: list
    geomean: float | None  # geometric mean of the speed ratios over the benchmarks both ran
    improved: int
    regressed: int
    noise: int

    @property
    def fewest_repetitions(self):
        """The fewest repetitions on either side of any benchmark compared; None if none was."""
        return min((c.repetitions for c in self.changes if c.repetitions is not None), default=None)

    def worst_significant_regression(self):
        """The largest significant drop as a positive fraction (0.12 = 12% slower), or 0."""
        drops = [-c.change for c in self.changes if c.verdict == "regressed"]
        return max(drops, default=0.0)

    def why_blind(self):
        """Why finding no significant regression here proves nothing (a gate must not pass on it), or None."""
        if self.fewest_repetitions is None:
            return "no benchmark ran in both runs"
        if self.fewest_repetitions < MIN_TRUSTED_REPETITIONS:
            return (f"a benchmark has {self.fewest_repetitions} repetitions on one side, and with fewer than "
                    f"{MIN_TRUSTED_REPETITIONS} no change can be shown significant; run both with a preset of more (quick, full)")
        return None


def _change(allocator, name, series, base, base_run, counter, unit, higher_is_faster):
    new = median(series.values(counter))  # medians only: the ratio's own bootstrap gives the spread
    old = median(base.values(counter)) if base else None
    if base is None:
        reason = "n/a: not in the baseline run" if base_run else f"n/a: the baseline has no {allocator} run"
    elif new is None or old is None:
        reason = (series.na_reason if new is None else base.na_reason) or "n/a: no repetitions on one side"
    elif old <= 0 or new <= 0:
        reason = f"n/a: a median {unit} of 0 on one side: no ratio"
    else:
        reason = None
    if reason:
        return Change(allocator, name, unit, old, new, None, None, reason)
    new_values, old_values = series.values(counter), base.values(counter)
    ratio = median_ratio(new_values, old_values) if higher_is_faster else median_ratio(old_values, new_values)
    return Change(allocator, name, unit, old, new, ratio.value - 1, ratio.p_value, "noise", ratio,
                  repetitions=min(len(new_values), len(old_values)))


def compare(current, baseline):
    changes = []
    for allocator, run in current.runs.items():
        base_run = baseline.runs.get(allocator)
        for table, counter, unit, higher_is_faster in METRICS:
            base_table = getattr(base_run, table) if base_run else {}
            for name, series in sorted(getattr(run, table).items()):
                changes.append(_change(allocator, name, series, base_table.get(name), base_run, counter, unit, higher_is_faster))
    compared = [c for c in changes if c.ratio is not None]
    rejected, levels = holm([c.ratio.p_value for c in compared])
    for c, r, level in zip(compared, rejected, levels):
        low, high = c.ratio.interval(level)
        c.low, c.high, c.level = low - 1, high - 1, level
        if r:
            c.verdict = "improved" if c.change > 0 else "regressed"
    ratios = [1 + c.change for c in changes if c.change is not None]
    geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else None
    count = lambda v: sum(1 for c in changes if c.verdict == v)  # noqa: E731
    return Comparison(str(baseline.directory), changes, geomean, count("improved"), count("regressed"), count("noise"))
