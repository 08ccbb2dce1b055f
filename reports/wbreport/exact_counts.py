"""Section 4's last part, "Exact counts": how the counts were made, whether they repeat, what was not
counted and why, and the counted points no other table shows (the thread workloads that run on one
thread, seq; the bursts; the tracer's overhead). The wait-list microbenchmarks and churn show
their counts beside their times (waitlists.py, waiting.py). Also the status block's one line.

A run without counts says why: the sweep skipped the step (env.json's counts_skipped), or the run
was written before the sweep had one."""

from dataclasses import dataclass, field

from .counts import COUNT_FIGURES, Figures
from .ordering import cap_key, workload_key
from .workloads import parse, threads, waiting_dominates

PREDATES = "not counted: this run predates the count step (scripts/sweep counts the single-threaded points since it has one)"
WHY_NOT_THREADS = ("callgrind runs one thread at a time, so on several threads it would count the schedule it imposed, "
                   "spinning and handoffs that never happen on real cores, rather than the code's own path")


@dataclass
class CountRow:
    label: str                   # the implementation (and what distinguishes the row)
    cells: list                  # Figures or None per column group
    reasons: list                # why a cell has no figures, per column group (None where it has)


@dataclass
class CountTable:
    title: str
    groups: list                 # the column groups' headings
    figures: tuple               # the figures each group shows (COUNT_FIGURES entries)
    unit: str
    rows: list                   # CountRow


@dataclass
class TracerRow:
    what: str
    traced: object               # Figures or None
    untraced: object
    why: str | None = None       # why there is no difference

    @property
    def cost(self):
        """What the tracer adds, in instructions per operation (a malloc + free pair)."""
        return self.traced.instr - self.untraced.instr if self.traced and self.untraced else None


@dataclass
class ExactCounts:
    why_not: str | None = None   # why there are no counts, or None
    tool: str = ""
    options: str = ""
    processes: int = 0
    caches: str = ""
    agreement: object = None     # counts.Agreement
    counted: int = 0             # points with figures
    allocator: str = ""
    not_counted: list = field(default_factory=list)  # (family, [workloads]) of the multi-threaded timed points (never counted)
    missing: list = field(default_factory=list)      # (family, [workloads]) on one thread, timed, and yet not in the count file
    tables: list = field(default_factory=list)       # CountTable: the thread workloads on one thread (seq), the bursts
    tracer: list = field(default_factory=list)       # TracerRow

    why_not_threads = WHY_NOT_THREADS

    @property
    def not_counted_text(self):
        return _families(self.not_counted)

    @property
    def missing_text(self):
        return _families(self.missing)


def _families(families):
    """'spsc, mpsc (mpsc2, mpsc4)': each family, with its workloads where their names are not the family's."""
    return ", ".join(f"{family} ({', '.join(names)})" if names != [family] else family for family, names in families)


def why_absent(results):
    """Why the run has no counts: the reason the sweep gave, or that it predates the step."""
    if results.counts_skipped:
        return f"skipped: {results.counts_skipped}"
    if not results.counts_recorded:
        return PREDATES
    return "not counted, and env.json does not say why"


def _not_counted(results, counts):
    """([(family, [workloads])] of the counted allocator's timed points none of which was counted, on several threads
    (or an unknown number), and the same of those on one thread (the count file should have had them)."""
    run = results.runs.get(counts.allocator) or next(iter(results.runs.values()))
    by_family = {}  # family -> (workloads, any counted, every workload on one thread)
    for s in run.points.values():
        workload = s.key["workload"]
        family = parse(workload, run).family or workload
        names, counted, one_thread = by_family.get(family, (set(), False, True))
        by_family[family] = (names | {workload}, counted or counts.series("points", s.key) is not None,
                             one_thread and threads(workload, run) == 1)
    uncounted = [(family, sorted(names, key=workload_key), one_thread) for family, (names, counted, one_thread)
                 in sorted(by_family.items(), key=lambda kv: workload_key(min(kv[1][0], key=workload_key))) if not counted]
    return ([(f, names) for f, names, one in uncounted if not one], [(f, names) for f, names, one in uncounted if one])


