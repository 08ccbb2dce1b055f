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


def with_counts(src, dst, factor, only=None, options=None):
    """A copy of the results directory src in dst whose counted instructions are `factor` times src's (at the points
    whose name starts with `only`, or all), counted with other callgrind options if given."""
    shutil.copytree(src, dst)
    path = Path(dst) / "count-system.json"
    data = json.loads(path.read_text())
    for entry in data["benchmarks"]:
        if not entry.get("error_occurred") and (only is None or entry["run_name"].startswith(only)):
            entry["total_Ir"] = round(entry["total_Ir"] * factor)
            for unit in ("op", "msg"):
                if f"instr_per_{unit}" in entry:
                    entry[f"instr_per_{unit}"] *= factor
    if options is not None:
        data["context"]["wakerbench_count_options"] = options
    path.write_text(json.dumps(data))


COUNTED = "waitlist/intrusive/op:link_take_wake/waiters:16"


class CompareCounts(unittest.TestCase):
    """Counts compared point by point: no interval, a tolerance, and only like with like."""

    def test_verdicts_by_the_tolerance(self):
        good = results.load(HERE / "fixtures" / "good")
        with tempfile.TemporaryDirectory() as d:
            for factor, verdict in ((1.005, "same"), (1.015, "regressed"), (0.98, "improved"), (1.0, "same")):
                with_counts(HERE / "fixtures" / "good", f"{d}/{factor}", factor, only=COUNTED)
                c = baseline.compare_counts(results.load(f"{d}/{factor}"), good)
                change = next(x for x in c.changes if x.name == COUNTED)
                self.assertEqual(change.verdict, verdict, factor)
                self.assertAlmostEqual(change.change, factor - 1, places=4)
                self.assertEqual(len(c.of("regressed")), verdict == "regressed")
            loose = baseline.compare_counts(results.load(f"{d}/1.015"), good, tolerance=0.02)
            self.assertEqual(next(x for x in loose.changes if x.name == COUNTED).verdict, "same")
            self.assertIsNone(loose.worst_regression())

    def test_a_point_on_one_side_only_is_na(self):
        new, old = results.load(HERE / "fixtures" / "good"), results.load(HERE / "fixtures" / "good")
        new.counts.waitlists.pop(COUNTED)
        old.counts.bursts.pop("burst/vec/waiters:1000/mode:async")
        verdicts = {c.name: c.verdict for c in baseline.compare_counts(new, old).changes}
        self.assertEqual(verdicts[COUNTED], "n/a: not counted in this run")
        self.assertEqual(verdicts["burst/vec/waiters:1000/mode:async"], "n/a: not counted in the baseline")
        self.assertTrue(verdicts["churn16/mutex_condvar/cap:unbounded/batch:1/payload:u64/mode:sync"].startswith("n/a: "))
        self.assertEqual(verdicts["burst/intrusive/waiters:1000/mode:async"], "same")

    def test_other_options_or_no_counts_compare_nothing(self):
        good = results.load(HERE / "fixtures" / "good")
        with tempfile.TemporaryDirectory() as d:
            with_counts(HERE / "fixtures" / "good", f"{d}/other", 1.5, options="--tool=callgrind --LL=1048576,8,64")
            c = baseline.compare_counts(results.load(f"{d}/other"), good)
            self.assertEqual(c.changes, [])
            self.assertIn("other callgrind options", c.why_not)
            self.assertIn("Counts not compared: the two were counted with other callgrind options", c.summary)
        # Where callgrind writes its files is no option of what it counts.
        moved = results.load(HERE / "fixtures" / "good")
        moved.counts.context["wakerbench_count_options"] += " --callgrind-out-file=elsewhere.%p --log-file=v.log"
        self.assertIsNone(baseline.compare_counts(moved, good).why_not)
        without = results.load(HERE / "fixtures" / "good")
        without.counts = None
        self.assertEqual(baseline.compare_counts(without, good).why_not, "this run has no counts")
        self.assertEqual(baseline.compare_counts(good, without).why_not, "the baseline has no counts")

    def test_page_section(self):
        good = results.load(HERE / "fixtures" / "good")
        with tempfile.TemporaryDirectory() as d:
            with_counts(HERE / "fixtures" / "good", f"{d}/up", 1.015, only=COUNTED)
            up = results.load(f"{d}/up")
            html = render.page(up, baseline.compare(up, good))
        section = html[html.index('<h3 id="baseline-counts">'):html.index('id="raw"')]
        self.assertIn("23 counted points compared by instructions per operation or message, a tolerance of 1.0%: 1 regressed, 0 improved, "
                      "22 the same; 4 n/a.", section)
        self.assertIn(f"<tr><td>{COUNTED}</td>", section)
        self.assertIn('+1.50%<br><span class="range">per op</span></td><td class="v-regressed">regressed</td>', section)

    def test_the_default_tolerance_is_said_once(self):
        import report  # noqa: E402  (reports/report.py: the command line, which cannot import baseline before parsing)
        self.assertEqual(report.DEFAULT_COUNT_TOLERANCE / 100, baseline.COUNT_TOLERANCE)


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

    def test_counts_within_the_tolerance_pass(self):
        good = str(HERE / "fixtures" / "good")
        with tempfile.TemporaryDirectory() as d:
            with_repetitions(good, f"{d}/base", 2)
            with_counts(f"{d}/base", f"{d}/new", 1.005)
            r = self.run_report(f"{d}/new", "--baseline", f"{d}/base", "--fail-on-regression", "5", "--out", f"{d}/p.html")
            self.assertEqual(r.returncode, 0, r.stderr)

    def test_a_counted_regression_fails_whatever_the_repetitions(self):
        # The fixture's 3 repetitions per side are too few for the timed gate (exit 4), not for a count.
        good = str(HERE / "fixtures" / "good")
        with tempfile.TemporaryDirectory() as d:
            with_counts(good, f"{d}/new", 1.015, only=COUNTED)
            r = self.run_report(f"{d}/new", "--baseline", good, "--fail-on-regression", "5", "--out", f"{d}/p.html")
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn(f"report: counted instructions regressed: {COUNTED} executes 1.50% more instructions per op (111.02 -> 112.69), "
                          "more than the 1% allowed (--count-tolerance)", r.stderr)
            self.assertTrue(Path(f"{d}/p.html").exists())
            loose = self.run_report(f"{d}/new", "--baseline", good, "--fail-on-regression", "5", "--count-tolerance", "2", "--out", f"{d}/q.html")
            self.assertEqual(loose.returncode, 4, loose.stderr)  # within 2%: only the timed gate's blindness is left
            with_counts(good, f"{d}/other", 1.5, options="--tool=callgrind")
            other = self.run_report(f"{d}/other", "--baseline", good, "--fail-on-regression", "5", "--out", f"{d}/o.html")
            self.assertEqual(other.returncode, 4, other.stderr)  # other options: nothing compared, so nothing regressed
            self.assertIn("Counts not compared: the two were counted with other callgrind options", Path(f"{d}/o.html").read_text())

    def test_count_tolerance_is_a_finite_percentage_with_a_baseline(self):
        good = str(HERE / "fixtures" / "good")
        with tempfile.TemporaryDirectory() as d:
            for bad in ("nan", "inf", "-inf", "many"):
                r = self.run_report(good, "--baseline", good, f"--count-tolerance={bad}", "--out", f"{d}/p.html")
                self.assertEqual(r.returncode, 2, f"{bad}: {r.stderr}")
                self.assertIn(f"--count-tolerance: '{bad}' is not a percentage", r.stderr)
            for args in (["--baseline", good, "--count-tolerance", "-1"], ["--count-tolerance", "1"]):
                r = self.run_report(good, *args, "--out", f"{d}/p.html")
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn("--count-tolerance PCT needs --baseline DIR and a PCT of 0 or more", r.stderr)
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
