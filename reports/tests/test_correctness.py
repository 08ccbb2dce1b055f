"""Section 6 on the fixture run (one implementation's real wb_modelcheck --json and a wb_stress
--json summary), and its n/a text and bad-input errors when they are missing or broken."""

import json
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import correctness, render, results  # noqa: E402
from wbreport.errors import ReportError  # noqa: E402

GOOD = HERE / "fixtures" / "good"


class Correctness(unittest.TestCase):
    def setUp(self):
        self.r = results.load(GOOD)

    def test_matrix_and_seeded_bugs(self):
        scenarios, rows, seeded = correctness.modelcheck_matrix(self.r.modelcheck, self.r.impl_order)
        self.assertEqual([impl for impl, _ in rows], ["intrusive"])
        self.assertIn("spsc_fifo", scenarios)
        self.assertTrue(all(c is not None and c.ok and c.iterations > 0 for c in rows[0][1]))
        self.assertEqual(len(seeded), self.r.modelcheck["summary"]["seeded_bugs"])
        self.assertTrue(all(result == "found" for _, _, _, result, _, _ in seeded))
        # Histories are linked relative to the page, wherever the run directory was when written.
        links = [h for *_, h in seeded if h]
        self.assertTrue(links and all(h.startswith("../modelcheck-history/") for h in links), links)
        self.assertTrue((GOOD / links[0][3:]).is_file())

    def test_page_section(self):
        html = render.page(self.r)
        section = html[html.index('id="correctness"'):html.index('id="baseline"')]
        self.assertIn("seeded bugs found:\n3 of 3", section)
        self.assertIn("<td>slab</td>", section)  # the stress row
        self.assertNotIn("n/a: the model checks did not run", section)

    def test_missing_summaries_say_so(self):
        self.r.modelcheck = None
        self.r.stress = None
        html = render.page(self.r)
        self.assertIn("n/a: the model checks did not run with this sweep", html)
        self.assertIn("n/a: the stress suite did not run with this sweep", html)

    def test_a_foreign_summary_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            copy = Path(d) / "run"
            shutil.copytree(GOOD, copy)
            (copy / "stress.json").write_text(json.dumps({"tool": "something_else", "schema": 1}))
            with self.assertRaises(ReportError) as caught:
                results.load(copy)
            self.assertIn("stress.json: is not a wb_stress summary", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
