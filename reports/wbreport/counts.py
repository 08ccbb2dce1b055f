"""Exact counts: what the count step (scripts/count, bench/count/collect.py) counted at each point.

On a 2-core VM wall time cannot separate the costs the suite compares (a median cv of 14-18%); a
count can: wb_bench --count runs every single-threaded point once under callgrind, collection on
only inside the measured loop, in two identical processes. Each process is one repetition of the
count JSON, so whether a count is exact is not assumed but read: a point's figures are exact when
every process counted the same. Since each point runs in a fresh child of a process forked before
anything ran (bench/count/zygote.hpp), they do, in every event; counts made before that could
differ by a few mispredicted branches in a region (the simulated predictor carried the history of
time-dependent branches run before it). Whatever the data says is shown, and a point whose
instructions differ is marked as not exact wherever it appears.

Here: the figures of a point (Figures, per operation or per delivered message), the index that
finds them from a timed series' key (Counts), how far the processes agree over the run
(Agreement), the tool and options for provenance, and, for quoting, every pair of rows whose
order the counts and the medians read differently (pairs_over_run; `python3 -m wbreport.counts
RESULTS_DIR` prints them as JSON). Multi-threaded points are never counted: callgrind runs one
thread at a time, so a count there would follow its scheduling, not the code."""

import argparse
import json
import re
import statistics
import sys
from dataclasses import dataclass, field
from functools import cached_property

# What a counted entry of the count JSON holds (bench/count/collect.py): how many operations or
# messages its region counted, the figures per that unit, and callgrind's totals over the region.
COUNT_UNITS = {"ops_counted": "op", "msgs_counted": "msg"}
COUNT_FIGURES = ("instr", "d1_miss", "ll_miss", "branch_miss")
COUNT_EVENTS = ("Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw", "Bc", "Bcm", "Bi", "Bim")
# The events each figure sums (collect.py's FIGURES), over the units counted.
FIGURE_EVENTS = {"instr": ("Ir",), "d1_miss": ("D1mr", "D1mw"), "ll_miss": ("ILmr", "DLmr", "DLmw"), "branch_miss": ("Bcm", "Bim")}
# How the page names each figure and event.
FIGURE_NAMES = {"instr": "instructions", "d1_miss": "D1 misses", "ll_miss": "LL misses", "branch_miss": "mispredicted branches"}
EVENT_NAMES = {"Ir": "instructions", "Dr": "data reads", "Dw": "data writes", "I1mr": "I1 misses", "D1mr": "D1 read misses",
               "D1mw": "D1 write misses", "ILmr": "LL instruction misses", "DLmr": "LL data read misses",
               "DLmw": "LL data write misses", "Bc": "conditional branches", "Bcm": "mispredicted conditional branches",
               "Bi": "indirect branches", "Bim": "mispredicted indirect branches"}
# Branch events: the simulated predictor starts each region in a state left by what ran before it.
BRANCH_EVENTS = {"Bc", "Bcm", "Bi", "Bim"}
# A counted column's heading, before "/op" or "/msg".
HEADINGS = {"instr": "instr", "d1_miss": "D1 miss", "ll_miss": "LL miss", "branch_miss": "mispredicted"}
# The Run tables a count can be of (a timed series is looked up in the same table of the count run).
TABLES = ("points", "waitlists", "bursts", "tracer")
NOT_COUNTED = "not counted (the count step did not count this point)"


def identity(key):
    """A series' key as the same point in another file: the fields of its name, without the suffixes
    (/manual_time, /real_time, /iterations:1) that timed names carry and count names do not."""
    return tuple(sorted((k, v) for k, v in key.items() if v is not None))


def unit_of(entry):
    """'op' or 'msg': the unit a counted entry's figures are per (its *_counted counter)."""
    return next(unit for counter, unit in COUNT_UNITS.items() if counter in entry)


def per_unit(value, digits=3):
    """A counted figure per operation or message, as the page shows it: 111, 14,857, 12.4, 0.031, 0 (`digits`
    significant digits below 100)."""
    if value == 0:
        return "0"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.{digits}g}"


