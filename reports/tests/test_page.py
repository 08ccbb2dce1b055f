"""The page from the good fixture, and scripts/report's handling of bad input."""

import html
import json
import re
import shutil
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


def between(html, start, end):
    """The part of html from start up to the first end after it."""
    i = html.index(start)
    return html[i:html.index(end, i)]


class Page(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.html = render.page(results.load(FIXTURES / "good"))

    def test_sections(self):
        for section in ('id="decision"', 'id="status"', 'id="toc"', 'id="provenance"', 'id="throughput"', 'id="wait-path"', 'id="raw"'):
            self.assertIn(section, self.html)
        numbered = re.findall(r"<h2>([0-9]+)\. ", self.html)
        self.assertEqual(numbered, [str(n) for n in range(1, 9)])
        # The decision box first, then the status block, then the contents, then the numbered sections.
        order = [self.html.index(f'id="{i}"') for i in ("decision", "status", "toc", "provenance")]
        self.assertEqual(order, sorted(order))

    def test_status_block(self):
        status = between(self.html, 'id="status"', 'id="toc"')
        self.assertIn('<span class="ok">passed</span>: 7 checks passed, 0 failed; seeded bugs found: 3 of 3.', status)
        self.assertIn("10.5k items checked exactly once and in order in 6 randomized runs over 1 implementation; 0 failures", status)
        self.assertIn("Too few cores: this machine has 2 usable, so mpsc2 (3 threads)", status)  # provenance.warnings, moved up here
        env = results.load(FIXTURES / "good").env
        self.assertIn(f"<code>git checkout {env['git']['revision']} && {env['command']}</code>", html.unescape(status))
        self.assertNotIn('class="warning"', between(self.html, 'id="provenance"', 'id="verdict"'))

    def test_status_without_correctness_names_the_flag(self):
        r = results.load(FIXTURES / "good")
        r.modelcheck = r.stress = None
        r.env = dict(r.env, git=dict(r.env["git"], dirty=True))
        status = between(render.page(r), 'id="status"', 'id="toc"')
        self.assertEqual(status.count('<span class="notrun">not run</span>: not run with this sweep (scripts/sweep --correctness runs'), 2)
        self.assertIn("the tree was dirty, so the checkout is not exactly what ran", status)

    def test_contents_link_to_the_page(self):
        toc = between(self.html, 'id="toc"', 'id="provenance"')
        targets = re.findall(r'href="#([^"]+)"', toc)
        self.assertGreater(len(targets), 15)
        for t in targets:
            self.assertIn(f'id="{t}"', self.html, t)

    def test_long_tables_are_folded_with_a_summary(self):
        # Every table is folded but the sources of allocations, the bursts, the jemalloc difference, correctness
        # (short: a row per implementation) and the tracer's counted cost (a row); the verdict's table is gone (the
        # decision box is above #status).
        unfolded = re.sub(r"<details>.*?</details>", "", self.html[self.html.index('id="status"'):], flags=re.S)
        self.assertEqual(unfolded.count("<table"), 1 + 1 + 1 + 2 + 1 + 1)
        for summary in re.findall(r"<details><summary>(.*?)</summary>", self.html, re.S):
            self.assertGreater(len(summary), 20, summary)
        self.assertIn("<details><summary>Tables: 2 tables (spsc; sync and async), 4 implementations: msgs/s with the 95% interval "
                      "of the median, time per message and per wait; counters on hover</summary>", self.html)
        self.assertIn("<details><summary>15 facts: date, command, git revision", self.html)

    def test_throughput_tables_first_allocator_with_units_and_counters(self):
        section = between(self.html, 'id="throughput"', 'id="scaling"')
        self.assertNotIn("(jemalloc", section)
        tables = re.findall(r"<table.*?</table>", section, re.S)
        self.assertEqual(len(tables), 4)  # spsc and mpsc2, sync and async
        self.assertIn('<th class="group" colspan="2">capacity 1024</th>', tables[0])
        # Every point of a table is a cell: timed (with its interval, time per message and per wait) or n/a with its reason;
        # a row that ran nowhere in the table is one cell with its reason.
        for t in tables:
            rows = re.findall(r"<tr><td>[a-z_]+</td>(.*?)</tr>", t)
            self.assertEqual(len(rows), 4)
            for row in rows:
                spans = [int(n or 1) for n in re.findall(r'<td(?: class="[a-z]*")?(?: colspan="([0-9]+)")? data-value', row)]
                self.assertEqual(sum(spans), 2, row[:300])
        self.assertIn('<tr><td>mutex_condvar</td><td class="na" colspan="2" data-value="-1">n/a: mutex_condvar has no async API', section)
        cell = re.search(r'<td class="[a-z]*" data-value="[0-9.e+]+" title="(median [^"]*)">([^<]*)<br><span class="range">([^<]*)</span>'
                         r'<br><span class="range">([^<]*)</span></td>', tables[0])
        self.assertIsNotNone(cell, tables[0][:2000])
        hover, shown, interval, units = cell.groups()
        self.assertIn("95% interval of the median", hover)
        self.assertIn("per msg: waits ", hover)
        self.assertIn("ctx switches ", hover)
        self.assertIn("allocs ", hover)
        self.assertRegex(interval, r"^[0-9.]+[kMG]? to [0-9.]+[kMG]?$")
        self.assertRegex(units, r"^[0-9.]+ (ns|µs|ms)/msg(, [0-9.]+ (ns|µs|ms)/wait)?$")

    def test_na_cells_show_their_reason(self):
        self.assertIn('<td class="na" data-value="-1">n/a: ', self.html)
        self.assertIn("cannot bound its queue", self.html)

    def test_self_contained(self):
        # (SVG namespace URIs are names, not fetches: look for things a browser would load.)
        for remote in ('src="http', "href=\"http", "url(http", "<script src", "<link ", "@import"):
            self.assertNotIn(remote, self.html)

    def test_small_multiples_per_family_and_mode(self):
        section = between(self.html, 'id="throughput"', 'id="scaling"')
        figures = re.findall(r'<figure class="chart">(.*?)</figure>', section, re.S)
        self.assertEqual(len(figures), 2 * 2)  # spsc and mpsc, sync and async: the first allocator only
        self.assertIn("spsc: messages/s by batch size, u64, sync (system)", figures[0])
        # A hover title per timed cell of the family's tables, with its exact values.
        for family in ("spsc", "mpsc"):
            part = between(section, f'<h3 id="tp-{family}">', "</details>")
            charts_part, tables_part = part.split("<details>")
            self.assertEqual(charts_part.count("<title>"), tables_part.count('title="median '), family)
        self.assertRegex(figures[0], r"<title>intrusive, spsc, capacity 1024, sync, batch 256: median [0-9,]+ msgs/s, 95% interval "
                                     r"[0-9,]+ to [0-9,]+ \(n=3\); [0-9.]+ [nµm]?s/msg")
        # mpsc2 has more threads than the fixture's 2 cores: its panels are shaded and say so.
        self.assertIn("mpsc2, capacity 1024 (3 threads)", figures[2])
        self.assertIn("grey panels and columns: more threads than usable cores", figures[2])

    def test_scaling_charts(self):
        # spsc and mpsc2 give the one-consumer family two thread counts (1 and 2 producers): a figure per mode with a
        # panel per batch; the producers = consumers family has one count only, so no panel.
        scaling = between(self.html, 'id="scaling"', 'id="allocator-difference"')
        figures = re.findall(r'<figure class="chart">(.*?)</figure>', scaling, re.S)
        self.assertEqual(len(figures), 2)
        self.assertIn("producers, one consumer, batch 256", figures[0])
        self.assertNotIn("producers = consumers", scaling)
        self.assertIn("<title>intrusive, mpsc2, capacity 1024, batch 1, sync: median ", figures[0])

    def test_allocator_difference(self):
        part = between(self.html, 'id="allocator-difference"', 'id="wait-path"')
        self.assertIn('id="allocator-difference">jemalloc against system</h3>', part)
        self.assertEqual(part.count('<figure class="chart">'), 1)
        for impl in ("vec", "intrusive"):
            self.assertIn(f"<tr><td>{impl}</td>", part)
        self.assertRegex(part, r"<title>intrusive, thread workloads: jemalloc / system = [0-9.]+ \(geometric mean over [0-9]+ points")

    def test_allocation_sources_and_bursts(self):
        section = between(self.html, 'id="allocations"', 'id="correctness"')
        sources = between(section, 'id="alloc-sources"', 'id="alloc-points"')
        self.assertIn("<tr><td>vec</td><td>wait list</td>", sources)
        self.assertIn("<tr><td>intrusive</td><td>none</td>", sources)
        self.assertIn("<tr><td>mutex_condvar</td><td>queue</td>", sources)  # its deque's chunks are not waiter storage
        points = between(section, 'id="alloc-points"', 'id="burst"')
        self.assertIn('<th class="group" colspan="3">spsc, capacity 1024, u64, sync (system)</th>', points)
        self.assertNotIn("(jemalloc)", points)
        self.assertIn('title="8 bytes per message, 512 per allocation; jemalloc: the same"', points)  # mutex_condvar's deque chunks
        # intrusive never allocates in the steady state: its cells read 0.
        row = points[points.index("<tr><td>intrusive</td>"):]
        self.assertTrue(row.startswith('<tr><td>intrusive</td><td data-value="0.0"'), row[:120])
        self.assertIn("/wait</span>", points)
        burst = section[section.index('id="burst"'):]
        self.assertEqual(burst.count("<tr><td>vec</td>") + burst.count("<tr><td>intrusive</td>"), 4)
        self.assertEqual(burst.count('<td class="why">agrees: '), 4)

    def test_si(self):
        self.assertEqual(si(12345678), "12.3M")
        self.assertEqual(si(999), "999")
        self.assertEqual(si(1500), "1.5k")


class Controls(unittest.TestCase):
    def test_a_run_with_control_copies_shows_them_nowhere_as_points(self):
        """The fixture has the A/A copies of one point; without them the sections after the decision box and the
        status block (which report on the control itself) show exactly the same cells and chart points."""
        r = results.load(FIXTURES / "good")
        self.assertTrue(r.runs["system"].controls)
        page = render.page(r)
        with tempfile.TemporaryDirectory() as d:
            copy = Path(d) / "run"
            shutil.copytree(FIXTURES / "good", copy)
            for name in ("bench-system.json", "bench-jemalloc.json"):
                data = json.loads((copy / name).read_text())
                data["benchmarks"] = [b for b in data["benchmarks"] if "/aa:" not in b["run_name"]]
                (copy / name).write_text(json.dumps(data))
            stripped = results.load(copy)
            self.assertFalse(stripped.runs["system"].controls)
            plain = render.page(stripped)
        mine, plain = page[page.index('id="verdict"'):], plain[plain.index('id="verdict"'):]
        self.assertNotIn("aa:1", mine)
        self.assertEqual(mine.count('title="median '), plain.count('title="median '))
        self.assertEqual(mine.count("<title>"), plain.count("<title>"))


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
