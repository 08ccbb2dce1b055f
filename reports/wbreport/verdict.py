"""Section 2: for each workload, which row wins at batch 1 and at batch 256, by how much against the
mutex_condvar baseline, and whether the lead over the runner-up is more than noise; then each
row's steady-state allocations. Sentences generated from the data, with the table behind them.

The comparison point is the one every row and the baseline can run: the first allocator, sync
mode, u64, at the largest bounded capacity present (1024 in the standard presets). Only the thread
workloads are judged: the ones where waiting dominates (tasks, fanout, churn) have capacities and
modes of their own, and churn's async mode counts the executor's allocations, the same for every
row; section 4 shows them plainly, without a verdict."""

from dataclasses import dataclass

from .stats import SIGNIFICANCE, mann_whitney_p, summarize
from .ordering import impl_key, largest_bounded_cap, workload_key
from .workloads import waiting_dominates

BASELINE = "mutex_condvar"
BASELINES = {"mutex_condvar", "moodycamel_blocking"}


@dataclass
class Finding:
    workload: str
    batch: int
    winner: str | None
    winner_median: float | None
    runner_up: str | None
    lead: float | None        # winner over runner-up, as a fraction
    p_value: float | None     # Mann-Whitney U, winner vs runner-up
    vs_baseline: float | None  # winner over mutex_condvar, as a ratio
    sentence: str


def findings(results):
    allocator, run = next(iter(results.runs.items()))
    cap = largest_bounded_cap(run) or "unbounded"
    out = []
    by_point = {}
    for s in run.points.values():
        k = s.key
        if k["cap"] == cap and k["payload"] == "u64" and k["mode"] == "sync" and not waiting_dominates(k["workload"]):
            by_point.setdefault((k["workload"], int(k["batch"])), {})[k["impl"]] = s
    for workload, batch in sorted(by_point, key=lambda p: (workload_key(p[0]), p[1])):
        if batch not in (1, 256):
            continue
        impls = by_point[(workload, batch)]
        ranked = sorted(((summarize(s.values("msgs_per_s")), impl, s) for impl, s in impls.items()
                         if impl not in BASELINES and s.repetitions), key=lambda t: -t[0].median)
        where = f"{workload} at batch {batch} (capacity {cap}, sync, u64, {allocator})"
        if not ranked:
            out.append(Finding(workload, batch, None, None, None, None, None, None, f"{where}: no row could run."))
            continue
        win, winner, wseries = ranked[0]
        sentence = f"{where}: {winner} leads with {win.median / 1e6:.2f}M msgs/s"
        runner_up = lead = p = ratio = None
        if len(ranked) > 1:
            second, runner_up, rseries = ranked[1]
            lead = win.median / second.median - 1
            p = mann_whitney_p(wseries.values("msgs_per_s"), rseries.values("msgs_per_s"))
            verdict = "a significant lead" if p is not None and p < SIGNIFICANCE else "within noise"
            ptext = f"p = {p:.2f}" if p is not None else "too few repetitions to test"
            sentence += f", {lead:.0%} ahead of {runner_up} ({verdict}, Mann-Whitney {ptext})"
        base = impls.get(BASELINE)
        base_summary = summarize(base.values("msgs_per_s")) if base else None
        if base_summary:
            ratio = win.median / base_summary.median
            sentence += f"; {ratio:.2f}x the {BASELINE} baseline"
        else:
            sentence += f"; {BASELINE}: " + (base.na_reason if base and base.na_reason else "not in this run")
        out.append(Finding(workload, batch, winner, win.median, runner_up, lead, p, ratio, sentence + "."))
    return out


def allocation_sentences(results):
    """One sentence per row: its steady-state allocations per message across every thread-workload point it ran."""
    worst = {}
    for allocator, run in results.runs.items():
        for s in run.points.values():
            values = [] if waiting_dominates(s.key["workload"]) else s.values("allocs_per_msg")
            if not values:
                continue
            impl = s.key["impl"]
            top = max(values)
            if impl not in worst or top > worst[impl][0]:
                worst[impl] = (top, s.name, allocator)
    out = []
    for impl in sorted(worst, key=impl_key):
        top, name, allocator = worst[impl]
        if top == 0:
            out.append(f"{impl}: no allocation at all in the steady state, at any point of the thread workloads, under any allocator.")
        else:
            out.append(f"{impl}: allocates in the steady state, up to {top:.3g} allocations per message ({name}, {allocator}).")
    return out
