"""tests/synthetic_run.py, the run the page's budgets are tested on: every listed name with the
repetitions asked for, the fixture's counters per family, n/a where the fixture's rows are, and a
directory the report reads like a sweep's."""

import json
import statistics
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import render, results  # noqa: E402

GOOD = HERE / "fixtures" / "good"
# Points the synthetic run also gets a plain-loop reference of: two of the fixture's, one it has not, one n/a.
REFERENCED = ["spsc/intrusive/cap:1024/batch:1/payload:u64/mode:sync/manual_time",
              "spsc/vec/cap:1024/batch:256/payload:u64/mode:sync/manual_time",
              "seq/intrusive/cap:1024/batch:1/payload:u64/mode:sync/manual_time",
              "spsc/moodycamel_blocking/cap:1024/batch:1/payload:u64/mode:sync/manual_time"]


def fixture_names():
    data = json.loads((GOOD / "bench-system.json").read_text())
    return sorted({b["run_name"] for b in data["benchmarks"] if b["run_type"] == "iteration"})


class SyntheticRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = Path(cls.tmp.name)
        # The fixture's own names, and names of families and rows it does not have (new widths, another row,
        # an A/A control copy, plain-loop references), as a newer wb_bench would list them.
        cls.names = sorted(set(fixture_names()) | {"mpmc2x2/slab/cap:1/batch:256/payload:u64/mode:async/manual_time",
                                       "seq/intrusive/cap:1024/batch:1/payload:u64/mode:sync/manual_time",
                                       "tasks256/intrusive/cap:16/batch:16/payload:u64/mode:async/manual_time",
                                       "waitlist/slab/op:wake_all/waiters:256/real_time",
                                       "burst/mutex_condvar/waiters:1000/mode:async",
                                       "spsc/intrusive/cap:1024/batch:1/payload:u64/mode:sync/aa:1/manual_time"} |
                           {"reference/" + point for point in REFERENCED})
        (d / "names.txt").write_text("\n".join(cls.names) + "\n")
        cls.out = d / "run"
        r = subprocess.run([sys.executable, str(HERE / "synthetic_run.py"), str(d / "names.txt"), str(cls.out), "--repetitions", "4"],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        cls.run_output = r.stdout
        cls.results = results.load(cls.out)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def series(self, name, allocator="system"):
        run = self.results.runs[allocator]
        for table in (run.points, run.controls, run.references, run.waitlists, run.bursts, run.tracer):
            if name in table:
                return table[name]
        self.fail(f"{name} is not in the synthetic run")

    def test_every_name_in_every_run(self):
        self.assertEqual(list(self.results.runs), ["system", "jemalloc"])
        self.assertEqual(self.results.env["preset"]["repetitions"], 4)
        for name in self.names:
            for allocator in self.results.runs:
                s = self.series(name, allocator)
                self.assertTrue(s.na_reason or len(s.repetitions) == 4, (name, allocator))
        self.assertIn(f"{len(self.names)} benchmarks x 4 repetitions x 2 runs", self.run_output)

    def test_counters_per_family_as_in_the_fixture(self):
        fixture = results.load(GOOD).runs["system"]
        counters = lambda s: set(s.repetitions[0]) - {"repetition_index", "iterations", "real_time", "cpu_time"}  # noqa: E731
        spsc = next(s for s in fixture.points.values() if s.key["workload"] == "spsc" and s.repetitions)
        churn = next(s for s in fixture.points.values() if s.key["workload"] == "churn16" and s.repetitions)
        self.assertEqual(counters(self.series("seq/intrusive/cap:1024/batch:1/payload:u64/mode:sync/manual_time")), counters(spsc))
        self.assertEqual(counters(self.series(churn.name)), counters(churn))
        self.assertIn("ns_per_waiter", counters(self.series("waitlist/slab/op:wake_all/waiters:256/real_time")))
        s = self.series("tasks256/intrusive/cap:16/batch:16/payload:u64/mode:async/manual_time")
        for r in s.repetitions:  # consistent units: ns per message is the inverse of messages per second
            self.assertAlmostEqual(r["ns_per_msg"] * r["msgs_per_s"] / 1e9, 1.0)

    def test_plausible_values(self):
        s = self.series("spsc/intrusive/cap:1024/batch:1/payload:u64/mode:sync/manual_time")
        values = s.values("msgs_per_s")
        self.assertEqual(len(set(values)), 4)  # repetitions differ, by a few percent
        self.assertLess(max(values) / min(values), 1.5)
        self.assertEqual(s.values("allocs_per_msg")[0], 0.0)  # exact counts copied: intrusive never allocates

    def test_na_where_the_fixture_says(self):
        self.assertIn("no async API", self.series("burst/mutex_condvar/waiters:1000/mode:async").na_reason)
        na = self.series("spsc/mutex_condvar/cap:1024/batch:1/payload:u64/mode:async/manual_time").na_reason
        self.assertIn("no async API", na)
        # Where the fixture measured the row in the same mode and kind, the synthetic run measures it too.
        self.assertIsNone(self.series("spsc/mutex_condvar/cap:1024/batch:1/payload:u64/mode:sync/manual_time").na_reason)
        fixture = results.load(GOOD).runs["system"]
        for name, s in fixture.points.items():
            self.assertEqual(bool(self.series(name).na_reason), bool(s.na_reason), name)

    def test_references_are_their_points_a_few_percent_faster(self):
        for point in REFERENCED:
            harness, plain = self.series(point), self.series("reference/" + point)
            self.assertEqual(bool(plain.na_reason), bool(harness.na_reason), point)
            if plain.na_reason:
                self.assertEqual(plain.na_reason, harness.na_reason)
                continue
            self.assertEqual(set(plain.repetitions[0]), set(harness.repetitions[0]), point)
            ratio = statistics.median(harness.values("msgs_per_s")) / statistics.median(plain.values("msgs_per_s"))
            self.assertTrue(0.85 < ratio < 1.1, (point, ratio))
            for r in plain.repetitions:
                self.assertAlmostEqual(r["ns_per_msg"] * r["msgs_per_s"] / 1e9, 1.0)

    def test_the_single_threaded_points_are_counted_as_the_fixture_was(self):
        counted = self.results.counted
        self.assertIn("counted x 2 processes", self.run_output)
        timed = self.results.runs["system"]
        for table in ("points", "waitlists", "bursts", "tracer"):
            for name, s in getattr(timed, table).items():
                one_thread = table != "points" or s.key["workload"].startswith(("seq", "churn"))
                count = counted.series(table, s.key)
                self.assertEqual(count is not None, one_thread, name)
                if count is not None:
                    self.assertEqual(bool(count.na_reason), bool(s.na_reason), name)
        self.assertFalse(timed.references.keys() & {n for n in counted.run.references})  # references and copies are not counted
        self.assertFalse(counted.run.controls)
        seq = counted.figures("points", self.series("seq/intrusive/cap:1024/batch:1/payload:u64/mode:sync/manual_time").key)
        self.assertEqual((seq.unit, seq.exact), ("msg", True))
        self.assertGreater(seq.instr, 0)
        a = counted.agreement
        self.assertEqual(a.compared, a.counted)
        self.assertEqual(a.inexact, [])  # the processes may differ in a few mispredicted branches, never in instructions

    def test_the_page_renders_with_the_control_kept_apart(self):
        self.assertIn("spsc/intrusive/cap:1024/batch:1/payload:u64/mode:sync/aa:1/manual_time", self.results.runs["system"].controls)
        html = render.page(self.results)
        self.assertIn('id="throughput"', html)
        # The decision box and the provenance block report on the control itself; no table or chart shows a copy.
        self.assertNotIn("aa:1", html[html.index('id="verdict"'):])
        # The references are the harness-cost table's rows, and no other part's.
        self.assertEqual(html.count('<tr title="reference/'), len(REFERENCED))
        self.assertEqual(html.count("reference/spsc/"), html[:html.index('id="verdict"')].count("reference/spsc/"))


if __name__ == "__main__":
    unittest.main()
