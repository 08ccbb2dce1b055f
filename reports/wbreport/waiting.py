"""Section 4's second part: the workloads where waiting dominates (tasksM, fanoutK, churnN), shown
plainly, for the first allocator (the second is in section 3's difference). Per family a figure per
mode (small multiples, as in section 3), and one table per point group (workload, capacity, batch,
payload, mode): a row per implementation with its messages/s (median and spread) and the medians
of the counters that say where the time went. Rows that could not run anywhere in these workloads
(the baselines: no async API) are listed once instead of in every table.

Of these workloads only churnN runs on one thread, and only its points are counted (counts.py):
its tables get counted instructions and D1 misses per message beside the times, and under each, the
pairs of rows the counts and the medians order differently (count_orders.py). The others run on
the pool's threads and are not counted (callgrind runs one thread at a time)."""

from dataclasses import dataclass, field

from . import count_orders, throughput
from .ordering import cap_key, workload_key
from .stats import median, summarize
from .workloads import parse, waiting_dominates

# (counter, heading, what it is, how to show it): shown in a table when any of its rows has it, so
# the churn tables get their cancel columns and no other table does.
COLUMNS = [
    ("ns_per_msg", "time/msg", "measured time / messages", "duration"),
    ("waits_per_msg", "waits/msg", "times a party linked itself into a wait list and blocked, per message", "count"),
    ("ns_per_wait", "time/wait", "measured time / waits: one wait all told, with everything else the round did spread over them",
     "duration"),
    ("wakes_per_msg", "wakes/msg", "wakers taken by a notify, per message", "count"),
    ("spurious_wakes_per_msg", "spurious/msg", "woken parties that found nothing to do and waited again, per message", "count"),
    ("allocs_per_msg", "allocs/msg", "allocations per message in the steady state, on every thread", "count"),
    ("ctx_switches_per_msg", "ctx switches/msg", "context switches of the whole process inside rounds, per message", "count"),
    ("cancels_per_s", "cancels/s", "waits that ended withdrawn, per second", "rate"),
    ("ns_per_cancel", "time/cancel", "the churner's time in its own waits (link, give up, withdraw) / withdrawals; "
     "the sends and the listeners' wake-ups between them are left out", "duration"),
]


@dataclass
class Row:
    impl: str
    throughput: object = None  # stats.Summary of msgs_per_s, or None
    values: list = field(default_factory=list)  # median per shown column, None where this point has no such counter
    na: str | None = None      # why it has no numbers (n/a, or an error)
    count: object = None       # counts.Figures of the point, where the table is counted
    count_na: str | None = None  # why it has no count, where the table is counted


@dataclass
class Table:
    allocator: str
    workload: str
    cap: str
    batch: str
    payload: str
    mode: str
    pool_threads: float | None  # the pool's workers (tasks, fanout), None on one thread (churn)
    columns: list               # the COLUMNS entries this table shows
    rows: list
    family: str                 # its workload's family (the workload's name if the report cannot tell)
    counted: bool = False       # the count step counted these points: every row has a count or says why not
    orders: object = None       # count_orders.Orders of its rows timed and counted, or None

    @property
    def orders_summary(self):
        return count_orders.summary([self.orders])

    @property
    def title(self):
        where = f", {self.pool_threads:.0f} pool threads" if self.pool_threads else ""
        return f"{self.workload}, capacity {self.cap}, batch {self.batch}, {self.payload}, {self.mode} ({self.allocator}{where})"


@dataclass
class Allocator:
    """One allocator's tables, and the rows that ran none of these points, with their reasons."""

    allocator: str
    tables: list
    never_ran: list  # (impl, [distinct reasons], points)

    @property
    def uncounted_families(self):
        """The families none of whose tables is counted (they run on several threads)."""
        return [family for family, tables in self.families if not any(t.counted for t in tables)]

    @property
    def families(self):
        """[(family, [Table])], in the tables' order."""
        out = []
        for t in self.tables:
            if not out or out[-1][0] != t.family:
                out.append((t.family, []))
            out[-1][1].append(t)
        return out


def _group_key(group):
    workload, cap, batch, payload, mode = group
    return (workload_key(workload), cap_key(cap), int(batch), payload, mode != "sync")


# What count_orders reads a pair's times from: the time per message (lower is faster).
TIMED = "ns_per_msg"


def _table(run, group, members, order, counts):
    columns = [c for c in COLUMNS if any(s.values(c[0]) for s in members.values())]
    counted = counts is not None and any(counts.series("points", s.key) is not None for s in members.values())
    rows = []
    for impl in sorted(members, key=order.key):
        s = members[impl]
        if s.why_missing:
            row = Row(impl, na=s.why_missing)
        else:
            row = Row(impl, summarize(s.values("msgs_per_s")), [median(s.values(counter)) for counter, *_ in columns])
        if counted:
            row.count = counts.figures("points", s.key)
            row.count_na = None if row.count else counts.why_missing("points", s.key)
        rows.append(row)
    pool = median([v for s in members.values() for v in s.values("pool_threads")])
    workload = group[0]
    table = Table(run.allocator, *group, pool_threads=pool, columns=columns, rows=rows, family=parse(workload, run).family or workload,
                  counted=counted)
    if counted:
        table.orders = count_orders.orders(table.title, "", [(r.impl, [] if r.na else members[r.impl].values(TIMED), r.count)
                                                             for r in rows])
    return table


def sections(results):
    """[Allocator] of the first allocator; empty if the run has none of these workloads."""
    out = []
    for allocator, run in list(results.runs.items())[:1]:
        series = [s for s in run.points.values() if waiting_dominates(s.key["workload"], run)]
        if not series:
            continue
        never_ran = {}
        for impl in {s.key["impl"] for s in series}:
            mine = [s for s in series if s.key["impl"] == impl]
            if all(s.na_reason for s in mine):
                never_ran[impl] = (sorted({s.na_reason for s in mine}), len(mine))
        groups = {}
        for s in series:
            k = s.key
            if k["impl"] not in never_ran:
                groups.setdefault((k["workload"], k["cap"], k["batch"], k["payload"], k["mode"]), {})[k["impl"]] = s
        order = results.impl_order
        counts = results.counted_for(allocator)
        tables = [_table(run, g, groups[g], order, counts) for g in sorted(groups, key=_group_key)]
        out.append(Allocator(allocator, tables, [(impl, *never_ran[impl]) for impl in sorted(never_ran, key=order.key)]))
    return out


def figures(results):
    """{family: [(mode, SVG text or None)]} of the first allocator's workloads where waiting dominates."""
    _, run = throughput.first_run(results)
    series = [s for s in run.points.values() if waiting_dominates(s.key["workload"], run)]
    return {f.name: f.figures for f in throughput.figures_and_tables(results, series)}
