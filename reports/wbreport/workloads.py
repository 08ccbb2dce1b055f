"""What a workload is: its family, its width, how many threads it keeps busy, and whether waiting
dominates it. wb_bench says so for every workload it registered (its context's wakerbench_workloads,
bench/context.hpp; results.Run.workloads), so a family or width added there needs nothing here.
Results written before it did are read from the names instead, by the rules below (a copy of
bench/spec.hpp's of that time): widths follow the machine the sweep ran on (mpsc2 ... mpsc128 on
64 CPUs), so every section reads them from the name instead of listing the names it knows."""

import re
from dataclasses import dataclass

# Every family wb_bench registered before it described its workloads, in the order the page lists
# them: the thread-per-party workloads, then the coroutine ones where waiting dominates. A family
# with a width puts it in the name. A family only the context names is listed after these.
FAMILIES = [
    ("seq", re.compile(r"seq")),
    ("spsc", re.compile(r"spsc")),
    ("ping_pong", re.compile(r"ping_pong")),
    ("mpsc", re.compile(r"mpsc(?P<width>[0-9]+)")),                 # P senders, one receiver
    ("mpmc", re.compile(r"mpmc(?P<width>[0-9]+)x(?P=width)")),      # P senders, P receivers
    ("tasks", re.compile(r"tasks(?P<width>[0-9]+)")),               # M sending and M receiving coroutines
    ("fanout", re.compile(r"fanout(?P<width>[0-9]+)")),             # one sender, K receivers
    ("churn", re.compile(r"churn(?P<width>[0-9]+)")),               # N waiters, one withdrawing over and over
]
FAMILY_ORDER = [family for family, _ in FAMILIES]

# For names only: where waiting dominates (section 4): coroutines on a pool (tasks, fanout) or on
# one thread (churn). They have their own capacities and modes, so the cross-row comparisons of the
# thread workloads (the verdict, the scaling charts) leave them out.
WAITING_FAMILIES = {"tasks", "fanout", "churn"}
POOL_FAMILIES = {"tasks", "fanout"}
FIXED_THREADS = {"seq": 1, "spsc": 2, "ping_pong": 2, "churn": 1}  # churn: its listeners share the churner's run loop


@dataclass(frozen=True)
class Workload:
    name: str
    family: str | None  # None: a name this report cannot read (listed last, never counted as oversubscribed)
    width: int | None   # P of mpscP and mpmcPxP, M of tasksM, K of fanoutK, N of churnN; None without one
    threads: int | None = None       # threads it keeps busy at once; None if unknown (a pool family read from its name)
    waiting_dominates: bool = False
    on_pool: bool = False            # its parties are coroutines on the pool: its threads are the pool's


def parse(name, run=None):
    """The workload as run's context describes it; from its name if the run does not (or no run is given)."""
    entry = run.workloads.get(name) if run is not None else None
    return _described(entry) if entry else _named(name)


def _described(entry):
    # wb_bench writes width 0 for a family without one (seq, spsc, ping_pong).
    return Workload(entry["name"], entry["family"], entry["width"] or None, entry["threads"], entry["waiting_dominates"],
                    entry["on_pool"])


def _named(name):
    for family, pattern in FAMILIES:
        m = pattern.fullmatch(name)
        if m:
            width = int(m["width"]) if m.groupdict().get("width") else None
            return Workload(name, family, width, _threads_by_name(family, width), family in WAITING_FAMILIES, family in POOL_FAMILIES)
    return Workload(name, None, None)


def _threads_by_name(family, width):
    """Producers + consumers for the thread workloads; None for the pool families (their pool's size is the run's)."""
    if family == "mpsc":
        return width + 1
    if family == "mpmc":
        return 2 * width
    return FIXED_THREADS.get(family)


def waiting_dominates(name, run=None):
    return parse(name, run).waiting_dominates


def pool_threads(context):
    """The coroutine pool's workers in a run (min(CPUs, 4)), or None if its context does not say."""
    value = str(context.get("wakerbench_pool_threads", ""))
    return int(value) if value.isdigit() else None


def threads(name, run=None):
    """Threads the workload keeps busy at once, or None if that is unknown: as run's context says, or
    from the name: producers + consumers for the thread workloads, the pool's workers for tasks and
    fanout (the driving thread sleeps through the round), one for churn."""
    w = parse(name, run)
    if w.threads is None and w.on_pool and run is not None:
        return pool_threads(run.context)
    return w.threads
