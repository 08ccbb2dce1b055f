"""The order every section lists things in, and the one point of comparison they share."""

IMPL_ORDER = ["vec", "vec_reuse", "slab", "intrusive", "moodycamel", "boost_lockfree", "mutex_condvar", "moodycamel_blocking"]
WORKLOAD_ORDER = ["seq", "spsc", "ping_pong", "mpsc2", "mpsc4", "mpmc2x2", "mpmc4x4"]


def _listed(value, order):
    """Known names in the listed order, unknown ones after them, alphabetically."""
    return (order.index(value), value) if value in order else (len(order), value)


def impl_key(impl):
    return _listed(impl, IMPL_ORDER)


def workload_key(workload):
    return _listed(workload, WORKLOAD_ORDER)


def cap_key(cap):
    return (1, 0) if cap == "unbounded" else (0, int(cap))


def group_key(group):
    """A (workload, capacity, payload, mode) group: by workload, capacity, payload, sync first."""
    workload, cap, payload, mode = group
    return (workload_key(workload), cap_key(cap), payload, mode != "sync")


def largest_bounded_cap(run):
    """The capacity the cross-row comparisons use (1024 in the standard presets); None if the run
    has only unbounded points."""
    caps = {s.key["cap"] for s in run.points.values() if s.key["cap"] != "unbounded"}
    return str(max(int(c) for c in caps)) if caps else None