def _point_tables(results, counts):
    """A table per workload, payload and mode of the counted points no other table shows (waiting does not
    dominate them: seq), a column group per capacity and batch, a row per implementation."""
    groups = {}
    for s in counts.run.points.values():
        k = s.key
        if waiting_dominates(k["workload"], counts.run):
            continue
        groups.setdefault((k["workload"], k["payload"], k["mode"]), {}).setdefault(k["impl"], {})[(k["cap"], k["batch"])] = s
    tables = []
    for (workload, payload, mode), by_impl in sorted(groups.items(), key=lambda kv: (workload_key(kv[0][0]), kv[0][1], kv[0][2] != "sync")):
        columns = sorted({c for cells in by_impl.values() for c in cells}, key=lambda c: (cap_key(c[0]), int(c[1])))
        rows = [_row(impl, [by_impl[impl].get(c) for c in columns]) for impl in sorted(by_impl, key=results.impl_order.key)]
        tables.append(CountTable(f"{workload}, {payload}, {mode}", [f"capacity {cap}, batch {batch}" for cap, batch in columns],
                                 ("instr", "d1_miss", "branch_miss"), "msg", rows))
    return tables


def _row(label, series_list):
    cells = [Figures.of(s) for s in series_list]
    reasons = [None if f else (s.why_missing if s is not None else "n/a: not in this run") for f, s in zip(cells, series_list)]
    return CountRow(label, cells, reasons)


def _bursts(results, counts):
    if not counts.run.bursts:
        return []
    rows = [_row(s.key["impl"], [s]) for s in sorted(counts.run.bursts.values(), key=lambda s: results.impl_order.key(s.key["impl"]))]
    shapes = sorted({f"{s.key['waiters']} waiters, {s.key['mode']}" for s in counts.run.bursts.values()})
    return [CountTable(f"bursts ({'; '.join(shapes)})", ["per message delivered"], COUNT_FIGURES, "msg", rows)]


def _tracer(counts):
    by_what = {}
    for s in counts.run.tracer.values():
        by_what.setdefault(s.key["what"], {})[s.key["variant"]] = s
    out = []
    for what, variants in sorted(by_what.items()):
        traced, untraced = Figures.of(variants.get("traced")), Figures.of(variants.get("untraced"))
        missing = [(v, variants.get(v)) for v, f in (("traced", traced), ("untraced", untraced)) if f is None]
        why = "; ".join(f"{v}: {s.why_missing if s is not None else 'not in this run'}" for v, s in missing) or None
        out.append(TracerRow(what, traced, untraced, why))
    return out


def analyse(results):
    """The subsection's ExactCounts: without counts, only why_not."""
    counts = results.counted
    if counts is None:
        return ExactCounts(why_not=why_absent(results))
    agreement = counts.agreement
    not_counted, missing = _not_counted(results, counts)
    return ExactCounts(tool=counts.tool, options=counts.options, processes=counts.processes, caches=counts.caches,
                       agreement=agreement, counted=agreement.counted, allocator=counts.allocator,
                       not_counted=not_counted, missing=missing, tables=_point_tables(results, counts) + _bursts(results, counts),
                       tracer=_tracer(counts))


def status_line(results):
    """(text, ok) for the status block: ran and how far the processes agree (ok: every instruction count
    exact), or why not (ok None: not run, neither passed nor failed)."""
    counts = results.counted
    if counts is None:
        return why_absent(results), None
    a = counts.agreement
    return (f"{a.counted} single-threaded points counted by {counts.tool} in {counts.processes} processes ({counts.allocator} "
            f"allocator); {a.brief}"), not a.inexact
