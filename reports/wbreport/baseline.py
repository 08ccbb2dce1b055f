"""Section 7: this run against a baseline run, benchmark by benchmark. For a channel point the
change is the ratio of median messages/s; for a wait-list microbenchmark, of median operations per
second (the inverse of ns/op), so a positive change is faster everywhere. The machinery is the decision
box's (stats.py): the ratio of medians with a bootstrap interval, and Holm's correction over every
benchmark compared, so that across hundreds of comparisons the chance of calling any noise a change
stays at 5%. A change is an improvement or a regression only if it survives the correction; the
interval shown is read at the level Holm assigned it. The geometric mean of the ratios sums it up.
Bursts and the tracer's overhead are not timed comparisons.

The exact counts are compared too (CountComparison), every counted point of either run (the bursts
and the tracer's overhead included), by instructions per operation or message: a count has no
noise to test, so a change beyond the tolerance (COUNT_TOLERANCE, report.py's --count-tolerance) is
a regression or an improvement whatever the number of repetitions. Counts are compared only when
both were made with the same callgrind options: other simulated caches or another tool count other
things. Where callgrind writes its dumps and log (OUTPUT_OPTIONS) changes nothing it counts, so
those options are left out of the comparison."""

import math
from dataclasses import dataclass, field

from .counts import TABLES, Figures
from .stats import MIN_TRUSTED_REPETITIONS, holm, median, median_ratio

COUNT_TOLERANCE = 0.01  # instructions may change by 1% before a count is called regressed or improved
OUTPUT_OPTIONS = ("--callgrind-out-file=", "--log-file=")  # where valgrind writes: not what it counts


def counting_options(run):
    """The options a count run was made with that decide what it counts (wakerbench_count_options, without
    OUTPUT_OPTIONS), or None if it does not say."""
    text = run.context.get("wakerbench_count_options")
    return None if text is None else " ".join(o for o in text.split() if not o.startswith(OUTPUT_OPTIONS))

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
class CountChange:
    """One counted point's instructions, the baseline's and this run's."""

    name: str
    unit: str | None = None   # op or msg
    old: object = None        # counts.Figures, or None
    new: object = None
    change: float | None = None  # new / old - 1 of the instructions per unit
    verdict: str = "same"     # regressed, improved, same, or "n/a: <reason>"

    @property
    def exact(self):
        return self.old is not None and self.new is not None and self.old.exact and self.new.exact


@dataclass
class CountComparison:
    tolerance: float          # a fraction: 0.01 is 1%
    changes: list = field(default_factory=list)  # CountChange, by name
    why_not: str | None = None  # why nothing was compared (no counts on a side, other options)

    def of(self, verdict):
        return [c for c in self.changes if c.verdict == verdict]

    @property
    def compared(self):
        return [c for c in self.changes if c.change is not None]

    @property
    def summary(self):
        if self.why_not:
            return f"Counts not compared: {self.why_not}."
        inexact = sum(1 for c in self.compared if not c.exact)
        na = len(self.changes) - len(self.compared)
        return (f"{len(self.compared)} counted points compared by instructions per operation or message, a tolerance of "
                f"{self.tolerance:.1%}: {len(self.of('regressed'))} regressed, {len(self.of('improved'))} improved, "
                f"{len(self.of('same'))} the same" + (f"; {na} n/a" if na else "")
                + (f"; {inexact} with a count that is not exact on a side" if inexact else "") + ".")

    def worst_regression(self):
        """The regressed point whose instructions rose most, or None."""
        return max(self.of("regressed"), key=lambda c: c.change, default=None)


def _count_series(run):
    """name -> Series of every point a count run has (its names are the same in every count file)."""
    return {name: s for table in TABLES for name, s in getattr(run, table).items()}


def _count_change(name, new_series, old_series, tolerance):
    if new_series is None or old_series is None:
        return CountChange(name, verdict=f"n/a: not counted in {'this run' if new_series is None else 'the baseline'}")
    new, old = Figures.of(new_series), Figures.of(old_series)
    if new is None or old is None:
        side = new_series if new is None else old_series
        return CountChange(name, verdict=side.why_missing)
    if new.unit != old.unit:
        return CountChange(name, verdict=f"n/a: counted per {old.unit} in the baseline, per {new.unit} here")
    change = new.instr / old.instr - 1
    verdict = "regressed" if change > tolerance else "improved" if change < -tolerance else "same"
    return CountChange(name, new.unit, old, new, change, verdict)


def compare_counts(current, baseline, tolerance=COUNT_TOLERANCE):
    """CountComparison of every point counted in either run; nothing compared when one has no counts or
    the two were counted with other options."""
    comparison = CountComparison(tolerance)
    if current.counts is None or baseline.counts is None:
        which = "this run" if current.counts is None else "the baseline"
        comparison.why_not = f"{which} has no counts"
        return comparison
    options = [counting_options(r.counts) for r in (current, baseline)]
    if options[0] != options[1] or options[0] is None:
        comparison.why_not = (f"the two were counted with other callgrind options (this run: {options[0] or 'not recorded'}; "
                              f"the baseline: {options[1] or 'not recorded'}), so they count other things")
        return comparison
    new, old = _count_series(current.counts), _count_series(baseline.counts)
    comparison.changes = [_count_change(name, new.get(name), old.get(name), tolerance) for name in sorted(set(new) | set(old))]
    return comparison


@dataclass
class Comparison:
    baseline_dir: str
    changes: list
    geomean: float | None  # geometric mean of the speed ratios over the benchmarks both ran
    improved: int
    regressed: int
    noise: int
    counts: object = None  # CountComparison

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


def compare(current, baseline, count_tolerance=COUNT_TOLERANCE):
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
    return Comparison(str(baseline.directory), changes, geomean, count("improved"), count("regressed"), count("noise"),
                      compare_counts(current, baseline, count_tolerance))
