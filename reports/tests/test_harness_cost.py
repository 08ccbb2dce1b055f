"""What the harness costs (harness_cost.py and its subsection of section 1): harness / plain-loop
median msgs/s per point with its interval and verdict, the reasons where a side has no numbers,
the summary line, and the page with and without references. The committed fixture may predate the
references, so they are made here: the fixture's spsc sync points again as reference/<point>, at
a known factor."""

import json
import re
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import harness_cost, render, results  # noqa: E402
from wbreport.results import Results, Run, Series  # noqa: E402
from wbreport.stats import Ratio  # noqa: E402

GOOD = HERE / "fixtures" / "good"


def fixture_with_references(directory, plain_loop_speedup):
    """A copy of the good fixture whose system run also has a plain-loop reference of every spsc sync point: the point's
    own entries under reference/<name>, msgs/s times plain_loop_speedup (n/a entries as they are)."""
    copy = Path(directory) / GOOD.name  # the page's title is the directory's name
    shutil.copytree(GOOD, copy)
    path = copy / "bench-system.json"
    data = json.loads(path.read_text())
    references = []
    for b in data["benchmarks"]:
        if b["run_name"].startswith("spsc/") and "/mode:sync/" in b["run_name"] and "/aa:" not in b["run_name"]:
            r = dict(b, name="reference/" + b["name"], run_name="reference/" + b["run_name"])
            if "msgs_per_s" in r:
                r["msgs_per_s"] *= plain_loop_speedup
                r["ns_per_msg"] /= plain_loop_speedup
            references.append(r)
    data["benchmarks"] += references
    path.write_text(json.dumps(data))
    return copy


def point_name(workload, impl, cap, batch, reference=False):
    return ("reference/" if reference else "") + f"{workload}/{impl}/cap:{cap}/batch:{batch}/payload:u64/mode:sync/manual_time"


def add(run, name, speeds=None, na=None):
    """Puts a series in the run's points or references, as results.read_run would."""
    table, pattern = (run.references, results.REFERENCE_NAME) if name.startswith("reference/") else (run.points, results.POINT_NAME)
    key = {k: v for k, v in pattern.match(name).groupdict().items() if k != "aa"}
    table[name] = Series(name=name, key=key, repetitions=[{"msgs_per_s": v} for v in speeds or []], na_reason=na)


def one_run(build):
    run = Run(allocator="system", path=Path("bench-system.json"), context={})
    build(run)
    return Results(directory=Path("fake"), env={"preset": {"repetitions": 5}}, runs={"system": run}, files=[])


SPEEDS = [1.00e6, 1.02e6, 0.98e6, 1.01e6, 0.99e6]


class Verdict(unittest.TestCase):
    def test_read_from_the_point_estimate_with_the_interval_named_when_it_crosses(self):
        cases = [(Ratio(0.90, 0.001), "harness 10.0% slower"), (Ratio(0.90, 0.1), "harness 10.0% slower (interval crosses 5%)"),
                 (Ratio(1.02, 0.001), "within 5%"), (Ratio(1.02, 0.1), "within 5% (interval crosses 5%)"),
                 (Ratio(1.06, 0.001), "harness 6.0% faster"), (Ratio(0.95, 0.0), "within 5%"),
                 (Ratio(1 / 0.95, 0.0), "within 5%"), (Ratio(0.949, 0.0), "harness 5.1% slower")]
        for ratio, expected in cases:
            self.assertEqual(harness_cost.verdict(ratio), expected, ratio)


