"""Peers (issue 17): how the report reads them (wb_bench's context names its own, and its baselines; a peer run's JSON
joins the run of its allocator; a skipped peer run says why), that the decision box never picks
one, the "against the channels you know" table, and the page's marks. The committed fixture has no
peers, so they are made here from its spsc and mpsc2 sync entries: a Rust-like peer run of
"crossbeam" (the intrusive row's entries at twice the speed) and "tokio" (n/a everywhere)."""

import json
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import decision, peers, render, results  # noqa: E402
from wbreport.errors import ReportError  # noqa: E402
from wbreport.stats import median  # noqa: E402

GOOD = HERE / "fixtures" / "good"
CRATES = "crossbeam-channel 0.5.6, tokio 1.24.2"
PEER_JSON = "bench-peers-rust.json"


def peer_entries(system, speedup):
    """crossbeam and tokio entries made from the system run's sync intrusive points of the thread workloads."""
    out = []
    for b in system["benchmarks"]:
        name = b["run_name"]
        if "/intrusive/" not in name or "/mode:sync/" not in name or "/aa:" in name or name.startswith(("tasks", "fanout", "churn")):
            continue
        fast = dict(b, name=b["name"].replace("/intrusive/", "/crossbeam/"), run_name=name.replace("/intrusive/", "/crossbeam/"))
        if "msgs_per_s" in fast:
            fast["msgs_per_s"] *= speedup
        out.append(fast)
        if b.get("repetition_index", 0) == 0:
            tokio = name.replace("/intrusive/", "/tokio/")
            out.append({"name": tokio, "run_name": tokio, "run_type": "iteration", "error_occurred": True,
                        "error_message": "n/a: tokio::sync::mpsc has one receiver"})
    return out


def fixture_with_peers(directory, *, skipped=None, allocator="system", clash=False, wb_bench_peers=""):
    """A copy of the good fixture with a peer run (or, with skipped, the reason it was skipped)."""
    copy = Path(directory) / GOOD.name
    shutil.copytree(GOOD, copy)
    env = json.loads((copy / "env.json").read_text())
    system = json.loads((copy / "bench-system.json").read_text())
    if wb_bench_peers:
        system["context"]["wakerbench_peers"] = wb_bench_peers
        (copy / "bench-system.json").write_text(json.dumps(system))
    if skipped:
        env["peers_skipped"] = {"rust": skipped}
    else:
        entries = peer_entries(system, 2.0)
        if clash:
            entries.append(dict(system["benchmarks"][0]))
        context = dict(system["context"], wakerbench_peers="crossbeam,tokio", wakerbench_peer_crates=CRATES,
                       wakerbench_peer_toolchain="rustc 1.95.0")
        (copy / PEER_JSON).write_text(json.dumps({"context": context, "benchmarks": entries}))
        env["peer_runs"] = {"rust": {"json": PEER_JSON, "log": "bench-peers-rust.log", "allocator": allocator}}
    (copy / "env.json").write_text(json.dumps(env))
    return copy


