"""The registry is the only list (issue 18): the implementations' order and looks, and the
workloads' shapes, come from what wb_bench writes into its context (wakerbench_impls,
wakerbench_waitlists, wakerbench_workloads; bench/context.hpp), so a row or a workload added there
takes its place on the page with no change to the report. Results written before wb_bench wrote
them still render (the fixture's page: test_page.py), ordered from the benchmarks themselves."""

import json
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import allocations, charts, provenance, render, results, throughput, verdict, waiting, workloads  # noqa: E402
from wbreport.errors import ReportError  # noqa: E402
from wbreport.results import PeerSource, Results, Run, Series  # noqa: E402

RUST_PEERS = ["crossbeam", "flume", "async_channel", "tokio"]


def impl(name, list_="row", core="mutex"):
    """A wakerbench_impls entry (the fields the report reads, and a few it does not)."""
    return {"name": name, "list": list_, "core": core, "wake": "one", "storage": "?", "payload": "nothrow_movable", "bounded": True}


def registry(mutex_rows=("vec", "vec_reuse", "slab", "intrusive"), lock_free_rows=("moodycamel", "boost_lockfree"), more_rows=()):
    """Today's registry, with other rows: mutex rows in the first list, lock-free ones after them, and
    more_rows ((name, core)) appended at the end of Rows, where a user adds theirs."""
    return ([impl(n) for n in mutex_rows] + [impl(n, core="lockfree") for n in lock_free_rows] +
            [impl(n, core=core) for n, core in more_rows] +
            [impl("mutex_condvar", "baseline", "own"), impl("moodycamel_blocking", "baseline", "own"), impl("tbb", "peer", "own")])


def context(impls, workload_entries=(), pool_threads="2"):
    mutex = [e["name"] for e in impls if e["list"] == "row" and e["core"] == "mutex"]
    return {"wakerbench_impls": json.dumps(impls), "wakerbench_waitlists": json.dumps(mutex + ["eventcount"]),
            "wakerbench_workloads": json.dumps(list(workload_entries)), "wakerbench_pool_threads": pool_threads,
            "wakerbench_baselines": ",".join(e["name"] for e in impls if e["list"] == "baseline"),
            "wakerbench_peers": ",".join(e["name"] for e in impls if e["list"] == "peer")}


def point(workload, name, cap="1024", mode="sync"):
    return f"{workload}/{name}/cap:{cap}/batch:1/payload:u64/mode:{mode}/manual_time"


def results_of(ctx, points=(), cores=2):
    """A one-allocator Results with this context, its points at 1, 2, 3 msgs/s, and a Rust peer run."""
    run = Run(allocator="system", path=Path("bench-system.json"), context=ctx)
    for name in points:
        run.points[name] = Series(name, results.POINT_NAME.match(name).groupdict(),
                                  [{"msgs_per_s": v, "allocs_per_msg": 0.0} for v in (1.0, 2.0, 3.0)])
    sources = [PeerSource("wb_bench (system)", results.peer_names(ctx), ctx), PeerSource("rust", RUST_PEERS)]
    return Results(directory=Path("synthetic"), env={"cpu": {"usable_cpus": cores}, "preset": {"repetitions": 3}},
                   runs={"system": run}, files=[], peer_sources=sources)


def workload(name, family, width, producers, consumers, threads, waiting_dominates=False, on_pool=False):
    return {"name": name, "family": family, "width": width, "producers": producers, "consumers": consumers, "threads": threads,
            "waiting_dominates": waiting_dominates, "on_pool": on_pool}


# A registry with a new mutex row after intrusive, a user's mutex row and a user's row of its own
# core appended at the end of Rows (after the lock-free rows).
GROWN = registry(mutex_rows=("vec", "vec_reuse", "slab", "intrusive", "small_vec"), more_rows=(("my_row", "mutex"), ("my_channel", "own")))
GROWN_ORDER = ["vec", "vec_reuse", "slab", "intrusive", "small_vec", "my_row", "eventcount", "moodycamel", "boost_lockfree", "my_channel",
               "mutex_condvar", "moodycamel_blocking", "tbb"] + RUST_PEERS


