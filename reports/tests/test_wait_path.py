"""Section 4, the wait path, on the fixture run: the wait-list microbenchmarks (vec, intrusive and
eventcount at 16 and 4096 waiters) and the workloads where waiting dominates (tasks16, fanout64,
churn16), plain tables with their n/a rows listed once."""

import re
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import render, results, waiting, waitlists  # noqa: E402
from wbreport.render_helpers import duration  # noqa: E402

GOOD = HERE / "fixtures" / "good"


class WaitLists(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tables = waitlists.tables(results.load(GOOD))

    def test_a_table_per_operation_and_allocator(self):
        self.assertEqual([(t.op, t.allocator) for t in self.tables],
                         [(op, a) for op in waitlists.OPERATIONS for a in ("system", "jemalloc")])
        for t in self.tables:
            self.assertEqual(t.waiters, [16, 4096])
            self.assertEqual([strategy for strategy, _ in t.rows], ["vec", "intrusive", "eventcount"])  # eventcount after the mutex rows
            self.assertTrue(t.meaning)

    def test_cells(self):
        t = next(t for t in self.tables if t.op == "link_take_wake" and t.allocator == "system")
        rows = dict(t.rows)
        intrusive = rows["intrusive"][1]
        self.assertEqual((intrusive.allocs, intrusive.heap), (0.0, 0.0))  # nothing on the heap, ever
        self.assertEqual(intrusive.time.n, 3)
        self.assertGreater(rows["vec"][1].allocs, 0)   # the vector is re-grown after each take
        self.assertGreater(rows["vec"][1].heap, 0)
        self.assertIsNone(rows["vec"][1].per_waiter)  # per waiter only for wake_all
        wake_all = next(t for t in self.tables if t.op == "wake_all")
        self.assertEqual(dict(wake_all.rows)["eventcount"][0].per_waiter.n, 3)


class Waiting(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sections = waiting.sections(results.load(GOOD))

    def test_a_table_per_point_group_of_the_first_allocator(self):
        self.assertEqual([a.allocator for a in self.sections], ["system"])  # jemalloc: section 3's difference
        self.assertEqual([family for family, _ in self.sections[0].families], ["tasks", "fanout", "churn"])
        for a in self.sections:
            self.assertEqual([(t.workload, t.cap, t.batch, t.mode) for t in a.tables],
                             [("tasks16", "1", "1", "async"), ("fanout64", "unbounded", "1", "async"),
                              ("churn16", "unbounded", "1", "sync"), ("churn16", "unbounded", "1", "async")])
            for t in a.tables:
                self.assertEqual([r.impl for r in t.rows], ["vec", "intrusive"])
                self.assertTrue(all(r.throughput and r.throughput.n == 3 for r in t.rows))

    def test_baselines_that_never_ran_are_listed_once(self):
        never = {impl: (reasons, points) for impl, reasons, points in self.sections[0].never_ran}
        self.assertEqual(sorted(never), ["moodycamel_blocking", "mutex_condvar"])
        self.assertEqual(never["mutex_condvar"][1], 4)
        self.assertTrue(all(r.startswith("n/a: ") for r in never["mutex_condvar"][0]))

    def test_columns_follow_the_counters(self):
        tables = {(t.workload, t.mode): t for t in self.sections[0].tables}
        headings = lambda t: [heading for _, heading, *_ in t.columns]  # noqa: E731
        self.assertEqual(headings(tables[("churn16", "sync")])[-2:], ["cancels/s", "time/cancel"])
        self.assertNotIn("cancels/s", headings(tables[("tasks16", "async")]))
        self.assertIn("time/wait", headings(tables[("fanout64", "async")]))
        self.assertEqual(tables[("tasks16", "async")].pool_threads, 2)
        self.assertIsNone(tables[("churn16", "sync")].pool_threads)


class Page(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        html = render.page(results.load(GOOD))
        cls.section = html[html.index('<section id="wait-path">'):html.index('<h3 id="exact-counts">')]

    def test_the_section_and_its_tables(self):
        self.assertIn("<h2>4. The wait path</h2>", self.section)
        micro, dominated = self.section.split('<h3 id="waiting">')
        self.assertEqual(micro.count("<table"), 5 * 2)      # an operation x an allocator
        self.assertEqual(micro.count("<details><summary>"), 5 * 2)  # each folded
        self.assertEqual(dominated.count("<table"), 4)  # tasks16, fanout64, churn16 sync and async, the first allocator
        self.assertEqual(dominated.count("<details><summary>Tables: "), 3)  # folded per family
        self.assertIn("<details><summary>Tables: 2 point groups of churn (churn16)", dominated)
        for op in waitlists.OPERATIONS:
            self.assertIn(f'<h4 id="wl-{op}">{op}</h4>', micro)
        self.assertIn('<th class="group" colspan="3">N = 4096</th>', micro)
        self.assertIn("Front, middle and back are ages", micro)
        self.assertIn("<h5>churn16, capacity unbounded, batch 1, u64, sync (system)</h5>", dominated)
        self.assertIn("<h5>tasks16, capacity 1, batch 1, u64, async (system, 2 pool threads)</h5>", dominated)
        self.assertNotIn("jemalloc", dominated)

    def test_a_figure_per_family_and_mode(self):
        dominated = self.section.split('<h3 id="waiting">')[1]
        figures = re.findall(r'<figure class="chart">(.*?)</figure>', dominated, re.S)
        # tasks and fanout run async only; churn both modes.
        self.assertEqual([re.search(r">([a-z]+): messages/s by batch size, u64, ([a-z]+) \(system\)<", f).groups() for f in figures],
                         [("tasks", "async"), ("fanout", "async"), ("churn", "sync"), ("churn", "async")])
        self.assertIn("<title>intrusive, churn16, capacity unbounded, sync, batch 1: median ", figures[2])

    def test_cells_show_their_spread_and_noise(self):
        self.assertRegex(self.section, r'<td class="(noisy)?" data-value="[0-9.e+-]+" title="median [0-9,.]+ ns per operation, min ')
        self.assertRegex(self.section, r'<span class="range">cv [0-9.]+%</span>')
        self.assertIn(" per waiter</span>", self.section)
        self.assertIn("mutex_condvar, 4 points: n/a: ", self.section)
        self.assertNotIn("<tr><td>mutex_condvar</td>", self.section)
        # Every timed cell of the dominated tables has a row of counters after it, in its table's columns.
        for table in re.findall(r"<table.*?</table>", self.section.split('<h3 id="waiting">')[1], re.S):
            columns = len(re.findall(r"<th[ >]", table.split("</thead>")[0]))
            for row in re.findall(r"<tr><td>.*?</tr>", table.split("</thead>")[1]):
                self.assertEqual(row.count("<td"), columns, row[:200])

    def test_durations(self):
        self.assertEqual(duration(38.72), "38.7 ns")
        self.assertEqual(duration(32819.3), "32.8 µs")
        self.assertEqual(duration(1.5e6), "1.5 ms")


if __name__ == "__main__":
    unittest.main()