class Loading(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def test_a_peer_run_joins_its_allocators_run(self):
        r = results.load(fixture_with_peers(self.tmp.name))
        self.assertEqual(r.peers, {"crossbeam", "tokio"})
        names = [n for n in r.runs["system"].points if "/crossbeam/" in n]
        self.assertTrue(names)
        self.assertNotIn("crossbeam", {s.key["impl"] for s in r.runs["jemalloc"].points.values()})
        self.assertIn(PEER_JSON, r.files)
        (source,) = [s for s in r.peer_sources if s.name == "rust"]
        self.assertEqual(source.context["wakerbench_peer_crates"], CRATES)
        self.assertIsNone(source.skipped)
        tokio = [s for s in r.runs["system"].points.values() if s.key["impl"] == "tokio"]
        self.assertTrue(tokio and all(s.why_missing.startswith("n/a: tokio") for s in tokio))

    def test_wb_bench_names_its_own_peers_in_its_context(self):
        r = results.load(fixture_with_peers(self.tmp.name, skipped="cargo not found", wb_bench_peers="vec"))
        self.assertEqual(r.peers, {"vec"})

    def test_the_baselines_are_the_ones_wb_bench_names(self):
        r = results.load(fixture_with_peers(self.tmp.name, skipped="cargo not found"))
        self.assertEqual(r.baselines, {"mutex_condvar", "moodycamel_blocking"}, "results from before the context named them")
        for run in r.runs.values():
            run.context["wakerbench_baselines"] = "vec"
        self.assertEqual(r.baselines, {"vec"})
        box = decision.box(r)
        for d in box.scenarios:
            self.assertNotIn("vec", {s.impl for s in d.standings}, d.scenario.title)

    def test_a_skipped_peer_run_is_a_reason_not_a_failure(self):
        r = results.load(fixture_with_peers(self.tmp.name, skipped="cargo not found on PATH"))
        self.assertEqual(r.peers, set())
        self.assertEqual([(s.name, s.skipped) for s in r.peer_sources], [("rust", "cargo not found on PATH")])

    def test_a_peer_measuring_a_rows_point_is_refused(self):
        with self.assertRaisesRegex(ReportError, "measures .* too"):
            results.load(fixture_with_peers(self.tmp.name, clash=True))

    def test_a_peer_run_of_an_unknown_allocator_is_refused(self):
        with self.assertRaisesRegex(ReportError, "allocator 'tcmalloc'"):
            results.load(fixture_with_peers(self.tmp.name, allocator="tcmalloc"))


class Against(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.results = results.load(fixture_with_peers(cls.tmp.name))
        cls.against = peers.analyse(cls.results)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_best_row_against_each_peer_at_batch_1_and_256(self):
        crossbeam = [ln for ln in self.against.lines if ln.peer == "crossbeam"]
        self.assertEqual({(ln.workload, ln.batch) for ln in crossbeam}, {("spsc", "1"), ("spsc", "256"), ("mpsc2", "1"), ("mpsc2", "256")})
        for ln in crossbeam:
            self.assertNotIn(ln.best, self.results.peers | {"mutex_condvar", "moodycamel_blocking"})
            self.assertAlmostEqual(ln.ratio.value, median(ln.best_values) / median(ln.peer_values))
            self.assertLess(ln.ratio.value, 1, "crossbeam runs the intrusive row's numbers at twice the speed")

    def test_a_peer_without_numbers_says_why(self):
        tokio = [ln for ln in self.against.lines if ln.peer == "tokio"]
        self.assertTrue(tokio)
        for ln in tokio:
            self.assertIsNone(ln.ratio)
            self.assertEqual(ln.verdict, "n/a: tokio::sync::mpsc has one receiver")

    def test_peers_are_never_picked(self):
        box = decision.box(self.results)
        for d in box.scenarios:
            self.assertFalse({s.impl for s in d.standings} & self.results.peers, d.scenario.title)
        shown = {impl for d in box.scenarios for impl, _ in d.references}
        self.assertIn("crossbeam", shown, "a peer that ran a scenario's points is shown beside the leader, for reference")


class Page(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def test_peers_are_marked_in_tables_and_charts_and_summarised_near_the_top(self):
        html = render.page(results.load(fixture_with_peers(self.tmp.name)))
        section = html[html.index('<section id="peers">'):html.index('<nav id="toc">')]
        self.assertIn("rust: crossbeam, tokio (" + CRATES, section)
        self.assertIn("crossbeam: the best row is faster at 0", section)
        self.assertIn('<tr class="peer"', html)
        self.assertIn("crossbeam (peer)", html)

    def test_a_skipped_peer_run_shows_its_reason(self):
        html = render.page(results.load(fixture_with_peers(self.tmp.name, skipped="cargo not found on PATH (install cargo)")))
        self.assertIn("rust peers: skipped: cargo not found on PATH (install cargo)", html)


if __name__ == "__main__":
    unittest.main()
