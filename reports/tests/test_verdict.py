"""Section 2's sentences on the fixture run: a winner per workload and batch, measured against the
baseline, with the lead tested for significance; and every row's steady-state allocations."""

import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import results, verdict  # noqa: E402
from wbreport.stats import mann_whitney_p  # noqa: E402


class Verdict(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.r = results.load(HERE / "fixtures" / "good")
        cls.findings = verdict.findings(cls.r)

    def test_one_finding_per_workload_and_batch(self):
        self.assertEqual([(f.workload, f.batch) for f in self.findings], [("spsc", 1), ("spsc", 256), ("mpsc2", 1), ("mpsc2", 256)])

    def test_winner_is_a_row_with_the_highest_median(self):
        for f in self.findings:
            self.assertIn(f.winner, ("vec", "intrusive"))  # never a baseline
            self.assertIn(f.runner_up, ("vec", "intrusive"))
            self.assertNotEqual(f.winner, f.runner_up)
            self.assertGreaterEqual(f.lead, 0)
            self.assertIsNotNone(f.vs_baseline)
            self.assertIn("x the mutex_condvar baseline", f.sentence)
            self.assertTrue(0 <= f.p_value <= 1)

    def test_significance_needs_repetitions(self):
        self.assertIsNone(mann_whitney_p([1.0], [2.0, 3.0]))
        self.assertEqual(mann_whitney_p([5.0, 5.0], [5.0, 5.0]), 1.0)
        self.assertLess(mann_whitney_p([1, 2, 3, 4, 5, 6], [10, 11, 12, 13, 14, 15]), 0.05)

    def test_allocation_sentences(self):
        text = " ".join(verdict.allocation_sentences(self.r))
        self.assertIn("intrusive: no allocation at all in the steady state", text)
        self.assertIn("vec: allocates in the steady state, up to", text)


if __name__ == "__main__":
    unittest.main()
