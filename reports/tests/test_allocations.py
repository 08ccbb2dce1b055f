"""Section 5: whose allocations they are (the wait list's, or the queue's own), read from the
counters alone, and the burst table checked against the allocator's in-use growth."""

import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import allocations, results  # noqa: E402
from wbreport.results import Results, Run, Series  # noqa: E402


def point(workload, impl, cap="1024", batch="1"):
    return f"{workload}/{impl}/cap:{cap}/batch:{batch}/payload:u64/mode:sync/manual_time"


def run_with(points, waitlists=(), bursts=()):
    """points: {name: (allocs_per_msg, waits_per_msg, bytes_per_msg)}; waitlists: {name: (allocs_per_op, heap)};
    bursts: {impl: (after_burst, after_quiet, in_use, after_drop)}."""
    run = Run(allocator="system", path=Path("bench-system.json"), context={})
    for name, (allocs, waits, size) in points.items():
        run.points[name] = Series(name, results.POINT_NAME.match(name).groupdict(),
                                  [{"msgs_per_s": 1e6, "allocs_per_msg": allocs, "waits_per_msg": waits, "bytes_per_msg": size}] * 3)
    for name, (allocs, heap) in dict(waitlists).items():
        run.waitlists[name] = Series(name, results.WAITLIST_NAME.match(name).groupdict(),
                                     [{"ns_per_op": 10.0, "allocs_per_op": allocs, "list_heap_bytes": heap}] * 3)
    for impl, (burst, quiet, in_use, drop) in dict(bursts).items():
        name = f"burst/{impl}/waiters:1000/mode:async/iterations:1"
        run.bursts[name] = Series(name, results.BURST_NAME.match(name).groupdict(),
                                  [{"wait_list_bytes_after_burst": burst, "wait_list_bytes_after_quiet": quiet,
                                    "allocator_in_use_bytes": in_use, "allocator_in_use_bytes_after_drop": drop}] * 3)
    return Results(directory=Path("synthetic"), env={}, runs={"system": run}, files=[])


class Sources(unittest.TestCase):
    def origins(self, points, waitlists=()):
        return {s.impl: s.origin for s in allocations.sources(run_with(points, waitlists))}

    def test_one_allocation_per_wait_is_the_wait_list(self):
        self.assertEqual(self.origins({point("spsc", "vec"): (0.5, 0.5, 12), point("seq", "vec"): (0.0, 0.0, 0),
                                       point("mpsc2", "vec"): (0.02, 0.021, 0.5)}), {"vec": "wait list"})

    def test_allocations_where_nothing_waits_are_the_queue(self):
        # mutex_condvar's deque: a 512-byte chunk every 64 messages, whether or not anyone waits.
        self.assertEqual(self.origins({point("seq", "mutex_condvar"): (1 / 64, 0.0, 8), point("spsc", "mutex_condvar"): (1 / 64, 1 / 64, 8)}),
                         {"mutex_condvar": "queue"})

    def test_allocations_that_follow_messages_not_waits_are_the_queue(self):
        self.assertEqual(self.origins({point("spsc", "mutex_condvar"): (1 / 64, 0.002, 8),
                                       point("mpsc2", "mutex_condvar"): (1 / 64, 0.02, 8)}), {"mutex_condvar": "queue"})

    def test_a_wait_list_with_no_heap_in_the_microbenchmarks_allocates_nothing(self):
        # The lock-free rows wait in the event count: its microbenchmarks allocate nothing and keep nothing.
        micro = {"waitlist/eventcount/op:link_take_wake/waiters:16/real_time": (0.0, 0.0)}
        self.assertEqual(self.origins({point("spsc", "boost_lockfree", cap="unbounded"): (0.01, 0.002, 0.64)}, micro),
                         {"boost_lockfree": "queue"})
        micro = {"waitlist/eventcount/op:link_take_wake/waiters:16/real_time": (0.0, 64.0)}
        self.assertNotEqual(self.origins({point("spsc", "boost_lockfree", cap="unbounded"): (0.001, 0.002, 0.064)}, micro),
                            {"boost_lockfree": "queue"})

    def test_rare_allocations_are_growth(self):
        self.assertEqual(self.origins({point("spsc", "slab"): (1e-5, 0.01, 1e-3), point("mpsc2", "slab"): (0.0, 0.01, 0)}),
                         {"slab": "growth"})

    def test_no_allocation(self):
        self.assertEqual(self.origins({point("spsc", "intrusive"): (0.0, 0.3, 0)}), {"intrusive": "none"})


class Bursts(unittest.TestCase):
    def test_in_use_agrees_with_the_wait_lists_or_says_why_not(self):
        r = run_with({}, bursts={"vec": (0, 0, 16000, 0), "slab": (0, 49152, 65500, 0), "boost_lockfree": (0, 0, 117000, 64)})
        checks = {b.impl: b.check for b in allocations.bursts(r)}
        self.assertTrue(checks["vec"].startswith("agrees: 16,000 B in use = the wait lists' 0 B + the 16,000 B every row holds"))
        self.assertTrue(checks["slab"].startswith("agrees: 65,500 B in use = the wait lists' 49,152 B"), checks["slab"])
        self.assertTrue(checks["boost_lockfree"].startswith("101,000 B more in use than its wait lists"), checks["boost_lockfree"])
        self.assertIn("64 B still in use after the drop", checks["boost_lockfree"])


if __name__ == "__main__":
    unittest.main()
