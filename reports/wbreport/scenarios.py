#!/usr/bin/python3
"""The scenarios of the decision box: the situations a reader chooses a waiter storage for, and the
points of the sweep that stand for each. The one list of them: the report's decision (decision.py)
scores rows on these points, and scripts/sweep asks this file (--filter) which benchmarks to give
the second allocator at the quick preset, so the two never disagree.

A point is (workload family, width rule, capacity, batch, mode), always with the u64 payload. mpscP
and mpmcPxP take every width the run has whose threads fit the machine's cores: an oversubscribed
point measures the scheduler as much as the channel, so no pick rests on one (the page says which
were left out).

usage: scenarios.py --filter [--cpus N]   prints the --benchmark_filter regex of every point the
                                          scenarios use on a machine of N CPUs (default: this one)
"""

import argparse
import os
import re
import sys
from dataclasses import dataclass

if __package__ in (None, ""):  # run as a script by scripts/sweep
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from wbreport.workloads import parse  # noqa: E402
else:
    from .workloads import parse


@dataclass(frozen=True)
class PointRule:
    family: str
    cap: str      # "1", "1024", "16", "unbounded"
    batch: str
    mode: str
    width: int | None = None  # tasksM, fanoutK, churnN: this width only; None: any width that fits

    def matches(self, key):
        w = parse(key["workload"])
        return (w.family == self.family and (self.width is None or w.width == self.width) and key["cap"] == self.cap
                and key["batch"] == self.batch and key["mode"] == self.mode and key["payload"] == "u64")

    def regex(self):
        family = {"mpsc": r"mpsc[0-9]+", "mpmc": r"mpmc[0-9]+x[0-9]+"}.get(self.family, self.family)
        if self.width is not None:
            family = f"{self.family}{self.width}"
        return f"{family}/[a-z0-9_]+/cap:{self.cap}/batch:{self.batch}/payload:u64/mode:{self.mode}"


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    question: str   # what a reader in this situation wants to know
    points: tuple

    def matches(self, key):
        """Whether the point `key` (a series' key) is one of this scenario's."""
        return any(rule.matches(key) for rule in self.points)


SCENARIOS = (
    Scenario("rarely_blocks", "Rarely blocks", "a large buffer (capacity 1024): do I pay for the wait list when nobody waits?", (
        PointRule("seq", "1024", "1", "sync"), PointRule("spsc", "1024", "1", "sync"), PointRule("spsc", "1024", "256", "sync"),
        PointRule("mpsc", "1024", "1", "sync"), PointRule("mpmc", "1024", "1", "sync"))),
    Scenario("always_blocks", "Always blocks", "capacity 1 and round trips: every message parks a thread; which storage parks and wakes cheapest?", (
        PointRule("spsc", "1", "1", "sync"), PointRule("ping_pong", "1", "1", "sync"), PointRule("ping_pong", "1024", "1", "sync"),
        PointRule("mpsc", "1", "1", "sync"))),
    Scenario("many_tasks", "Many waiting tasks", "hundreds of coroutines suspended on one channel: which storage scales with the number of waiters?", (
        PointRule("tasks", "1", "1", "async", 16), PointRule("tasks", "1", "1", "async", 256),
        PointRule("fanout", "unbounded", "1", "async", 64), PointRule("fanout", "unbounded", "1", "async", 1024))),
    Scenario("cancellation", "Cancellation-heavy", "waiters that give up (timeouts, cancelled tasks) far more often than they receive: which storage withdraws cheapest?", (
        PointRule("churn", "unbounded", "1", "sync", 16), PointRule("churn", "unbounded", "1", "async", 16),
        PointRule("churn", "unbounded", "1", "sync", 1024), PointRule("churn", "unbounded", "1", "async", 1024))),
    Scenario("async", "Async callers", "the thread workloads with coroutine parties: which storage suits async code, and what does async cost against sync?", (
        PointRule("spsc", "1", "1", "async"), PointRule("spsc", "1024", "1", "async"), PointRule("ping_pong", "1", "1", "async"))),
)


def sweep_filter(cpus):
    """The --benchmark_filter regex of every point the scenarios use whose threads fit `cpus`."""
    parts = []
    for scenario in SCENARIOS:
        for rule in scenario.points:
            if rule.family == "mpsc":
                widths = [p for p in range(2, cpus + 1) if p + 1 <= cpus]
                parts += [rule.regex().replace(r"mpsc[0-9]+", f"mpsc{p}", 1) for p in widths]
            elif rule.family == "mpmc":
                widths = [p for p in range(2, cpus + 1) if 2 * p <= cpus]
                parts += [rule.regex().replace(r"mpmc[0-9]+x[0-9]+", f"mpmc{p}x{p}", 1) for p in widths]
            else:
                parts.append(rule.regex())
    return "^(" + "|".join(dict.fromkeys(parts)) + ")(/|$)"


def main(argv):
    p = argparse.ArgumentParser(prog="scenarios.py", description="The decision box's scenarios (reports/wbreport/scenarios.py).")
    p.add_argument("--filter", action="store_true", required=True, help="print the --benchmark_filter regex of the scenarios' points")
    p.add_argument("--cpus", type=int, default=len(os.sched_getaffinity(0)), help="the machine's CPUs (default: this process's)")
    args = p.parse_args(argv)
    if args.cpus < 1:
        p.error(f"--cpus {args.cpus}: give 1 or more")
    re.compile(sweep_filter(args.cpus))
    print(sweep_filter(args.cpus))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
