"""Section 2's sentences on the fixture run: every row's steady-state allocations (the judgement
itself is the decision box's: test_decision.py)."""

import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import results, verdict  # noqa: E402


class Verdict(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.r = results.load(HERE / "fixtures" / "good")

    def test_allocation_sentences(self):
        text = " ".join(verdict.allocation_sentences(self.r))
        self.assertIn("intrusive: no allocation at all in the steady state", text)
        self.assertIn("vec: allocates in the steady state, up to", text)


if __name__ == "__main__":
    unittest.main()
