"""Section 1's last part: what the harness itself costs (issue 16).

Next to the thread workloads' sync u64 points, wb_bench registers reference/<point>: the same
channel driven by the plainest loop (bench/reference.hpp: fresh threads, blocking calls, consumers
receive until closed), where the harness keeps its threads and adds a barrier at each round's ends.
Their ratio, harness / plain loop of median msgs/s, is what the harness's own machinery costs the
point; issue 16 wants it within 5%. Per point the ratio has the bootstrap interval of a ratio of
medians (stats.median_ratio); over every point, the geometric mean (stats.geomean_ratio) and the
point furthest from 1. A reference without numbers on either side stays a row that says why.

The references are read from the first allocator's run, the one every other section reads."""

import math
from dataclasses import dataclass, field

from .ordering import cap_key, workload_key
from .results import REFERENCE_NAME
from .stats import geomean_ratio, median, median_ratio
from .throughput import first_run

COUNTER = "msgs_per_s"
TOLERANCE = 0.05  # issue 16: the harness within 5% of the plain loop
# The ratios that count as within TOLERANCE: symmetric on the log scale the ratios live on, so the
# harness 5% slower and the plain loop 5% slower weigh the same.
WITHIN = (1 - TOLERANCE, 1 / (1 - TOLERANCE))
# What makes a reference the reference of a point: every field of its name.
POINT_FIELDS = tuple(REFERENCE_NAME.groupindex)


def verdict(ratio):
    """'within 5%', 'harness 7.2% slower' or 'harness 6.0% faster', read from the point estimate;
    '(interval crosses 5%)' added where the 95% interval reaches the other side of the line."""
    low, high = ratio.interval()
    if WITHIN[0] <= ratio.value <= WITHIN[1]:
        text = f"within {TOLERANCE:.0%}"
        settled = WITHIN[0] <= low and high <= WITHIN[1]
    else:
        text = f"harness {abs(ratio.value - 1):.1%} {'slower' if ratio.value < 1 else 'faster'}"
        settled = high < WITHIN[0] or low > WITHIN[1]
    return text if settled else f"{text} (interval crosses {TOLERANCE:.0%})"


@dataclass
class Row:
    name: str                      # the reference's benchmark name
    key: dict                      # its fields (POINT_FIELDS)
    harness_values: list = field(default_factory=list)   # msgs/s per repetition ([] when missing)
    plain_values: list = field(default_factory=list)
    ratio: object = None           # stats.Ratio harness / plain loop, None without numbers on both sides
    why_missing: str | None = None  # why there is no ratio: an n/a or an error, and on which side

    @property
    def harness(self):
        return median(self.harness_values)

    @property
    def plain(self):
        return median(self.plain_values)

    @property
    def within(self):
        return self.ratio is not None and WITHIN[0] <= self.ratio.value <= WITHIN[1]

    @property
    def verdict(self):
        return self.why_missing or verdict(self.ratio)

    @property
    def label(self):
        return f"{self.key['workload']} {self.key['impl']} cap {self.key['cap']} batch {self.key['batch']}"


@dataclass
class HarnessCost:
    allocator: str
    rows: list   # Row, in the page's order; none if the run has no references

    allowance = f"within {TOLERANCE:.0%}, a ratio from {WITHIN[0]:.2f} to {WITHIN[1]:.3f}"

    @property
    def compared(self):
        return [r for r in self.rows if r.ratio is not None]

    @property
    def overall(self):
        """stats.Ratio: the geometric mean of harness / plain loop over the compared points."""
        return geomean_ratio([(r.harness_values, r.plain_values) for r in self.compared])

    @property
    def worst(self):
        """The compared point furthest from 1 either way (on the log scale, as WITHIN is)."""
        return max(self.compared, key=lambda r: abs(math.log(r.ratio.value)), default=None)

    @property
    def summary(self):
        """One line: how many points compared, how many within 5%, the geometric mean and the worst point."""
        compared = self.compared
        unpaired = len(self.rows) - len(compared)
        tail = f" {unpaired} more without numbers on one side (the table says why)." if unpaired else ""
        if not compared:
            return f"No point has numbers on both sides ({self.allocator}).{tail}"
        overall, worst = self.overall, self.worst
        low, high = overall.interval()
        within = sum(r.within for r in compared)
        return (f"{len(compared)} points compared ({self.allocator}): {within} within {TOLERANCE:.0%} of the plain loop; "
                f"geometric mean of harness / plain loop {overall.value:.3f} (95% interval {low:.3f} to {high:.3f}); "
                f"worst: {worst.label} at {worst.ratio.value:.3f}, {worst.verdict}.{tail}")


def _missing(series):
    """Why a benchmark has no msgs/s (n/a or error), or None if it has them."""
    if series is None:
        return "n/a: not in this run"
    if series.why_missing is None and not series.values(COUNTER):
        return f"error: no {COUNTER} counter"
    return series.why_missing


def _why_missing(harness, plain):
    """One reason when both sides give the same one; otherwise each side's, named, its own prefix
    (n/a: or error:) first so the page can tell an n/a from a failure."""
    reasons = [(why, side) for why, side in ((_missing(harness), "harness"), (_missing(plain), "plain loop")) if why]
    if len(reasons) == 2 and reasons[0][0] == reasons[1][0]:
        return reasons[0][0]
    return "; ".join(f"{why} ({side})" for why, side in reasons) or None


def _order(key, impls):
    return workload_key(key["workload"]), cap_key(key["cap"]), int(key["batch"]), key["payload"], key["mode"], impls.key(key["impl"])


def analyse(results):
    """The first run's HarnessCost (without rows if it has no references)."""
    allocator, run = first_run(results)
    points = {tuple(s.key[f] for f in POINT_FIELDS): s for s in run.points.values()}
    rows = []
    for name, reference in run.references.items():
        harness = points.get(tuple(reference.key[f] for f in POINT_FIELDS))
        why = _why_missing(harness, reference)
        if why:
            rows.append(Row(name, reference.key, why_missing=why))
        else:
            harness_values, plain_values = harness.values(COUNTER), reference.values(COUNTER)
            rows.append(Row(name, reference.key, harness_values, plain_values, median_ratio(harness_values, plain_values)))
    rows.sort(key=lambda r: _order(r.key, results.impl_order))
    return HarnessCost(allocator, rows)
