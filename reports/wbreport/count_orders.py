"""Orders: counts against medians. Within one comparison (a wait-list table's column: one operation
at one N; a churn table: one point), every pair of rows with both timed and counted figures is read
twice:

- by the time: the ratio of their median times with its 95% bootstrap interval (stats.median_ratio,
  each side's repetitions resampled), read for that pair alone, uncorrected: A faster or B faster
  when the interval excludes 1, within noise otherwise;
- by the count: their instructions differ when they differ by more than INSTR_DIFFERENCE of the
  larger, the same otherwise (a count has no noise to test: exact, or marked not exact).

The pairs worth a reader's attention are those the two read differently: separated by the counts
(the times within noise, the instructions apart), and disagreeing (the time calls A faster, the
count has A executing more). The time is what this machine took, cache and memory latency and the
VM included; the count is what the code executes, with its simulated D1 misses beside it; neither
is wrong, and each such pair shows both."""

from dataclasses import dataclass, field

from .counts import per_unit
from .render_helpers import duration
from .stats import median, median_ratio

INSTR_DIFFERENCE = 0.01  # instructions differ when they differ by more than 1% of the larger
# What each kind of pair is called on the page, in the order its summary lists them.
KINDS = {"alike": "ordered alike by both", "separated": "separated by the counts only", "disagree": "disagree",
         "time only": "separated by the time only", "neither": "separated by neither"}
FOLD_OVER = 4  # a list of more items than this is folded


@dataclass
class Side:
    """One row of a pair: its timed repetitions (lower is faster) and its counted figures."""

    impl: str
    times: list
    figures: object  # counts.Figures

    @property
    def time(self):
        return median(self.times)


@dataclass
class Pair:
    a: Side
    b: Side
    ratio: object = field(init=False)  # stats.Ratio of a's median time over b's

    def __post_init__(self):
        self.ratio = median_ratio(self.a.times, self.b.times)

    @property
    def faster(self):
        """The side the time calls faster (its 95% interval for this pair alone excludes 1), or None."""
        low, high = self.ratio.interval()
        return self.a if high < 1 else self.b if low > 1 else None

    @property
    def instr_difference(self):
        """How much fewer instructions the cheaper side executes, as a fraction of the other's."""
        x, y = self.a.figures.instr, self.b.figures.instr
        return abs(x - y) / max(x, y)

    @property
    def cheaper(self):
        """The side executing fewer instructions when they differ by more than INSTR_DIFFERENCE, or None."""
        if self.instr_difference <= INSTR_DIFFERENCE:
            return None
        return self.a if self.a.figures.instr < self.b.figures.instr else self.b

    @property
    def kind(self):
        faster, cheaper = self.faster, self.cheaper
        if faster is None:
            return "neither" if cheaper is None else "separated"
        if cheaper is None:
            return "time only"
        return "alike" if faster is cheaper else "disagree"

    def _other(self, side):
        return self.b if side is self.a else self.a

    def _interval(self, first):
        """The ratio of first's median time to the other's, with its interval, for a sentence."""
        value, (low, high) = self.ratio.value, self.ratio.interval()
        if first is self.b:
            value, low, high = 1 / value, 1 / high, 1 / low
        return f"ratio {value:.3f}, 95% interval {low:.3f} to {high:.3f}"

    def sentence(self, unit):
        """Both readings in words, for a pair the counts separate or the two disagree on."""
        if self.kind == "separated":
            x = self.cheaper
            y = self._other(x)
            return (f"{x.impl} executes {_percent(self.instr_difference)} fewer instructions than {y.impl} "
                    f"({per_unit(x.figures.instr)} against {per_unit(y.figures.instr)} per {unit}){_inexact(x, y)}; the medians, "
                    f"{duration(x.time)} and {duration(y.time)}, are within noise ({self._interval(x)})")
        x = self.faster
        y = self._other(x)
        return (f"time: {x.impl} is faster than {y.impl}, {duration(x.time)} against {duration(y.time)} ({self._interval(x)}); "
                f"count: {x.impl} executes {_percent(x.figures.instr / y.figures.instr - 1)} more instructions, "
                f"{per_unit(x.figures.instr)} against {per_unit(y.figures.instr)} per {unit}{_inexact(x, y)}, "
                f"with {per_unit(x.figures.d1_miss)} against {per_unit(y.figures.d1_miss)} simulated D1 misses per {unit}")

    def as_dict(self, orders):
        """The pair as the machine-readable list has it (counts.pairs_over_run)."""
        low, high = self.ratio.interval()
        return {"table": orders.table, "where": orders.where, "kind": self.kind, "unit": orders.unit,
                "a": self.a.impl, "b": self.b.impl,
                "instr_per_unit": [self.a.figures.instr, self.b.figures.instr],
                "d1_miss_per_unit": [self.a.figures.d1_miss, self.b.figures.d1_miss],
                "instr_exact": [self.a.figures.exact, self.b.figures.exact],
                "median_ns": [self.a.time, self.b.time], "time_ratio": self.ratio.value, "time_ratio_95": [low, high],
                "sentence": self.sentence(orders.unit)}


