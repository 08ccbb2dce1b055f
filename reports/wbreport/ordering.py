"""The order every section lists things in, and the one point of comparison they share.

Implementations are listed in the places wb_bench's registry gives them (its context's
wakerbench_impls, bench/context.hpp), group by group: the rows over the mutex core, the wait-list
strategies that are no row (eventcount: how the lock-free rows wait, a row of the wait-list
microbenchmarks only), the other rows (lock-free), the baselines, the peers. Within a group, the
registry's order. Nothing here names a row: a row added to the registry takes its place on the page."""

import re
from dataclasses import dataclass, field

from .workloads import FAMILY_ORDER, parse, waiting_dominates

# The groups, in the order the page lists them. Charts give each its own line style and palette
# (charts.py), so a row added to one group changes nothing in the others.
MUTEX_ROWS, WAIT_LISTS, LOCK_FREE_ROWS, BASELINES, PEERS = "mutex rows", "wait lists", "lock-free rows", "baselines", "peers"
GROUPS = (MUTEX_ROWS, WAIT_LISTS, LOCK_FREE_ROWS, BASELINES, PEERS)


def listed(value, order):
    """Known names in the listed order, unknown ones after them, alphabetically."""
    return (order.index(value), value) if value in order else (len(order), value)


@dataclass
class ImplOrder:
    """The implementations of one results directory, each in its group, and the cores of its rows.
    Results.impl_order makes it once per Results; `key` is the sort key every section uses."""

    groups: dict                                # group (GROUPS) -> [name], in the group's order
    cores: dict = field(default_factory=dict)   # row name -> "mutex", "lockfree", or another core its registry names
    names: list = field(init=False)             # every placed name, in the page's order

    def __post_init__(self):
        self.names = _unique(name for group in GROUPS for name in self.groups.get(group, []))

    def key(self, impl):
        """Placed names in the page's order, the others (in no registry) after them, alphabetically."""
        return listed(impl, self.names)

    def place(self, impl):
        """(group, index within it), or None for a name the results do not place."""
        for group in GROUPS:
            members = self.members(group)
            if impl in members:
                return group, members.index(impl)
        return None

    def members(self, group):
        return list(self.groups.get(group, []))

    @classmethod
    def of(cls, results):
        """From the registry wb_bench wrote into its context; for results written before it did, from
        what the benchmarks themselves show (_rows_before_context)."""
        runs = list(results.runs.values())
        registry = _unique_by_name(e for run in runs for e in run.impls)
        if registry:
            rows = [(e["name"], e["core"]) for e in registry if e["list"] == "row"]
            strategies = _unique(s for run in runs for s in run.waitlist_names)
        else:
            strategies = _registration_order([s for run in runs for s in run.waitlists.values()], "strategy")
            rows = _rows_before_context(runs, strategies, set(results.baselines_in_order) | results.peers)
        listed_as = lambda which: [e["name"] for e in registry if e["list"] == which]  # noqa: E731
        row_names = {name for name, _ in rows}
        return cls({
            MUTEX_ROWS: [name for name, core in rows if core == "mutex"],
            WAIT_LISTS: [s for s in strategies if s not in row_names],
            LOCK_FREE_ROWS: [name for name, core in rows if core != "mutex"],
            BASELINES: _unique(listed_as("baseline") + results.baselines_in_order),
            PEERS: _unique(listed_as("peer") + results.peers_in_order),
        }, dict(rows))


def _unique(names):
    return list(dict.fromkeys(names))


def _unique_by_name(entries):
    """Registry entries, each name once (the first run's), in order."""
    out = {}
    for e in entries:
        out.setdefault(e["name"], e)
    return list(out.values())


def _registration_order(series, field_name):
    """The distinct key[field_name] of these Series in the order wb_bench registered them (Google
    Benchmark's family_index, which random interleaving leaves alone); in the entries' order without it."""
    first = {}
    for position, s in enumerate(series):
        index = (s.family_index is None, s.family_index or 0, position)
        name = s.key[field_name]
        if name not in first or index < first[name]:
            first[name] = index
    return sorted(first, key=first.get)


def _rows_before_context(runs, strategies, named):
    """[(row, core)] of results without wakerbench_impls: the implementations of the points that no
    baseline or peer list names, in registration order (wb_bench registers the rows in the
    registry's order). A row with wait-list microbenchmarks of its own is taken for a mutex row
    (only those have them), any other for a lock-free one."""
    impls = _registration_order([s for run in runs for s in run.points.values()], "impl")
    return [(impl, "mutex" if impl in strategies else "lockfree") for impl in impls if impl not in named]


# An unknown workload name: letters, then a width (and an x and a second number, as mpmcPxP has).
NATURAL = re.compile(r"(?P<stem>.*?)(?P<width>[0-9]+)?(?:x[0-9]+)?")


def workload_key(workload):
    """By family (seq, spsc, ping_pong, mpscP, mpmcPxP, tasksM, fanoutK, churnN), then by width:
    mpsc8 before mpsc16 before mpsc128. Unknown names after them, by their letters, then their
    number (bursty8 before bursty16)."""
    w = parse(workload)
    if w.family in FAMILY_ORDER:
        return (FAMILY_ORDER.index(w.family), "", w.width or 0, workload)
    m = NATURAL.fullmatch(workload)
    return (len(FAMILY_ORDER), m["stem"], int(m["width"] or 0), workload)


def cap_key(cap):
    return (1, 0) if cap == "unbounded" else (0, int(cap))


def group_key(group):
    """A (workload, capacity, payload, mode) group: by workload, capacity, payload, sync first."""
    workload, cap, payload, mode = group
    return (workload_key(workload), cap_key(cap), payload, mode != "sync")


def largest_bounded_cap(run):
    """The capacity the cross-row comparisons use (1024 in the standard presets); None if the run
    has only unbounded points. Only the thread workloads count: the families where waiting
    dominates have small capacities of their own (tasks: 1 and 16)."""
    caps = {s.key["cap"] for s in run.points.values() if s.key["cap"] != "unbounded" and not waiting_dominates(s.key["workload"], run)}
    return str(max(int(c) for c in caps)) if caps else None