@dataclass(frozen=True)
class Figures:
    """One point's counted figures per unit (the median over the counting processes), and which of
    callgrind's events the processes did not count alike."""

    unit: str            # "op" or "msg"
    instr: float         # instructions executed
    d1_miss: float       # first-level data cache misses, reads and writes (simulated)
    ll_miss: float       # last-level misses, instructions and data (simulated)
    branch_miss: float   # mispredicted branches, conditional and indirect (simulated)
    processes: int       # how many processes counted it
    differing: tuple = ()  # events (COUNT_EVENTS) whose region totals differ between the processes
    instr_range: tuple = (0.0, 0.0)  # the fewest and most instructions per unit any process counted

    @classmethod
    def of(cls, series):
        """The figures of a count series, None if it has none (n/a, failed)."""
        if series is None or series.why_missing:
            return None
        reps = series.repetitions
        unit = unit_of(reps[0])
        value = lambda figure: float(statistics.median(r[f"{figure}_per_{unit}"] for r in reps))  # noqa: E731
        differing = tuple(e for e in COUNT_EVENTS if len({r[f"total_{e}"] for r in reps}) > 1)
        instr = [r[f"instr_per_{unit}"] for r in reps]
        return cls(unit, *(value(f) for f in COUNT_FIGURES), processes=len(reps), differing=differing,
                   instr_range=(min(instr), max(instr)))

    @property
    def exact(self):
        """Every process executed the same instructions: the instruction count is a fact, not a sample."""
        return "Ir" not in self.differing

    def get(self, figure):
        return getattr(self, figure)

    @property
    def agreement(self):
        """How the processes agreed, in words."""
        if self.processes < 2:
            return "one process counted it: whether it repeats is not shown"
        if not self.differing:
            return f"the {self.processes} processes counted every event alike"
        if not self.exact:
            low, high = self.instr_range
            return (f"NOT EXACT: the {self.processes} processes executed {low:,.2f} to {high:,.2f} instructions per {self.unit}"
                    f" (they differ in {', '.join(self.differing)})")
        return f"the {self.processes} processes differ only in {', '.join(EVENT_NAMES[e] for e in self.differing)}"

    @property
    def title(self):
        """A counted cell's hover text: every figure, marked as a count, and the agreement."""
        figures = ", ".join(f"{FIGURE_NAMES[f]} {per_unit(self.get(f), 4)}" for f in COUNT_FIGURES)
        return f"counted under callgrind, not timed: per {self.unit}: {figures}; {self.agreement}"


@dataclass
class EventDifference:
    """An event the counting processes did not count alike at some points."""

    event: str
    points: int = 0
    largest: int = 0            # the largest difference in a whole region
    largest_per_unit: float = 0.0
    unit: str = "op"            # of largest_per_unit
    where: str = ""             # the point of the largest difference in a region

    def sentence(self):
        return (f"{EVENT_NAMES[self.event]} ({self.event}) at {_points(self.points)}, by at most {self.largest:,} in a whole region "
                f"({self.where}) and at most {self.largest_per_unit:.2g} per {self.unit}")


@dataclass
class Agreement:
    """How far the counting processes agree over the run."""

    processes: int
    counted: int     # points with figures
    compared: int    # points at least two processes counted
    identical: int   # of those, points where every event agrees
    differences: list = field(default_factory=list)  # EventDifference, in COUNT_EVENTS' order
    inexact: list = field(default_factory=list)      # names of the points whose instructions differ

    @property
    def sentence(self):
        """The agreement in words: whether the counts repeat, and where they do not."""
        if self.compared == 0:
            return (f"{self.counted} points counted by one process only: whether the counts repeat is not shown "
                    "(scripts/count runs two)")
        head = f"the {self.processes} counting processes agree in every event at {self.identical} of {self.compared} points"
        if not self.differences:
            return head + ": every figure is exact"
        tail = "; ".join(d.sentence() for d in self.differences)
        text = f"{head}; elsewhere they differ in {tail}"
        if self.inexact:
            return text + f". Instructions differ at {_points(len(self.inexact))}: their cells say not exact"
        if {d.event for d in self.differences} <= BRANCH_EVENTS:
            return text + ". Instructions, data references and cache misses agree everywhere"
        return text + ". Instructions agree everywhere"


    @property
    def brief(self):
        """The agreement in a clause, for the status block."""
        if self.compared == 0:
            return "one process counted them: whether they repeat is not shown"
        head = f"the processes agree in every event at {self.identical} of {self.compared} points"
        if not self.differences:
            return head
        events = ", ".join(EVENT_NAMES[d.event] for d in self.differences)
        largest = max(d.largest for d in self.differences)
        if self.inexact:
            return f"{head}; instructions differ at {_points(len(self.inexact))}, marked not exact"
        return f"{head}; elsewhere only {events} differ, by at most {largest:,} in a region: instructions agree everywhere"