def _percent(fraction):
    """12%, or 1.5% below 10% (a difference just over INSTR_DIFFERENCE must not read as 1% or 2%)."""
    return f"{fraction:.0%}" if fraction >= 0.1 else f"{fraction:.1%}"


def _inexact(*sides):
    """A warning for a sentence whose instruction counts are not exact (the processes differed)."""
    inexact = [s.impl for s in sides if not s.figures.exact]
    return f" (not exact: the counting processes differed for {' and '.join(inexact)})" if inexact else ""


@dataclass
class Orders:
    """Every pair of one comparison, read by time and by count."""

    table: str    # the table it belongs to (its title)
    where: str    # the comparison within it ("N = 256"), or "" when the table is one comparison
    unit: str     # op or msg
    pairs: list

    def of_kind(self, kind):
        return [p for p in self.pairs if p.kind == kind]

    @property
    def items(self):
        """(kind, sentence) of the pairs the two readings differ on: separated first, then disagreeing."""
        prefix = f"{self.where}: " if self.where else ""
        return [(kind, prefix + p.sentence(self.unit)) for kind in ("separated", "disagree") for p in self.of_kind(kind)]


def orders(table, where, rows):
    """Orders of the rows [(impl, timed values, Figures or None)] that have both; None if fewer than two do."""
    sides = [Side(impl, times, figures) for impl, times, figures in rows if times and figures is not None]
    if len(sides) < 2:
        return None
    return Orders(table, where, sides[0].figures.unit,
                  [Pair(a, b) for i, a in enumerate(sides) for b in sides[i + 1:]])


@dataclass
class Summary:
    """What a table's Orders (one or several comparisons) say, for the page."""

    pairs: int
    counts: list  # (what, how many) per KINDS entry that occurs
    items: list   # (kind, sentence)

    @property
    def folded(self):
        return len(self.items) > FOLD_OVER

    @property
    def line(self):
        return f"{self.pairs} pair{'s' if self.pairs != 1 else ''}: " + ", ".join(f"{n} {what}" for what, n in self.counts)

    @property
    def fold_summary(self):
        separated = sum(1 for kind, _ in self.items if kind == "separated")
        disagree = len(self.items) - separated
        return f"{separated} pairs separated by the counts only, {disagree} where counts and times disagree"


def summary(all_orders):
    """The Summary of a table's Orders (a list, None entries left out); None if there is none."""
    all_orders = [o for o in all_orders if o]
    if not all_orders:
        return None
    pairs = [p for o in all_orders for p in o.pairs]
    counts = [(what, n) for kind, what in KINDS.items() if (n := sum(1 for p in pairs if p.kind == kind))]
    return Summary(len(pairs), counts, [item for o in all_orders for item in o.items])
