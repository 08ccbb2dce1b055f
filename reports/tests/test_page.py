"""The page from the good fixture, and scripts/report's handling of bad input."""

import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

from wbreport import render, results  # noqa: E402
from wbreport.render_helpers import si  # noqa: E402

FIXTURES = HERE / "fixtures"


class Page(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.html = render.page(results.load(FIXTURES / "good"))

    def test_sections(self):
        for section in ('id="provenance"', 'id="throughput"', 'id="wait-path"', 'id="raw"'):
            self.assertIn(section, self.html)
        numbered = re.findall(r"<h2>([0-9]+)\. ", self.html)
        self.assertEqual(numbered, [str(n) for n in range(1, 9)])

    def test_allocations_side_by_side_and_bursts(self):
        self.assertIn('id="allocations"', self.html)
        self.assertIn("<th>batch 1, system</th><th>batch 1, jemalloc</th>", self.html)
        # intrusive never allocates in the steady state: its cells read 0.
        row = self.html[self.html.index("<tr><td>intrusive</td>", self.html.index('id="allocations"')):]
        self.assertTrue(row.startswith('<tr><td>intrusive</td><td data-value="0.0"'), row[:120])
        burst = self.html[self.html.index('id="burst"'):self.html.index('id="correctness"')]
        self.assertEqual(burst.count("<tr><td>vec</td>") + burst.count("<tr><td>intrusive</td>"), 4)

    def test_na_cells_show_their_reason(self):
        self.assertIn('<td class="na" data-value="-1">n/a: ', self.html)
        self.assertIn("cannot bound its queue", self.html)

    def test_every_point_is_a_table_cell(self):
        # spsc and mpsc2: 2 modes x 2 allocators tables, 4 implementations each, 2 batches each; the
        # workloads where waiting dominates (tasks16, fanout64, churn16 sync and async): 4 tables per
        # allocator, 4 implementations each, one batch each.
        self.assertEqual(self.html.count("<h3 id=\"t-"), 8 + 8)
        section = self.html[self.html.index('id="throughput"'):self.html.index('id="wait-path"')]
        self.assertEqual(section.count('<td class="na"') + section.count('title="median '), 8 * 4 * 2 + 8 * 4)

    def test_self_contained(self):
        # (SVG namespace URIs are names, not fetches: look for things a browser would load.)
        for remote in ('src="http', "href=\"http", "url(http", "<script src", "<link ", "@import"):
            self.assertNotIn(remote, self.html)

    def test_a_chart_per_table_with_hover_titles(self):
        tables = self.html[self.html.index('id="throughput"'):self.html.index('id="scaling"')].split('<h3 id="t-')[1:]
        charted = [t for t in tables if '<figure class="chart"><svg' in t]
        self.assertEqual(len(charted), 8)
        # Every timed cell of a charted table is a point with its exact value on hover.
        for t in charted:
            self.assertEqual(t.count(" msgs/s (min "), t.count('title="median '))
        # A table of one batch size (fanout, churn, tasks at one batch) says why it has no chart.
        self.assertEqual(sum("No chart: one batch size only" in t for t in tables), 8)

    def test_scaling_charts(self):
        # spsc and mpsc2 give the one-consumer family two thread counts (1 and 2 producers): a chart
        # per allocator, mode and batch; the producers = consumers family has one count only, so none.
        scaling = self.html[self.html.index('id="scaling"'):self.html.index('id="allocations"')]
        self.assertEqual(scaling.count('<figure class="chart"><svg'), 2 * 2 * 2)
        self.assertIn("<title>intrusive, threads 2: median ", scaling)
        self.assertNotIn("producers = consumers", scaling)
        self.assertIn("<title>intrusive, batch 256: median ", self.html)

    def test_si(self):
        self.assertEqual(si(12345678), "12.3M")
        self.assertEqual(si(999), "999")
        self.assertEqual(si(1500), "1.5k")


class Cli(unittest.TestCase):
    def run_report(self, *args):
        return subprocess.run([str(REPO / "scripts" / "report"), *args], capture_output=True, text=True)

    def test_writes_the_page_and_prints_its_path(self):
        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "page.html"
            r = self.run_report(str(FIXTURES / "good"), "--out", str(out))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.strip(), str(out))
            self.assertIn("</html>", out.read_text())

    def test_bad_input_names_the_file_and_writes_nothing(self):
        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "page.html"
            out.write_text("earlier page")
            r = self.run_report(str(FIXTURES / "corrupt"), "--out", str(out))
            self.assertEqual(r.returncode, 1)
            self.assertIn("bench-jemalloc.json: is truncated", r.stderr)
            self.assertIn("no page written", r.stderr)
            self.assertEqual(out.read_text(), "earlier page")
            self.assertEqual(sorted(p.name for p in Path(d).iterdir()), ["page.html"])

    def test_usage_error(self):
        r = self.run_report("--frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: scripts/report", r.stderr)


if __name__ == "__main__":
    unittest.main()