class Order(unittest.TestCase):
    def test_new_rows_take_their_places_from_the_registry(self):
        r = results_of(context(GROWN))
        self.assertEqual(r.impl_order.names, GROWN_ORDER)
        # A name in no registry goes last, alphabetically.
        self.assertEqual(sorted(["zebra", "small_vec", "tokio", "aardvark", "eventcount", "my_row"], key=r.impl_order.key),
                         ["small_vec", "my_row", "eventcount", "tokio", "aardvark", "zebra"])

    def test_a_results_directory_with_a_registry(self):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "good"
            shutil.copytree(HERE / "fixtures" / "good", copy)
            data = json.loads((copy / "bench-system.json").read_text())
            data["context"].update(context(GROWN))
            (copy / "bench-system.json").write_text(json.dumps(data))
            r = results.load(copy)
            self.assertEqual(r.impl_order.names, GROWN_ORDER[:-len(RUST_PEERS)])  # this directory has no Rust peer run
            page = render.page(r)
            self.assertTrue("(channels people already use: tbb)" in page, "the decision box names the registry's peer")

    def test_every_section_lists_them_so(self):
        names = ["my_channel", "boost_lockfree", "my_row", "small_vec", "moodycamel", "vec", "intrusive"]
        r = results_of(context(GROWN), [point("spsc", n) for n in names])
        (family,) = throughput.families(r)
        self.assertEqual([n for n, _ in family.tables[0].rows], ["vec", "intrusive", "small_vec", "my_row", "moodycamel", "boost_lockfree",
                                                                 "my_channel"])
        self.assertEqual([s.split(":")[0] for s in verdict.allocation_sentences(r)], [n for n, _ in family.tables[0].rows])

    def test_the_page_names_the_baselines_it_was_given(self):
        r = results_of(context(registry()[:-3] + [impl("my_baseline", "baseline", "own")]),
                       [point("spsc", n) for n in ("vec", "intrusive", "my_baseline")])
        html = render.page(r)
        self.assertIn("Baselines (my_baseline) and peers", html)
        self.assertIn("peers\n(channels people already use: crossbeam, flume, async_channel, tokio)", html)

    def test_a_lock_free_row_waits_in_the_event_count(self):
        order = results_of(context(GROWN)).impl_order
        self.assertEqual([allocations.waits_in(order, n) for n in ("small_vec", "moodycamel", "my_channel", "mutex_condvar", "tokio")],
                         ["small_vec", "eventcount", None, None, None])


class Styles(unittest.TestCase):
    def looks(self, impls):
        order = results_of(context(impls)).impl_order
        return {name: charts.style(name, order) for name in order.names}

    def test_every_implementation_looks_different(self):
        looks = self.looks(GROWN)
        self.assertEqual(list(looks), GROWN_ORDER)
        pairs = {(colour, marker) for colour, _, marker in looks.values()}
        self.assertEqual(len(pairs), len(looks), looks)
        self.assertEqual(len({colour for colour, _, _ in looks.values()}), len(looks))  # no palette shares a colour
        self.assertEqual([looks[n][1] for n in ("small_vec", "my_row", "my_channel", "mutex_condvar", "tokio")],
                         ["-", "-", "--", ":", "-."])

    def test_a_row_added_to_one_group_changes_no_other_group(self):
        before = self.looks(registry())
        grown = self.looks(GROWN)
        lock_free = self.looks(registry(lock_free_rows=("moodycamel", "boost_lockfree", "my_queue")))
        self.assertEqual({n: grown[n] for n in before}, before)  # mutex rows added after intrusive and at the end: nobody else moves
        self.assertEqual({n: lock_free[n] for n in before}, before)
        self.assertNotIn(lock_free["my_queue"], before.values())

    def test_the_same_on_every_page_of_one_registry(self):
        # What a page shows (a filtered run) does not change a row's look: the registry does.
        few = results_of(context(GROWN), [point("spsc", "small_vec")]).impl_order
        self.assertEqual(charts.style("small_vec", few), self.looks(GROWN)["small_vec"])


