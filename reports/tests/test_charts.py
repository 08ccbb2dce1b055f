"""The one kind of chart the page draws: small multiples of points with interval whiskers on a
shared log axis, categories for x, a hover title per point, and a style for every row."""

import re
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import charts, ordering  # noqa: E402

# Today's registry, as a results directory's ordering.ImplOrder has it.
ORDER = ordering.ImplOrder({ordering.MUTEX_ROWS: ["vec", "vec_reuse", "slab", "intrusive"], ordering.WAIT_LISTS: ["eventcount"],
                            ordering.LOCK_FREE_ROWS: ["moodycamel", "boost_lockfree"],
                            ordering.BASELINES: ["mutex_condvar", "moodycamel_blocking"],
                            ordering.PEERS: ["tbb", "crossbeam", "flume", "async_channel", "tokio"]})


def panel(title, impls, categories=(1, 256), scale=1.0):
    p = charts.Panel(title, list(categories))
    for i, impl in enumerate(impls):
        p.series[impl] = [charts.Point(c, scale * (i + 1) * 1e6 * (1 + j), scale * (i + 1) * 0.9e6 * (1 + j),
                                       scale * (i + 1) * 1.1e6 * (1 + j), f"{impl} at {c} <exact>")
                          for j, c in enumerate(categories)]
    return p


class Figure(unittest.TestCase):
    def test_a_title_per_point_and_no_lines_between_categories(self):
        svg = charts.figure("t", [panel("a", ["vec", "intrusive"]), panel("b", ["vec"])], "messages/s", "batch", order=ORDER, ncols=2)
        titles = re.findall(r"<title>(.*?)</title>", svg)
        self.assertEqual(len(titles), 2 * 2 + 2)
        self.assertIn("vec at 256 &lt;exact&gt;", titles)  # escaped
        # Each title wraps exactly one marker; the markers' group draws no path (no line joins the points).
        self.assertEqual(len(re.findall(r"<g><title>[^<]*</title><use [^>]*/></g>", svg)), 6)
        for group in re.findall(r'<g clip-path="[^"]*"><g><title>.*?</g></g>', svg):
            self.assertNotIn("<path", group)

    def test_shared_labelled_log_axis(self):
        svg = charts.figure("t", [panel("a", ["vec"]), panel("b", ["vec"], scale=100)], "messages/s (log scale)", "batch", order=ORDER,
                            ncols=2)
        self.assertEqual(svg.count(">messages/s (log scale)</text>"), 1)  # one y label for the row of panels
        self.assertIn(">1M</text>", svg)
        self.assertIn(">100M</text>", svg)

    def test_compact_and_inline(self):
        svg = charts.figure("t", [panel("a", ["vec", "slab"])], "y", "x", order=ORDER, ncols=1)
        self.assertTrue(svg.startswith("<svg"))
        self.assertNotIn("<metadata", svg)
        self.assertNotIn("\n ", svg)
        self.assertIsNone(re.search(r'="[^"]*[0-9]\.[0-9]{2,}', svg.split("<title>")[0]))  # coordinates to a tenth

    def test_nothing_to_draw(self):
        self.assertIsNone(charts.figure("t", [charts.Panel("empty", [1])], "y", "x", order=ORDER, ncols=1))

    def test_todays_rows_keep_their_looks(self):
        self.assertEqual(charts.style("vec", ORDER), ("#1f77b4", "-", "o"))
        self.assertEqual(charts.style("intrusive", ORDER), ("#d62728", "-", "D"))
        self.assertEqual(charts.style("boost_lockfree", ORDER), ("#8c564b", "--", "P"))
        self.assertEqual(charts.style("moodycamel_blocking", ORDER), ("#bcbd22", ":", "*"))
        self.assertEqual(charts.style("tokio", ORDER), ("#843c39", "-.", ">"))

    def test_a_name_in_no_registry_gets_a_style_of_its_own(self):
        new = charts.style("aardvark", ORDER)
        self.assertEqual(new, charts.style("aardvark", ORDER))  # the same on every page
        self.assertNotIn(new[0], {colour for _, colours, _ in charts.LOOKS.values() for colour in colours})
        svg = charts.figure("t", [panel("a", ["aardvark", "vec"])], "y", "x", order=ORDER, ncols=1)
        self.assertIn(new[0], svg)
        self.assertIn(">aardvark</text>", svg)  # in the legend

    def test_peers_are_hollow_and_named_so(self):
        svg = charts.figure("t", [panel("a", ["vec", "tokio"])], "y", "x", order=ORDER, ncols=1)
        self.assertIn(">tokio (peer)</text>", svg)
        self.assertIn(">vec</text>", svg)
        self.assertIn("fill: #ffffff; stroke: #843c39", svg)

    def test_shaded_categories_are_explained(self):
        p = panel("a", ["vec"])
        p.shaded = {256}
        svg = charts.figure("t", [p], "y", "x", ncols=1, shade_label="grey: threads beyond the cores", order=ORDER)
        self.assertIn(">grey: threads beyond the cores</text>", svg)


if __name__ == "__main__":
    unittest.main()
