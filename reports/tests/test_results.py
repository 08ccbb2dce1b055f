"""The results reader on the fixture directories: what it finds, and how it refuses bad input."""

import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import results, stats  # noqa: E402
from wbreport.errors import ReportError  # noqa: E402

FIXTURES = HERE / "fixtures"


def write_one_run(directory, benchmarks):
    """A results directory of one run (system) whose benchmark file lists these entries (JSON text each)."""
    (Path(directory) / "env.json").write_text('{"schema": 1, "runs": {"system": {"json": "b.json"}}}')
    (Path(directory) / "b.json").write_text('{"context": {}, "benchmarks": [%s]}' % ",".join(benchmarks))


class GoodDirectory(unittest.TestCase):
    def setUp(self):
        self.r = results.load(FIXTURES / "good")

    def test_both_allocators_in_env_order(self):
        self.assertEqual(list(self.r.runs), ["system", "jemalloc"])

    def test_points_carry_their_repetitions(self):
        s = self.r.runs["system"].points["spsc/intrusive/cap:1024/batch:1/payload:u64/mode:sync/manual_time"]
        self.assertEqual(s.key["workload"], "spsc")
        self.assertEqual(s.key["impl"], "intrusive")
        self.assertEqual(len(s.values("msgs_per_s")), 3)
        self.assertIsNone(s.na_reason)

    def test_na_cells_keep_their_reason(self):
        s = self.r.runs["system"].points["spsc/mutex_condvar/cap:1024/batch:1/payload:u64/mode:async/manual_time"]
        self.assertEqual(s.repetitions, [])
        self.assertTrue(s.na_reason.startswith("n/a: "), s.na_reason)
        bounded = self.r.runs["system"].points["spsc/moodycamel_blocking/cap:1024/batch:1/payload:u64/mode:sync/manual_time"]
        self.assertIn("bound", bounded.na_reason)

    def test_bursts_and_tracer(self):
        run = self.r.runs["jemalloc"]
        self.assertEqual(sorted(s.key["impl"] for s in run.bursts.values()), ["intrusive", "vec"])
        self.assertEqual(sorted(s.key["variant"] for s in run.tracer.values()), ["traced", "untraced"])

    def test_waitlist_microbenchmarks_have_their_own_table(self):
        run = self.r.runs["system"]
        self.assertEqual(len(run.waitlists), 3 * 5 * 2)  # vec, intrusive, eventcount x 5 operations x 16, 4096 waiters
        s = run.waitlists["waitlist/eventcount/op:wake_all/waiters:4096/real_time"]
        self.assertEqual(s.key, {"strategy": "eventcount", "op": "wake_all", "waiters": "4096"})
        self.assertEqual(len(s.values("ns_per_op")), 3)
        self.assertEqual(len(s.values("ns_per_waiter")), 3)
        self.assertFalse(any(n.startswith("waitlist/") for n in run.points))

    def test_waitlist_names_with_and_without_real_time(self):
        for name in ("waitlist/vec/op:link_take_wake/waiters:1/real_time", "waitlist/small_vec/op:link_cancel_middle/waiters:4096"):
            key = results.WAITLIST_NAME.match(name).groupdict()
            self.assertIn(key["strategy"], ("vec", "small_vec"))
        self.assertEqual(results.WAITLIST_NAME.match("waitlist/small_vec/op:link_cancel_middle/waiters:4096")["waiters"], "4096")

    def test_new_workloads_are_points(self):
        run = self.r.runs["jemalloc"]
        for name in ("tasks16/intrusive/cap:1/batch:1/payload:u64/mode:async/manual_time",
                     "fanout64/vec/cap:unbounded/batch:1/payload:u64/mode:async/manual_time",
                     "churn16/intrusive/cap:unbounded/batch:1/payload:u64/mode:sync/manual_time"):
            self.assertEqual(len(run.points[name].values("ns_per_msg")), 3, name)
        churn = run.points["churn16/intrusive/cap:unbounded/batch:1/payload:u64/mode:sync/manual_time"]
        self.assertEqual(len(churn.values("ns_per_cancel")), 3)
        baseline = run.points["fanout64/mutex_condvar/cap:unbounded/batch:1/payload:u64/mode:async/manual_time"]
        self.assertTrue(baseline.na_reason.startswith("n/a: "), baseline.na_reason)

    def test_files_to_link(self):
        self.assertEqual(self.r.files[0], "env.json")
        self.assertIn("bench-system.json", self.r.files)
        self.assertIn("bench-jemalloc.log", self.r.files)


