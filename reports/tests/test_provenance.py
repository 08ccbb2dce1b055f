"""Provenance rows and warnings on the fixture run (a 2-core VM, noisy, with an mpsc2 workload)."""

import copy
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import provenance, results  # noqa: E402


class Provenance(unittest.TestCase):
    def setUp(self):
        self.r = results.load(HERE / "fixtures" / "good")

    def test_rows_name_every_fact_or_why_it_is_missing(self):
        rows = dict(provenance.rows(self.r))
        self.assertIn("12.2.0", rows["compiler"])
        self.assertIn("2 usable cores", rows["CPU"])
        self.assertTrue(rows["governor"].startswith("n/a: "), rows["governor"])
        self.assertIn("jemalloc", rows["allocators"])
        self.assertIn("3 repetitions", rows["preset"])
        self.assertNotIn("DIRTY", rows["git revision"])
        self.assertEqual(rows["CPUs the benchmarks used"], "2, from this process's affinity mask; scaling widths P = 2, 4 (mpscP, mpmcPxP)")
        self.assertTrue(rows["coroutine pool"].startswith("2 worker threads"), rows["coroutine pool"])

    def test_warns_about_cores_and_noise(self):
        text = " ".join(provenance.warnings(self.r))
        self.assertIn("mpsc2 (3 threads)", text)
        self.assertNotIn("spsc (", text)
        cores = next(w for w in provenance.warnings(self.r) if w.startswith("Too few cores"))
        for pooled_or_single_threaded in ("tasks16", "fanout64", "churn16"):  # on the pool of min(CPUs, 4), or one thread
            self.assertNotIn(pooled_or_single_threaded, cores)
        self.assertIn("Noisy run", text)

    def test_dirty_tree_is_flagged(self):
        self.r.env = copy.deepcopy(self.r.env)
        self.r.env["git"]["dirty"] = True
        self.r.env["git"]["changed_files"] = ["a.cpp"]
        self.assertIn("DIRTY: 1 changed files", dict(provenance.rows(self.r))["git revision"])
        self.assertTrue(any("dirty" in w for w in provenance.warnings(self.r)))


if __name__ == "__main__":
    unittest.main()
