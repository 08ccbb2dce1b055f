"""Section 7 and --fail-on-regression: changes against a baseline, tested for significance."""

import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

from wbreport import baseline, render, results  # noqa: E402
from wbreport.results import Results, Run, Series  # noqa: E402

NAME = "spsc/intrusive/cap:1024/batch:1/payload:u64/mode:sync/manual_time"
OTHER = "spsc/vec/cap:1024/batch:1/payload:u64/mode:sync/manual_time"
NA = "spsc/mutex_condvar/cap:1024/batch:1/payload:u64/mode:async/manual_time"
WAITLIST = "waitlist/intrusive/op:link_take_wake/waiters:16/real_time"


def fake(speeds, na_reason=None, name=NAME, more=None, waitlist_ns=None):
    """A one-allocator Results whose point `name` ran at these msgs/s, one per repetition (and, given
    waitlist_ns, a wait-list microbenchmark at these ns/op)."""
    key = results.POINT_NAME.match(name).groupdict()
    run = Run(allocator="system", path=Path("bench-system.json"), context={})
    run.points[name] = Series(name=name, key=key, repetitions=[{"msgs_per_s": v} for v in speeds])
    run.points[NA] = Series(name=NA, key=results.POINT_NAME.match(NA).groupdict(), na_reason="n/a: no async API")
    for n, v in (more or {}).items():
        run.points[n] = Series(name=n, key=results.POINT_NAME.match(n).groupdict(), repetitions=[{"msgs_per_s": x} for x in v])
    if waitlist_ns:
        run.waitlists[WAITLIST] = Series(name=WAITLIST, key=results.WAITLIST_NAME.match(WAITLIST).groupdict(),
                                         repetitions=[{"ns_per_op": v} for v in waitlist_ns])
    return Results(directory=Path("fake"), env={"preset": {"repetitions": len(speeds)}}, runs={"system": run}, files=[])


class Compare(unittest.TestCase):
    def test_significant_regression(self):
        c = baseline.compare(fake([50, 51, 52, 49, 50]), fake([100, 101, 99, 102, 100]))
        change = next(x for x in c.changes if x.name == NAME)
        self.assertEqual(change.verdict, "regressed")
        self.assertAlmostEqual(change.change, -0.5)
        self.assertLess(change.p_value, 0.05)
        self.assertAlmostEqual(c.worst_significant_regression(), 0.5)
        self.assertAlmostEqual(c.geomean, 0.5)

    def test_significant_improvement(self):
        c = baseline.compare(fake([200, 201, 199, 202, 200]), fake([100, 101, 99, 102, 100]))
        self.assertEqual((c.improved, c.regressed), (1, 0))
        self.assertEqual(c.worst_significant_regression(), 0.0)

    def test_overlap_is_noise(self):
        c = baseline.compare(fake([90, 120, 95, 110, 100]), fake([100, 115, 92, 105, 98]))
        self.assertEqual(next(x for x in c.changes if x.name == NAME).verdict, "noise")

    def test_na_and_missing_points_say_why(self):
        c = baseline.compare(fake([1, 2, 3, 4, 5], more={OTHER: [1, 2, 3, 4, 5]}), fake([1, 2, 3, 4, 5]))
        verdicts = {x.name: x.verdict for x in c.changes}
        self.assertEqual(verdicts[NA], "n/a: no async API")
        self.assertEqual(verdicts[OTHER], "n/a: not in the baseline run")

    def test_waitlists_compare_by_speed(self):
        # Twice the time per operation is half the speed: a regression of 50%, like msgs/s halving.
        same = [100, 101, 99, 102, 100]
        c = baseline.compare(fake(same, waitlist_ns=[20, 20.2, 19.8, 20.4, 20]), fake(same, waitlist_ns=[10, 10.1, 9.9, 10.2, 10]))
        change = next(x for x in c.changes if x.name == WAITLIST)
        self.assertEqual((change.verdict, change.unit, change.old, change.new), ("regressed", "ns/op", 10, 20))
        self.assertAlmostEqual(change.change, -0.5)
        self.assertAlmostEqual(c.worst_significant_regression(), 0.5)
        missing = baseline.compare(fake(same, waitlist_ns=[20, 20, 20, 20, 20]), fake(same))
        self.assertEqual(next(x for x in missing.changes if x.name == WAITLIST).verdict, "n/a: not in the baseline run")
        html = render.page(fake(same, waitlist_ns=[20] * 5), c)
        self.assertIn(f"<tr><td>{WAITLIST}</td><td>system</td><td data-value=\"10.0\">10 ns/op</td>", html)

    def test_page_section(self):
        html = render.page(fake([50, 51, 52, 49, 50]), baseline.compare(fake([50, 51, 52, 49, 50]), fake([100, 101, 99, 102, 100])))
        section = html[html.index('id="baseline"'):html.index('id="raw"')]
        self.assertIn("0 improved, 1 regressed, 0 noise", section)
        self.assertIn("-50.0%", section)
        self.assertIn('class="v-regressed"', section)

    def test_few_repetitions_are_flagged(self):
        html = render.page(fake([1, 2, 3]))
        self.assertIn("This run has 3 repetitions per point", html)
        self.assertIn("No baseline given", html)


class FailOnRegression(unittest.TestCase):
    def run_report(self, *args):
        return subprocess.run([str(REPO / "scripts" / "report"), *args], capture_output=True, text=True)

    def test_exit_codes(self):
        good = str(HERE / "fixtures" / "good")
        with tempfile.TemporaryDirectory() as d:
            same = self.run_report(good, "--baseline", good, "--fail-on-regression", "5", "--out", f"{d}/p.html")
            self.assertEqual(same.returncode, 0, same.stderr)  # identical runs: nothing regressed
            bad = self.run_report(good, "--baseline", str(HERE / "fixtures" / "corrupt"), "--out", f"{d}/q.html")
            self.assertEqual(bad.returncode, 1)
            self.assertIn("corrupt/bench-jemalloc.json: is truncated", bad.stderr)
            self.assertFalse(Path(f"{d}/q.html").exists())
            alone = self.run_report(good, "--fail-on-regression", "5")
            self.assertEqual(alone.returncode, 2)
            self.assertIn("--fail-on-regression PCT needs --baseline DIR", alone.stderr)


if __name__ == "__main__":
    unittest.main()
