"""Workload names whose width follows the machine (mpsc2 ... mpsc128 on 64 CPUs): the order the
page lists them in, the scaling charts' thread counts, and the threads the provenance warns about,
all read from the names in results written before wb_bench described its workloads (those it
describes: test_registry.py)."""

import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import ordering, provenance, results, scaling, verdict, workloads  # noqa: E402
from wbreport.results import Results, Run, Series  # noqa: E402


def run_of(names, context=None, cores=2, waitlists=()):
    """A one-allocator Results whose channel points ran at 1, 2, 3 msgs/s, with this machine's core count,
    and wait-list microbenchmarks of these strategies."""
    run = Run(allocator="system", path=Path("bench-system.json"), context=context or {})
    for name in names:
        run.points[name] = Series(name=name, key=results.POINT_NAME.match(name).groupdict(),
                                  repetitions=[{"msgs_per_s": v, "allocs_per_msg": 0.0} for v in (1.0, 2.0, 3.0)])
    for strategy in waitlists:
        name = f"waitlist/{strategy}/op:link_take_wake/waiters:16/real_time"
        run.waitlists[name] = Series(name=name, key=results.WAITLIST_NAME.match(name).groupdict())
    env = {"cpu": {"usable_cpus": cores}, "preset": {"repetitions": 3}}
    return Results(directory=Path("synthetic"), env=env, runs={"system": run}, files=[])


def point(workload, impl="intrusive", cap="1024", batch="1", mode="sync"):
    return f"{workload}/{impl}/cap:{cap}/batch:{batch}/payload:u64/mode:{mode}/manual_time"


class Names(unittest.TestCase):
    def test_families_and_widths(self):
        self.assertEqual(workloads.parse("mpmc64x64"), workloads.Workload("mpmc64x64", "mpmc", 64, threads=128))
        self.assertEqual(workloads.parse("tasks256").width, 256)
        self.assertEqual(workloads.parse("spsc").width, None)
        self.assertIsNone(workloads.parse("mpmc2x4").family)  # not a width of the family: producers = consumers
        self.assertIsNone(workloads.parse("mystery7").family)
        self.assertTrue(workloads.waiting_dominates("churn1024"))
        self.assertFalse(workloads.waiting_dominates("mpsc4"))

    def test_workload_order(self):
        names = ["mystery", "churn16", "tasks256", "mpmc128x128", "mpsc16", "fanout64", "tasks16", "mpsc128", "ping_pong",
                 "mpmc2x2", "mpsc8", "seq", "spsc", "alpha", "fanout1024", "churn1024"]
        self.assertEqual(sorted(names, key=ordering.workload_key),
                         ["seq", "spsc", "ping_pong", "mpsc8", "mpsc16", "mpsc128", "mpmc2x2", "mpmc128x128", "tasks16", "tasks256",
                          "fanout64", "fanout1024", "churn16", "churn1024", "alpha", "mystery"])
        # Names of families the report does not know: by their letters, then their number.
        self.assertEqual(sorted(["bursty16", "bursty8", "mpmc2x4", "alpha"], key=ordering.workload_key),
                         ["alpha", "bursty8", "bursty16", "mpmc2x4"])

    def test_implementation_order_without_a_registry(self):
        # The rows in the order wb_bench registered them (the points'), those with wait lists of their
        # own (mutex rows) first, then the wait-list strategies that are no row, the other rows, the
        # baselines; then names the results do not place, alphabetically.
        r = run_of([point("spsc", impl) for impl in ("vec", "moodycamel", "intrusive", "mutex_condvar")],
                   waitlists=("vec", "intrusive", "eventcount"))
        names = ["small_vec", "moodycamel", "eventcount", "intrusive", "vec", "mutex_condvar", "aardvark"]
        self.assertEqual(sorted(names, key=r.impl_order.key),
                         ["vec", "intrusive", "eventcount", "moodycamel", "mutex_condvar", "aardvark", "small_vec"])

    def test_comparison_capacity_ignores_the_waiting_families(self):
        r = run_of([point("spsc", cap="1"), point("tasks16", cap="16", mode="async"), point("churn16", cap="unbounded")])
        self.assertEqual(ordering.largest_bounded_cap(r.runs["system"]), "1")


