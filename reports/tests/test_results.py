"""The results reader on the fixture directories: what it finds, and how it refuses bad input."""

import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import results, stats  # noqa: E402
from wbreport.errors import ReportError  # noqa: E402

FIXTURES = HERE / "fixtures"


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
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "env.json").write_text('{"schema": 1, "runs": {"system": {"json": "b.json"}}}')
            (Path(d) / "b.json").write_text('{"context": {}, "benchmarks": [{"run_name": "mystery/1", "run_type": "iteration"}]}')
            self.assertRefused(d, "b.json", "'mystery/1'", "incompatible version of wb_bench")


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