class Rows(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.slower = harness_cost.analyse(results.load(fixture_with_references(cls.tmp.name, 1 / 0.8)))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_one_row_per_reference_in_the_page_order(self):
        self.assertEqual(self.slower.allocator, "system")
        self.assertEqual([(r.key["batch"], r.key["impl"]) for r in self.slower.rows],
                         [(b, impl) for b in ("1", "256") for impl in ("vec", "intrusive", "mutex_condvar", "moodycamel_blocking")])

    def test_the_ratio_is_the_known_factor(self):
        compared = self.slower.compared
        self.assertEqual(len(compared), 6)  # moodycamel_blocking cannot bound its queue at either batch
        for r in compared:
            self.assertAlmostEqual(r.ratio.value, 0.8, msg=r.name)
            self.assertAlmostEqual(r.harness / r.plain, 0.8, msg=r.name)
            low, high = r.ratio.interval()
            self.assertLess(low, 0.8)
            self.assertGreater(high, 0.8)
            self.assertTrue(r.verdict.startswith("harness 20.0% slower"), r.verdict)
            self.assertFalse(r.within)

    def test_na_on_both_sides_keeps_its_reason(self):
        rows = [r for r in self.slower.rows if r.key["impl"] == "moodycamel_blocking"]
        self.assertEqual(len(rows), 2)
        for r in rows:
            self.assertIsNone(r.ratio)
            self.assertIsNone(r.harness)
            self.assertTrue(r.verdict.startswith("n/a: "), r.verdict)
            self.assertIn("bound", r.verdict)
            self.assertNotIn("(harness)", r.verdict)  # the same reason on both sides is given once

    def test_a_free_harness_is_within_and_a_slow_plain_loop_is_named(self):
        with tempfile.TemporaryDirectory() as d:
            same = harness_cost.analyse(results.load(fixture_with_references(Path(d) / "same", 1.0)))
            faster = harness_cost.analyse(results.load(fixture_with_references(Path(d) / "faster", 0.8)))
        self.assertEqual({r.verdict for r in same.compared}, {"within 5%"})
        self.assertTrue(all(r.within for r in same.compared))
        self.assertEqual({r.verdict.split(" (")[0] for r in faster.compared}, {"harness 25.0% faster"})

    def test_one_side_without_numbers_says_which(self):
        def build(run):
            add(run, point_name("spsc", "vec", 1024, 1), SPEEDS)
            add(run, point_name("spsc", "vec", 1024, 1, reference=True), na="n/a: the plain loop cannot run this")
            add(run, point_name("spsc", "intrusive", 1024, 1), na="n/a: not at this capacity")
            add(run, point_name("spsc", "intrusive", 1024, 1, reference=True), SPEEDS)
            add(run, point_name("seq", "vec", 1, 1, reference=True), SPEEDS)  # no harness counterpart at all
        rows = {r.label: r for r in harness_cost.analyse(one_run(build)).rows}
        self.assertEqual(rows["spsc vec cap 1024 batch 1"].verdict, "n/a: the plain loop cannot run this (plain loop)")
        self.assertEqual(rows["spsc intrusive cap 1024 batch 1"].verdict, "n/a: not at this capacity (harness)")
        self.assertEqual(rows["seq vec cap 1 batch 1"].verdict, "n/a: not in this run (harness)")
        self.assertTrue(all(r.ratio is None for r in rows.values()))

    def test_ordered_by_workload_capacity_batch_then_row(self):
        shuffled = [("mpsc16", "vec", "1", "1"), ("mpsc2", "vec", "1", "1"), ("spsc", "vec", "unbounded", "1"), ("spsc", "vec", "1024", "256"),
                    ("spsc", "vec", "1024", "16"), ("spsc", "mutex_condvar", "1", "1"), ("spsc", "vec", "1", "1"),
                    ("spsc", "intrusive", "1", "1"), ("seq", "vec", "1024", "1")]

        def build(run):
            for workload, impl, cap, batch in shuffled:
                add(run, point_name(workload, impl, cap, batch), SPEEDS)
                add(run, point_name(workload, impl, cap, batch, reference=True), SPEEDS)
        rows = harness_cost.analyse(one_run(build)).rows
        self.assertEqual([r.label for r in rows], [
            "seq vec cap 1024 batch 1", "spsc vec cap 1 batch 1", "spsc intrusive cap 1 batch 1", "spsc mutex_condvar cap 1 batch 1",
            "spsc vec cap 1024 batch 16", "spsc vec cap 1024 batch 256", "spsc vec cap unbounded batch 1", "mpsc2 vec cap 1 batch 1",
            "mpsc16 vec cap 1 batch 1"])


class Summary(unittest.TestCase):
    def test_counts_geometric_mean_and_worst(self):
        def build(run):
            add(run, point_name("spsc", "vec", 1024, 1), SPEEDS)
            add(run, point_name("spsc", "vec", 1024, 1, reference=True), SPEEDS)
            add(run, point_name("spsc", "intrusive", 1024, 1), [0.8 * v for v in SPEEDS])
            add(run, point_name("spsc", "intrusive", 1024, 1, reference=True), SPEEDS)
            add(run, point_name("spsc", "mutex_condvar", 1024, 1), [1.03 * v for v in SPEEDS])
            add(run, point_name("spsc", "mutex_condvar", 1024, 1, reference=True), SPEEDS)
            add(run, point_name("spsc", "moodycamel_blocking", 1024, 1), na="n/a: cannot bound its queue")
            add(run, point_name("spsc", "moodycamel_blocking", 1024, 1, reference=True), na="n/a: cannot bound its queue")
        cost = harness_cost.analyse(one_run(build))
        self.assertAlmostEqual(cost.overall.value, (1.0 * 0.8 * 1.03) ** (1 / 3))
        self.assertIs(cost.worst, next(r for r in cost.rows if r.key["impl"] == "intrusive"))
        low, high = cost.overall.interval()
        self.assertEqual(cost.summary, (
            f"3 points compared (system): 2 within 5% of the plain loop; geometric mean of harness / plain loop "
            f"{(0.8 * 1.03) ** (1 / 3):.3f} (95% interval {low:.3f} to {high:.3f}); worst: spsc intrusive cap 1024 batch 1 at 0.800, "
            f"harness 20.0% slower. 1 more without numbers on one side (the table says why)."))

    def test_a_faster_harness_can_be_the_worst(self):
        def build(run):
            for impl, factor in (("vec", 0.9), ("intrusive", 1.2)):
                add(run, point_name("spsc", impl, 1024, 1), [factor * v for v in SPEEDS])
                add(run, point_name("spsc", impl, 1024, 1, reference=True), SPEEDS)
        self.assertEqual(harness_cost.analyse(one_run(build)).worst.key["impl"], "intrusive")  # |log 1.2| > |log 0.9|

    def test_nothing_to_compare(self):
        def build(run):
            add(run, point_name("spsc", "vec", 1024, 1, reference=True), na="n/a: no reason")
        cost = harness_cost.analyse(one_run(build))
        self.assertIsNone(cost.worst)
        self.assertEqual(cost.summary, "No point has numbers on both sides (system). 1 more without numbers on one side (the table says why).")

    def test_no_references_no_rows(self):
        self.assertEqual(harness_cost.analyse(results.load(GOOD)).rows, [])


def section(page):
    start = page.index('<h3 id="harness-cost">')
    return page[start:page.index("</section>", start)]


class Page(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.without = render.page(results.load(GOOD))
        with tempfile.TemporaryDirectory() as d:
            cls.loaded = results.load(fixture_with_references(d, 1 / 0.8))
            cls.with_references = render.page(cls.loaded)

    def test_without_references_the_subsection_says_how_to_get_them(self):
        part = " ".join(section(self.without).split())
        self.assertIn("the same channel driven by a plain loop: fresh threads, blocking calls, consumers receive until closed", part)
        self.assertIn("This run has no plain-loop references (benchmarks named reference/...): run the quick or full preset to see "
                      "the harness's cost.", part)
        self.assertNotIn("<table", part)

    def test_in_provenance_and_in_the_contents(self):
        for page in (self.without, self.with_references):
            provenance = page[page.index('<section id="provenance">'):page.index('<section id="verdict">')]
            self.assertIn('<h3 id="harness-cost">What the harness costs</h3>', provenance)
            toc = page[page.index('id="toc"'):page.index('<section id="provenance">')]
            self.assertIn('<a href="#harness-cost">', toc)

    def test_with_references_a_folded_table_of_every_one(self):
        part = section(self.with_references)
        self.assertNotIn("This run has no plain-loop references", part)
        cost = harness_cost.analyse(self.loaded)
        self.assertIn(f"<p>{cost.summary}</p>", part.replace("&#39;", "'"))
        self.assertIn("6 points compared (system): 0 within 5% of the plain loop", part)
        table = part[part.index("<details>"):part.index("</details>")]
        rows = re.findall(r"<tr title=\"(reference/[^\"]+)\">(.*?)</tr>", table)
        self.assertEqual([name for name, _ in rows], [r.name for r in cost.rows])
        name, first = rows[0]
        self.assertEqual(name, "reference/spsc/vec/cap:1024/batch:1/payload:u64/mode:sync/manual_time")
        self.assertRegex(first, r"^<td>spsc</td><td class=\"label\">1024</td><td data-value=\"1\">1</td><td class=\"label\">vec</td>"
                                r"<td data-value=\"[0-9.e+]+\">[0-9.]+[kMG]?</td><td data-value=\"[0-9.e+]+\">[0-9.]+[kMG]?</td>"
                                r"<td data-value=\"0\.8[0-9]*\">0\.800<br><span class=\"range\">[0-9.]+ to [0-9.]+</span></td>"
                                r"<td class=\"label\">harness 20\.0% slower")
        na = [cells for name, cells in rows if "/moodycamel_blocking/" in name]
        self.assertEqual(len(na), 2)
        for cells in na:
            self.assertIn('<td class="na" colspan="4" data-value="-1">n/a: ', cells)

    def test_references_reach_no_other_part_of_the_page(self):
        """Nothing that reads points sees a reference: outside the subsection the two pages are the same."""
        self.assertEqual(self.with_references.replace(section(self.with_references), ""), self.without.replace(section(self.without), ""))


if __name__ == "__main__":
    unittest.main()