# wb_bench's workloads on a 2-CPU machine, and a family the report has never heard of.
WORKLOADS = [workload("seq", "seq", 0, 1, 0, 1), workload("spsc", "spsc", 0, 1, 1, 2), workload("mpsc4", "mpsc", 4, 4, 1, 5),
             workload("tasks16", "tasks", 16, 16, 16, 2, waiting_dominates=True, on_pool=True),
             workload("bursty8", "bursty", 8, 8, 8, 3, waiting_dominates=True), workload("bursty16", "bursty", 16, 16, 16, 1, True)]


class Workloads(unittest.TestCase):
    def setUp(self):
        self.r = results_of(context(registry(), WORKLOADS), [point(w["name"], "vec", cap="16", mode="async") for w in WORKLOADS])
        self.run = self.r.runs["system"]

    def test_threads_as_the_context_says(self):
        self.assertEqual(workloads.threads("mpsc4", self.run), 5)
        self.assertEqual(workloads.threads("tasks16", self.run), 2)
        self.assertEqual(workloads.threads("bursty8", self.run), 3)
        self.assertIsNone(workloads.threads("bursty8"))  # from its name alone the report cannot tell
        w = workloads.parse("bursty8", self.run)
        self.assertEqual((w.family, w.width, w.waiting_dominates, w.on_pool), ("bursty", 8, True, False))
        self.assertEqual(workloads.parse("spsc", self.run).width, None)  # wb_bench's width 0: none

    def test_the_page_reads_them(self):
        text = " ".join(provenance.warnings(self.r))
        self.assertIn("mpsc4 (5 threads), bursty8 (3 threads) ran with threads sharing cores", text)
        self.assertNotIn("bursty16 (", text)
        families = waiting.sections(self.r)[0].families
        self.assertEqual([(f, [t.workload for t in tables]) for f, tables in families],
                         [("tasks", ["tasks16"]), ("bursty", ["bursty8", "bursty16"])])
        self.assertEqual([f.name for f in throughput.families(self.r)], ["seq", "spsc", "mpsc"])

    def test_a_broken_description_names_the_file(self):
        for broken in ({"wakerbench_workloads": "[{"}, {"wakerbench_workloads": json.dumps([{"name": "spsc"}])},
                       {"wakerbench_impls": json.dumps({"name": "vec"})}, {"wakerbench_waitlists": json.dumps([1])}):
            with self.assertRaises(ReportError) as e:
                Run(allocator="system", path=Path("bench-system.json"), context=broken)
            self.assertIn("bench-system.json", str(e.exception))
            self.assertIn(next(iter(broken)), str(e.exception))


class BeforeTheRegistry(unittest.TestCase):
    def test_the_fixture(self):
        order = results.load(HERE / "fixtures" / "good").impl_order
        self.assertEqual(order.names, ["vec", "intrusive", "eventcount", "mutex_condvar", "moodycamel_blocking"])
        self.assertEqual(order.cores, {"vec": "mutex", "intrusive": "mutex"})

    def test_rows_in_the_order_they_were_registered_not_run(self):
        # Random interleaving writes the entries in any order; family_index is the registration order.
        run = Run(allocator="system", path=Path("b.json"), context={})
        for index, name in ((7, "boost_lockfree"), (3, "vec"), (5, "slab"), (9, "mutex_condvar")):
            run.points[point("spsc", name)] = Series(point("spsc", name), results.POINT_NAME.match(point("spsc", name)).groupdict(),
                                                    family_index=index)
        r = Results(directory=Path("old"), env={}, runs={"system": run}, files=[])
        self.assertEqual(r.impl_order.names, ["vec", "slab", "boost_lockfree", "mutex_condvar", "moodycamel_blocking"])


if __name__ == "__main__":
    unittest.main()
