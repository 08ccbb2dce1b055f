"""Section 7 and --fail-on-regression: changes against a baseline, tested for significance."""

import json
import shutil
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


def with_repetitions(src, dst, copies, slow=None, factor=1.0):
    """A copy of the results directory src in dst whose every benchmark has its repetitions repeated
    `copies` times (renumbered, as more repetitions of the same run), and whose benchmarks whose
    name starts with `slow` ran at `factor` times the speed."""
    shutil.copytree(src, dst)
    for path in Path(dst).glob("bench-*.json"):
        data = json.loads(path.read_text())
        grown = []
        for entry in data["benchmarks"]:
            for k in range(copies if entry["run_type"] == "iteration" else 1):
                e = dict(entry)
                if e["run_type"] == "iteration":
                    e["repetition_index"] = entry["repetition_index"] + k * entry["repetitions"]
                    e["repetitions"] = entry["repetitions"] * copies
                    if slow and e["run_name"].startswith(slow) and "msgs_per_s" in e:
                        e["msgs_per_s"] *= factor
                grown.append(e)
        data["benchmarks"] = grown
        path.write_text(json.dumps(data))


class FailOnRegression(unittest.TestCase):
    def run_report(self, *args):
        return subprocess.run([str(REPO / "scripts" / "report"), *args], capture_output=True, text=True)

    def test_gate_with_enough_repetitions(self):
        good = str(HERE / "fixtures" / "good")
        point = "spsc/intrusive/cap:1024/batch:1/payload:u64/mode:sync"
        with tempfile.TemporaryDirectory() as d:
            with_repetitions(good, f"{d}/base", 2)
            with_repetitions(good, f"{d}/slow", 2, slow=point, factor=0.1)
            same = self.run_report(f"{d}/base", "--baseline", f"{d}/base", "--fail-on-regression", "5", "--out", f"{d}/p.html")
            self.assertEqual(same.returncode, 0, same.stderr)  # identical runs: nothing regressed
            slow = self.run_report(f"{d}/slow", "--baseline", f"{d}/base", "--fail-on-regression", "5", "--out", f"{d}/s.html")
            self.assertEqual(slow.returncode, 3, slow.stderr)  # 90% slower: caught
            self.assertIn("regressed significantly by 90.0%", slow.stderr)

    def test_gate_that_cannot_fail_fails_closed(self):
        # The good fixture has 3 repetitions (the smoke preset's). With so few, a bootstrap interval
        # is not to be trusted (render.repetition_warning), and a real 90% regression went through
        # with exit 0: finding nothing there proves nothing, so the gate says so and exits 4.
        good = str(HERE / "fixtures" / "good")
        with tempfile.TemporaryDirectory() as d:
            same = self.run_report(good, "--baseline", good, "--fail-on-regression", "5", "--out", f"{d}/p.html")
            self.assertEqual(same.returncode, 4, same.stderr)
            self.assertIn("--fail-on-regression cannot judge", same.stderr)
            self.assertIn("3 repetitions", same.stderr)
            self.assertTrue(Path(f"{d}/p.html").exists())  # the page is still written

    def test_gate_needs_a_finite_percentage(self):
        good = str(HERE / "fixtures" / "good")
        with tempfile.TemporaryDirectory() as d:
            for bad in ("nan", "NaN", "inf", "-inf"):
                r = self.run_report(good, "--baseline", good, f"--fail-on-regression={bad}", "--out", f"{d}/p.html")
                self.assertEqual(r.returncode, 2, f"{bad}: {r.stderr}")
                self.assertIn(f"--fail-on-regression: '{bad}' is not a percentage", r.stderr)
                self.assertFalse(Path(f"{d}/p.html").exists())

    def test_exit_codes(self):
        good = str(HERE / "fixtures" / "good")
        with tempfile.TemporaryDirectory() as d:
            bad = self.run_report(good, "--baseline", str(HERE / "fixtures" / "corrupt"), "--out", f"{d}/q.html")
            self.assertEqual(bad.returncode, 1)
            self.assertIn("corrupt/bench-jemalloc.json: is truncated", bad.stderr)
            self.assertFalse(Path(f"{d}/q.html").exists())
            alone = self.run_report(good, "--fail-on-regression", "5")
            self.assertEqual(alone.returncode, 2)
            self.assertIn("--fail-on-regression PCT needs --baseline DIR", alone.stderr)


if __name__ == "__main__":
    unittest.main()
