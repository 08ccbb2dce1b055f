"""The order every section lists things in, and the one point of comparison they share."""

from .workloads import FAMILY_ORDER, parse, waiting_dominates

# The mutex rows, then eventcount (the lock-free rows' waiting mechanism: a row of the wait-list
# microbenchmarks only), the lock-free rows, the baselines. A new name gets a place after them.
IMPL_ORDER = ["vec", "vec_reuse", "slab", "intrusive", "eventcount", "moodycamel", "boost_lockfree", "mutex_condvar",
              "moodycamel_blocking"]


def listed(value, order):
    """Known names in the listed order, unknown ones after them, alphabetically."""
    return (order.index(value), value) if value in order else (len(order), value)


def impl_key(impl):
    return listed(impl, IMPL_ORDER)


def workload_key(workload):
    """By family (seq, spsc, ping_pong, mpscP, mpmcPxP, tasksM, fanoutK, churnN), then by width:
    mpsc8 before mpsc16 before mpsc128. Unknown names after them, alphabetically."""
    w = parse(workload)
    if w.family is None:
        return (len(FAMILY_ORDER), 0, workload)
    return (FAMILY_ORDER.index(w.family), w.width or 0, workload)


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
    caps = {s.key["cap"] for s in run.points.values() if s.key["cap"] != "unbounded" and not waiting_dominates(s.key["workload"])}
    return str(max(int(c) for c in caps)) if caps else None
