"""What a workload's name says (bench/spec.hpp): its family, its width, and how many threads it
runs. Widths follow the machine the sweep ran on (mpsc2 ... mpsc128 on 64 CPUs), so every section
reads them from the name instead of listing the names it knows."""

import re
from dataclasses import dataclass

# Every family wb_bench registers, in the order the page lists them: the thread-per-party workloads,
# then the coroutine ones where waiting dominates. A family with a width puts it in the name.
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

# Where waiting dominates (section 4): coroutines on a pool (tasks, fanout) or on one thread (churn).
# They have their own capacities and modes, so the cross-row comparisons of the thread workloads
# (the verdict, the scaling charts) leave them out.
WAITING_FAMILIES = {"tasks", "fanout", "churn"}
POOL_FAMILIES = {"tasks", "fanout"}
FIXED_THREADS = {"seq": 1, "spsc": 2, "ping_pong": 2, "churn": 1}  # churn: its listeners share the churner's run loop


@dataclass(frozen=True)
class Workload:
    name: str
    family: str | None  # None: a name this report does not know (listed last, never counted as oversubscribed)
    width: int | None   # P of mpscP and mpmcPxP, M of tasksM, K of fanoutK, N of churnN; None without one


def parse(name):
    for family, pattern in FAMILIES:
        m = pattern.fullmatch(name)
        if m:
            width = m.groupdict().get("width")
            return Workload(name, family, int(width) if width else None)
    return Workload(name, None, None)


def waiting_dominates(name):
    return parse(name).family in WAITING_FAMILIES


def threads(name, pool_threads=None):
    """Threads the workload keeps busy at once, or None if that is unknown: producers + consumers for
    the thread workloads, the pool's workers for tasks and fanout (the driving thread sleeps through
    the round), one for churn."""
    w = parse(name)
    if w.family in FIXED_THREADS:
        return FIXED_THREADS[w.family]
    if w.family == "mpsc":
        return w.width + 1
    if w.family == "mpmc":
        return 2 * w.width
    if w.family in POOL_FAMILIES:
        return pool_threads
    return None
