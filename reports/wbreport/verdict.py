"""Section 2: each row's steady-state allocations, in sentences generated from the data. The
judgement itself is the decision box (decision.py); the per-workload winners this section used to
list, from uncorrected 5-against-5 tests, did not survive a second run and are gone. Which
implementations are baselines or peers is read from the results (results.Results.baselines, .peers)."""

from .workloads import waiting_dominates


def allocation_sentences(results):
    """One sentence per row: its steady-state allocations per message across every thread-workload point it ran."""
    worst = {}
    for allocator, run in results.runs.items():
        for s in run.points.values():
            values = [] if waiting_dominates(s.key["workload"], run) else s.values("allocs_per_msg")
            if not values:
                continue
            impl = s.key["impl"]
            top = max(values)
            if impl not in worst or top > worst[impl][0]:
                worst[impl] = (top, s.name, allocator)
    out = []
    for impl in sorted(worst, key=results.impl_order.key):
        top, name, allocator = worst[impl]
        if top == 0:
            out.append(f"{impl}: no allocation at all in the steady state, at any point of the thread workloads, under any allocator.")
        else:
            out.append(f"{impl}: allocates in the steady state, up to {top:.3g} allocations per message ({name}, {allocator}).")
    return out
