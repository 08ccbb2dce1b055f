"""Section 3's scaling charts: messages/s against the number of threads, for the two families of
workloads that differ only in thread count. Drawn at the largest bounded capacity, u64, batch 1
and 256, per allocator and mode."""

from .stats import summarize
from .ordering import impl_key, largest_bounded_cap

# x = threads on each side that grows; the workloads are otherwise the same.
FAMILIES = [
    ("producers (one consumer)", "producers", {"spsc": 1, "mpsc2": 2, "mpsc4": 4}),
    ("producers = consumers", "producers and consumers, each", {"spsc": 1, "mpmc2x2": 2, "mpmc4x4": 4}),
]


def charts_data(results):
    """[(title, xlabel, [(impl, [(x, Summary)])])] for every family with at least two thread counts."""
    out = []
    for allocator, run in results.runs.items():
        cap = largest_bounded_cap(run)
        if cap is None:
            continue
        for mode in ("sync", "async"):
            for batch in ("1", "256"):
                for family, xlabel, workloads in FAMILIES:
                    lines = {}
                    for s in run.points.values():
                        k = s.key
                        if (k["workload"] in workloads and k["cap"] == cap and k["payload"] == "u64" and k["mode"] == mode
                                and k["batch"] == batch):
                            summary = summarize(s.values("msgs_per_s"))
                            if summary:
                                lines.setdefault(k["impl"], []).append((workloads[k["workload"]], summary))
                    xs = {x for pts in lines.values() for x, _ in pts}
                    if len(xs) < 2:
                        continue
                    title = f"{family}\ncapacity {cap}, batch {batch}, u64, {mode} ({allocator})"
                    ordered = [(impl, sorted(lines[impl])) for impl in sorted(lines, key=impl_key)]
                    out.append((title, f"threads: {xlabel}", ordered))
    return out