@dataclass
class Counts:
    """The count run (results.Run of the count JSON), indexed by point: a timed series finds its counted
    figures by its table and key (figures), or learns why it has none (why_missing)."""

    run: object

    @cached_property
    def index(self):
        return {(table, identity(s.key)): s for table in TABLES for s in getattr(self.run, table).values()}

    @property
    def allocator(self):
        return self.run.allocator

    def series(self, table, key):
        return self.index.get((table, identity(key)))

    def figures(self, table, key):
        """The Figures of the point of this key in this Run table (points, waitlists, bursts, tracer), or None."""
        return Figures.of(self.series(table, key))

    def why_missing(self, table, key):
        """Why the point has no figures: its count's n/a or error, or that it was not counted."""
        s = self.series(table, key)
        return (s.why_missing if s is not None else None) or NOT_COUNTED

    @property
    def counted_series(self):
        return [s for s in self.index.values() if not s.why_missing]

    # Provenance: what counted, how, in how many processes (the count JSON's context).
    @property
    def tool(self):
        return self.run.context.get("wakerbench_count_tool") or "not recorded"

    @property
    def options(self):
        return self.run.context.get("wakerbench_count_options") or ""

    @property
    def processes(self):
        value = str(self.run.context.get("wakerbench_count_processes", ""))
        return int(value) if value.isdigit() else max((len(s.repetitions) for s in self.counted_series), default=0)

    @property
    def caches(self):
        """The simulated caches, read from the options (--I1=size,ways,line ...), in words."""
        found = dict(re.findall(r"--(I1|D1|LL)=([0-9]+,[0-9]+,[0-9]+)", self.options))
        if not found:
            return "callgrind's defaults (read from the machine that counted: they differ between machines)"
        parts, lines = [], set()
        for cache in ("I1", "D1", "LL"):
            if cache in found:
                size, ways, line = (int(v) for v in found[cache].split(","))
                parts.append(f"{cache} {_bytes(size)} {ways}-way")
                lines.add(line)
        return ", ".join(parts) + (f", {lines.pop()}-byte lines" if len(lines) == 1 else "")

    @cached_property
    def agreement(self):
        counted = self.counted_series
        compared = [s for s in counted if len(s.repetitions) > 1]
        differences = {}
        inexact = []
        identical = 0
        for s in compared:
            f = Figures.of(s)
            identical += not f.differing
            units = s.repetitions[0][next(c for c in COUNT_UNITS if c in s.repetitions[0])]
            for event in f.differing:
                totals = [r[f"total_{event}"] for r in s.repetitions]
                spread = max(totals) - min(totals)
                d = differences.setdefault(event, EventDifference(event))
                d.points += 1
                if spread > d.largest:
                    d.largest, d.where = spread, f"{s.name}: {min(totals):,} to {max(totals):,}"
                if spread / units > d.largest_per_unit:
                    d.largest_per_unit, d.unit = spread / units, f.unit
            if not f.exact:
                inexact.append(s.name)
        return Agreement(self.processes, len(counted), len(compared), identical,
                         [differences[e] for e in COUNT_EVENTS if e in differences], inexact)


def _points(n):
    return f"{n} point{'s' if n != 1 else ''}"


def _bytes(n):
    for factor, unit in ((1 << 20, "MiB"), (1 << 10, "KiB")):
        if n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n} B"


def pairs_over_run(results):
    """Every pair of rows the counts and the medians order differently over the run: separated by the
    counts only (times within noise, instructions apart) and disagreeing (each names another row
    faster or cheaper), as dicts, in the page's order: the wait-list tables' columns, then the churn
    tables. The same analysis as the page's (count_orders), from the same tables."""
    # Imported here: the tables import this module (for Figures), and count_orders them.
    from . import waiting, waitlists
    orders = [o for t in waitlists.tables(results) for o in t.orders]
    orders += [t.orders for a in waiting.sections(results) for t in a.tables if t.orders]
    return [p.as_dict(o) for o in orders for p in o.pairs if p.kind in ("separated", "disagree")]


def main(argv):
    # Imported here: results reads this module's constants.
    from . import results as results_mod
    from .errors import ReportError
    parser = argparse.ArgumentParser(prog="python3 -m wbreport.counts",
                                     description="Prints, as JSON, every pair of rows whose order the exact counts and the "
                                                 "timed medians read differently in a results directory (the page's "
                                                 "'counts against medians' lists).")
    parser.add_argument("results_dir", metavar="RESULTS_DIR")
    args = parser.parse_args(argv)
    try:
        loaded = results_mod.load(args.results_dir)
    except ReportError as e:
        print(f"counts: {e}", file=sys.stderr)
        return 1
    json.dump(pairs_over_run(loaded), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