class BadInput(unittest.TestCase):
    def assertRefused(self, directory, path_end, *words):
        with self.assertRaises(ReportError) as caught:
            results.load(directory)
        self.assertTrue(caught.exception.path.endswith(path_end), caught.exception.path)
        for w in words:
            self.assertIn(w, str(caught.exception))

    def test_missing_directory(self):
        self.assertRefused(FIXTURES / "no-such-run", "no-such-run", "no such directory")

    def test_truncated_benchmark_file(self):
        self.assertRefused(FIXTURES / "corrupt", "bench-jemalloc.json", "is truncated", "line")

    def test_incompatible_schema(self):
        self.assertRefused(FIXTURES / "incompatible", "env.json", "schema 99", "incompatible version")

    def test_missing_benchmark_file(self):
        self.assertRefused(FIXTURES / "missing-run", "bench-system.json", "no such file")

    def test_not_json(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "env.json").write_text('{"schema": 1, "runs": {"system": {"json": "b.json"}}}')
            (Path(d) / "b.json").write_text("<html>not json</html>\n}")
            self.assertRefused(d, "b.json", "is not valid JSON")

    def test_unplaceable_benchmark_name(self):
        import tempfile
        # Nearly wait-list names: a waiter count that is not a number, an unknown suffix. Nearly plain-loop references: a
        # control copy of one (the A/A control copies points only), a missing field, a mode that is not one.
        for name in ("mystery/1", "waitlist/vec/op:wake_all/waiters:many/real_time", "waitlist/vec/op:wake_all/waiters:16/cpu_time",
                     "reference/spsc/intrusive/cap:1024/batch:1/payload:u64/mode:sync/aa:1/manual_time",
                     "reference/spsc/intrusive/cap:1024/payload:u64/mode:sync",
                     "reference/spsc/intrusive/cap:1/batch:1/payload:u64/mode:fast"):
            with tempfile.TemporaryDirectory() as d:
                write_one_run(d, ['{"run_name": "%s", "run_type": "iteration"}' % name])
                self.assertRefused(d, "b.json", f"'{name}'", "incompatible version of wb_bench")


class References(unittest.TestCase):
    """reference/<point>: the plain-loop measurement of a point, kept in a table of its own."""

    POINT = "spsc/intrusive/cap:1024/batch:1/payload:u64/mode:sync/manual_time"

    def load(self, *names):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            write_one_run(d, ['{"run_name": "%s", "run_type": "iteration", "msgs_per_s": 1e6}' % n for n in names])
            return results.load(d).runs["system"]

    def test_a_reference_is_not_a_point(self):
        reference = "reference/" + self.POINT
        run = self.load(self.POINT, reference + "/min_time:0.5")  # the name is read without its own min time, as a point's
        self.assertEqual(list(run.points), [self.POINT])
        self.assertEqual(list(run.references), [reference])
        self.assertEqual(run.references[reference].key, {"workload": "spsc", "impl": "intrusive", "cap": "1024", "batch": "1",
                                                         "payload": "u64", "mode": "sync"})
        self.assertEqual(run.references[reference].values("msgs_per_s"), [1e6])
        self.assertFalse(run.controls)

    def test_any_point_name_may_have_a_reference(self):
        # wb_bench registers none for ping_pong or async today; the grammar does not care, so a new one needs no change here.
        name = "reference/ping_pong/vec/cap:1/batch:1/payload:u64/mode:async"
        self.assertEqual(list(self.load(name).references), [name])


class Summaries(unittest.TestCase):
    def test_summary(self):
        s = stats.summarize([1.0, 2.0, 3.0])
        self.assertEqual((s.n, s.median, s.low, s.high), (3, 2.0, 1.0, 3.0))
        self.assertAlmostEqual(s.cv, 0.5)
        self.assertTrue(s.noisy)
        self.assertFalse(stats.summarize([10.0, 10.1, 9.9]).noisy)
        self.assertIsNone(stats.summarize([]))


if __name__ == "__main__":
    unittest.main()