class Scaling(unittest.TestCase):
    def test_widths_come_from_the_names(self):
        r = run_of([point(w) for w in ("spsc", "mpsc2", "mpsc8", "mpmc8x8", "tasks16")] + [point("mpsc8", impl="vec")])
        panels = {p.title: p for p in scaling.panels(r, "sync")}
        self.assertEqual(list(panels), ["producers, one consumer, batch 1", "producers = consumers, batch 1"])  # no batch 256 in r
        one = panels["producers, one consumer, batch 1"]
        self.assertEqual(one.categories, [1, 2, 8])
        self.assertEqual([p.category for p in one.series["intrusive"]], [1, 2, 8])
        self.assertEqual([p.category for p in one.series["vec"]], [8])
        self.assertEqual(one.shaded, {2, 8})  # 3 and 9 threads on this machine's 2 cores; spsc's 2 fit
        self.assertEqual([p.category for p in panels["producers = consumers, batch 1"].series["intrusive"]], [1, 8])
        self.assertEqual(scaling.panels(r, "async"), [])


class Threads(unittest.TestCase):
    def test_thread_counts_from_the_names(self):
        self.assertEqual(workloads.threads("mpsc128"), 129)
        self.assertEqual(workloads.threads("mpmc64x64"), 128)
        self.assertEqual(workloads.threads("seq"), 1)
        self.assertEqual(workloads.threads("ping_pong"), 2)
        self.assertEqual(workloads.threads("tasks256", run_of([], {"wakerbench_pool_threads": "4"}).runs["system"]), 4)
        self.assertEqual(workloads.threads("fanout1024", run_of([], {"wakerbench_pool_threads": "2"}).runs["system"]), 2)
        self.assertIsNone(workloads.threads("tasks256"))  # no run, so no pool to count
        self.assertEqual(workloads.threads("churn1024"), 1)
        self.assertIsNone(workloads.threads("mystery"))

    def test_warns_about_wide_workloads_only(self):
        names = [point("mpsc128"), point("mpmc64x64"), point("spsc"), point("tasks256", cap="1", mode="async"),
                 point("fanout1024", cap="unbounded", mode="async"), point("churn1024", cap="unbounded")]
        text = " ".join(provenance.warnings(run_of(names, context={"wakerbench_pool_threads": "2"})))
        self.assertIn("mpsc128 (129 threads), mpmc64x64 (128 threads) ran with threads sharing cores", text)
        for quiet in ("spsc", "tasks256", "fanout1024", "churn1024"):
            self.assertNotIn(quiet + " (", text)

    def test_cpu_count_and_pool_rows(self):
        context = {"wakerbench_cpus": "64", "wakerbench_cpus_from": "WAKERBENCH_CPUS", "wakerbench_scaling_widths": "2,4,8,16,32,64,128",
                   "wakerbench_pool_threads": "4"}
        r = run_of([point("spsc")], context=context)
        rows = dict(provenance.rows(r))
        self.assertEqual(rows["CPUs the benchmarks used"],
                         "64, from the WAKERBENCH_CPUS override; scaling widths P = 2, 4, 8, 16, 32, 64, 128 (mpscP, mpmcPxP)")
        self.assertIn("4 worker threads", rows["coroutine pool"])
        self.assertTrue(any("counted 64 CPUs (WAKERBENCH_CPUS) on a machine with 2 usable" in w for w in provenance.warnings(r)))
        old = dict(provenance.rows(run_of([point("spsc")])))
        self.assertTrue(old["CPUs the benchmarks used"].startswith("not recorded"), old["CPUs the benchmarks used"])


class Verdict(unittest.TestCase):
    def test_the_waiting_families_are_not_judged(self):
        r = run_of([point("spsc"), point("spsc", impl="vec"), point("churn16", cap="unbounded"), point("tasks16", cap="1024")])
        r.runs["system"].points[point("churn16", cap="unbounded")].repetitions[0]["allocs_per_msg"] = 16.0
        sentences = " ".join(verdict.allocation_sentences(r))
        self.assertNotIn("churn16", sentences)  # churn's allocations (the executor's) are not a row's steady state
        self.assertIn("intrusive: no allocation at all", " ".join(verdict.allocation_sentences(r)))


if __name__ == "__main__":
    unittest.main()
