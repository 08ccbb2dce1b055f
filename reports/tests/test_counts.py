"""Exact counts (counts.py, count_orders.py, exact_counts.py): the count JSON read and refused like a
timed run, the counted columns beside the times, whether the counting processes agree, the pairs the
counts and the medians order differently, the decision box's counted evidence, and the subsection."""

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

from tests.test_decision import fake_results, noisy, point  # noqa: E402
from wbreport import count_orders, counts, decision, exact_counts, render, results, status  # noqa: E402
from wbreport.counts import COUNT_EVENTS, FIGURE_EVENTS, Figures  # noqa: E402
from wbreport.errors import ReportError  # noqa: E402
from wbreport.results import Results, Run, Series  # noqa: E402

GOOD = HERE / "fixtures" / "good"
COUNT_JSON = "count-system.json"
TAKE_WAKE = "waitlist/intrusive/op:link_take_wake/waiters:16"
CONTEXT = {"wakerbench_counting": "true", "wakerbench_count_tool": "valgrind-3.19.0", "wakerbench_count_processes": "2",
           "wakerbench_count_options": "--tool=callgrind --collect-atstart=no --cache-sim=yes --branch-sim=yes "
                                       "--I1=32768,8,64 --D1=32768,8,64 --LL=8388608,16,64"}


def count_entry(name, instr, d1=0.0, unit="op", units=1024, index=0, **events):
    """One process's counted entry of `name`, as collect.py writes it: totals over `units` and the figures from them."""
    totals = {e: 0 for e in COUNT_EVENTS}
    totals.update(Ir=round(instr * units), D1mr=round(d1 * units), **events)
    figures = {f"{figure}_per_{unit}": sum(totals[e] for e in summed) / units for figure, summed in FIGURE_EVENTS.items()}
    return {"name": name, "run_name": name, "run_type": "iteration", "iterations": 1, "repetitions": 2, "repetition_index": index,
            f"{unit}s_counted": units, **figures, **{f"total_{e}": v for e, v in totals.items()}}


def count_series(name, instr, d1=0.0, unit="op", second=None, **events):
    """A Series of two processes' counts of name: the same, unless second (instr of the second process) differs."""
    reps = [count_entry(name, instr, d1, unit, index=0, **events),
            count_entry(name, instr if second is None else second, d1, unit, index=1, **events)]
    for kind, pattern in (("points", results.POINT_NAME), ("waitlists", results.WAITLIST_NAME)):
        if m := pattern.match(name):
            return kind, Series(name=name, key=m.groupdict(), repetitions=reps)
    raise AssertionError(name)


def count_run(series):
    """A count Run holding these (table, Series)."""
    run = Run(allocator="system", path=Path(COUNT_JSON), context=dict(CONTEXT))
    for table, s in series:
        getattr(run, table)[s.name] = s
    return run


def waitlist_results(times, instrs, n=16, op="link_take_wake", seconds=None):
    """Results of one wait-list operation at N: times {strategy: [ns per repetition]}, instrs {strategy: instr/op}
    (seconds: {strategy: the second process's instr/op}, where it differs)."""
    run = Run(allocator="system", path=Path("bench-system.json"), context={})
    for strategy, values in times.items():
        name = f"waitlist/{strategy}/op:{op}/waiters:{n}/real_time"
        run.waitlists[name] = Series(name=name, key=results.WAITLIST_NAME.match(name).groupdict(),
                                     repetitions=[{"ns_per_op": v, "allocs_per_op": 0.0, "list_heap_bytes": 0.0} for v in values])
    counted = count_run([count_series(f"waitlist/{s}/op:{op}/waiters:{n}", i, second=(seconds or {}).get(s)) for s, i in instrs.items()])
    return Results(directory=Path("fake"), env={"preset": {"repetitions": 10}, "counts": {"json": COUNT_JSON}, "counts_skipped": None},
                   runs={"system": run}, files=[], counts=counted)


class Loading(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.r = results.load(GOOD)

    def test_the_count_is_a_run_of_its_own(self):
        self.assertIsInstance(self.r.counts, Run)
        self.assertEqual(self.r.counts.allocator, "system")
        self.assertIsNone(self.r.counts_skipped)
        self.assertEqual(list(self.r.runs), ["system", "jemalloc"])  # not a third timed run
        self.assertIn(COUNT_JSON, self.r.files)
        self.assertIn("count.log", self.r.files)
        self.assertEqual(len(self.r.counts.waitlists["waitlist/intrusive/op:link_take_wake/waiters:16"].repetitions), 2)

    def test_a_timed_series_finds_its_count_by_its_key(self):
        timed = self.r.runs["system"].waitlists[TAKE_WAKE + "/real_time"]
        f = self.r.counted.figures("waitlists", timed.key)
        self.assertEqual((f.unit, round(f.instr), f.processes, f.exact, f.differing), ("op", 111, 2, True, ()))
        churn = self.r.runs["system"].points["churn16/intrusive/cap:unbounded/batch:1/payload:u64/mode:sync/manual_time"]
        self.assertEqual(self.r.counted.figures("points", churn.key).unit, "msg")
        na = self.r.runs["system"].points["churn16/mutex_condvar/cap:unbounded/batch:1/payload:u64/mode:sync/manual_time"]
        self.assertIsNone(self.r.counted.figures("points", na.key))
        self.assertTrue(self.r.counted.why_missing("points", na.key).startswith("n/a: "))
        far = self.r.runs["system"].waitlists["waitlist/intrusive/op:link_take_wake/waiters:4096/real_time"]
        self.assertEqual(self.r.counted.why_missing("waitlists", far.key), counts.NOT_COUNTED)

    def test_provenance_from_the_context(self):
        c = self.r.counted
        self.assertEqual((c.tool, c.processes), ("valgrind-3.19.0", 2))
        self.assertIn("--collect-atstart=no", c.options)
        self.assertEqual(c.caches, "I1 32 KiB 8-way, D1 32 KiB 8-way, LL 8 MiB 16-way, 64-byte lines")

    def test_a_run_before_the_count_step(self):
        with tempfile.TemporaryDirectory() as d:
            run = edited(d, env=lambda e: (e.pop("counts"), e.pop("counts_skipped")))
            loaded = results.load(run)
            self.assertIsNone(loaded.counts)
            self.assertFalse(loaded.counts_recorded)
            self.assertNotIn(COUNT_JSON, loaded.files)
            self.assertEqual(exact_counts.analyse(loaded).why_not, exact_counts.PREDATES)
            html = render.page(loaded)
            self.assertIn("not counted: this run predates the count step", html)
            self.assertNotIn('class="counted', html.split('<h3 id="exact-counts">')[0])
            skipped = edited(Path(d) / "skipped", env=lambda e: e.update(counts=None, counts_skipped="--no-count"))
            loaded = results.load(skipped)
            self.assertEqual(loaded.counts_skipped, "--no-count")
            self.assertIn("skipped: --no-count", between(render.page(loaded), 'id="status"', 'id="toc"'))


def edited(directory, *, env=None, count=None, text=None):
    """A copy of the good fixture in directory/run: env(data) edits env.json, count(data) the count JSON; text replaces
    the count JSON's text."""
    copy = Path(directory) / "run"
    shutil.copytree(GOOD, copy)
    for name, edit in (("env.json", env), (COUNT_JSON, count)):
        if edit:
            data = json.loads((copy / name).read_text())
            edit(data)
            (copy / name).write_text(json.dumps(data))
    if text is not None:
        (copy / COUNT_JSON).write_text(text((copy / COUNT_JSON).read_text()))
    return copy


def between(html, start, end):
    i = html.index(start)
    return html[i:html.index(end, i)]


def every_counted(edit):
    """An edit of the count JSON: edit(entry) on every counted entry."""
    def apply(data):
        for b in data["benchmarks"]:
            if not b.get("error_occurred"):
                edit(b)
    return apply


class Refusing(unittest.TestCase):
    """A count file that is not a count is refused, naming the file and why; nothing is written."""

    CASES = [
        ("missing", dict(text=None), "no such file, though env.json's counts names it"),
        ("corrupt", dict(text=lambda t: t.replace('"benchmarks"', '"benchmarks" oops', 1)), "is not valid JSON"),
        ("truncated", dict(text=lambda t: t[: len(t) // 2]), "is truncated"),
        ("unparseable name", dict(count=lambda d: d["benchmarks"][0].update(run_name="mystery/1", name="mystery/1")),
         "has a benchmark named 'mystery/1', which this report cannot place"),
        ("not counted", dict(count=lambda d: d["context"].pop("wakerbench_counting")), "is not a count: its context lacks wakerbench_counting"),
        ("no figures", dict(count=every_counted(lambda b: [b.pop(k) for k in list(b) if k.startswith("d1_miss_per_")])),
         "has no 'd1_miss_per_msg': a count without its figures"),
        ("no totals", dict(count=every_counted(lambda b: b.pop("total_Ir"))), "has no 'total_Ir'"),
        ("no unit", dict(count=every_counted(lambda b: [b.pop(k) for k in list(b) if k.endswith("s_counted")])),
         "says neither how many operations (ops_counted) nor how many messages (msgs_counted) it counted"),
        ("no instructions", dict(count=every_counted(lambda b: b.update({k: 0 for k in b if k.startswith("instr_per_")}))),
         "is 0, and a benchmark that ran cannot have measured nothing"),
        ("negative instructions", dict(count=every_counted(lambda b: b.update({k: -5.0 for k in b if k.startswith("instr_per_")}))),
         "expected a number of 0 or more"),
        ("nothing counted", dict(count=lambda d: d.update(benchmarks=[dict(name=b["name"], run_name=b["run_name"], run_type="iteration",
                                                                             repetition_index=b["repetition_index"], error_occurred=True,
                                                                             error_message="n/a: not here") for b in d["benchmarks"]])),
         "counts no point"),
        ("a name leading out", dict(env=lambda e: e["counts"].update(json="../count-system.json")),
         "'counts.json' is the text \"../count-system.json\", expected a plain file name"),
        ("skipped is not text", dict(env=lambda e: e.update(counts_skipped=["--no-count"])), "'counts_skipped' is a list, expected text"),
    ]

    def test_each_bad_count_is_refused_with_its_reason(self):
        for what, edits, words in self.CASES:
            with self.subTest(what), tempfile.TemporaryDirectory() as d:
                run = edited(d, **{k: v for k, v in edits.items() if v is not None})
                if what == "missing":
                    (run / COUNT_JSON).unlink()
                with self.assertRaises(ReportError) as caught:
                    results.load(run)
                self.assertEqual(Path(caught.exception.path).name, "env.json" if "env" in edits else COUNT_JSON, caught.exception)
                self.assertIn(words, str(caught.exception))
                self.assertTrue(caught.exception.hint)

    def test_scripts_report_writes_nothing(self):
        for what, edits, words in self.CASES[1:5]:
            with self.subTest(what), tempfile.TemporaryDirectory() as d:
                run = edited(d, **edits)
                page = Path(d) / "page.html"
                r = subprocess.run([str(REPO / "scripts" / "report"), str(run), "--out", str(page)], capture_output=True, text=True)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(f"report: {run}/{COUNT_JSON}: ", r.stderr)
                self.assertTrue(r.stderr.endswith("report: no page written\n"), r.stderr)
                self.assertNotIn("Traceback", r.stderr)
                self.assertFalse(page.exists())


class Agreement(unittest.TestCase):
    def test_identical_processes_are_exact(self):
        _, s = count_series(TAKE_WAKE, 111.0, Bcm=6)
        f = Figures.of(s)
        self.assertTrue(f.exact)
        self.assertEqual(f.differing, ())
        self.assertIn("counted every event alike", f.title)
        a = counts.Counts(count_run([("waitlists", s)])).agreement
        self.assertEqual((a.compared, a.identical, a.differences, a.inexact), (1, 1, [], []))
        self.assertIn("agree in every event at 1 of 1 points: every figure is exact", a.sentence)

    def test_branches_only_differing_is_still_exact_in_instructions(self):
        _, s = count_series(TAKE_WAKE, 111.0)
        s.repetitions[1]["total_Bcm"] += 3
        f = Figures.of(s)
        self.assertTrue(f.exact)
        self.assertEqual(f.differing, ("Bcm",))
        a = counts.Counts(count_run([("waitlists", s)])).agreement
        self.assertEqual((a.identical, a.differences[0].event, a.differences[0].largest), (0, "Bcm", 3))
        self.assertIn("mispredicted conditional branches (Bcm) at 1 point, by at most 3 in a whole region", a.sentence)
        self.assertIn("Instructions, data references and cache misses agree everywhere", a.sentence)

    def test_instructions_differing_are_marked_not_exact(self):
        r = waitlist_results({"vec": noisy(20, n=10, seed=1), "intrusive": noisy(10, n=10, seed=2)}, {"vec": 300.0, "intrusive": 111.0},
                             seconds={"intrusive": 112.0})
        f = r.counted.figures("waitlists", {"strategy": "intrusive", "op": "link_take_wake", "waiters": "16"})
        self.assertFalse(f.exact)
        self.assertEqual(f.instr_range, (111.0, 112.0))
        self.assertIn("NOT EXACT", f.title)
        self.assertEqual(r.counted.agreement.inexact, [TAKE_WAKE])
        self.assertIn("Instructions differ at 1 point: their cells say not exact", r.counted.agreement.sentence)
        html = render.page(r)
        cell = re.search(r'<td class="counted inexact" data-value="111.5" title="([^"]*)">112<br><span class="range">not exact</span></td>', html)
        self.assertIsNotNone(cell, between(html, '<h4 id="wl-link_take_wake">', "</details>"))
        self.assertIn("NOT EXACT: the 2 processes executed 111.00 to 112.00 instructions per op", cell.group(1))
        text, ok = exact_counts.status_line(r)
        self.assertFalse(ok)
        self.assertIn("ran, NOT EXACT at some points", between(html, 'id="status"', 'id="toc"'))
        self.assertIn('<td class="counted" data-value="300.0"', html)  # the exact one is not marked


class Pairs(unittest.TestCase):
    """count_orders: a pair read by time (ratio of medians, 95% interval, alone) and by count (1% of the larger)."""

    SAME_TIME = noisy(20, n=10, cv=0.05, seed=3), noisy(20, n=10, cv=0.05, seed=4)

    def pair(self, times_a, times_b, instr_a, instr_b, d1_a=0.0, d1_b=0.0):
        figures = lambda instr, d1: Figures("op", instr, d1, 0.0, 0.0, 2)  # noqa: E731
        return count_orders.Pair(count_orders.Side("a", times_a, figures(instr_a, d1_a)), count_orders.Side("b", times_b, figures(instr_b, d1_b)))

    def test_within_noise_in_time_but_apart_in_instructions_is_separated(self):
        p = self.pair(*self.SAME_TIME, 95.0, 100.0)
        self.assertIsNone(p.faster)
        self.assertIs(p.cheaper, p.a)
        self.assertEqual(p.kind, "separated")
        sentence = p.sentence("op")
        self.assertIn("a executes 5.0% fewer instructions than b (95 against 100 per op); the medians, ", sentence)
        self.assertIn("are within noise (ratio ", sentence)

    def test_opposite_orders_disagree_and_both_are_shown(self):
        p = self.pair(noisy(10, n=10, cv=0.02, seed=5), noisy(20, n=10, cv=0.02, seed=6), 200.0, 100.0, d1_a=0.5, d1_b=2.0)
        self.assertIs(p.faster, p.a)
        self.assertIs(p.cheaper, p.b)
        self.assertEqual(p.kind, "disagree")
        sentence = p.sentence("op")
        self.assertRegex(sentence, r"^time: a is faster than b, (9\.[0-9]+|10(\.[0-9]+)?) ns against (19\.[0-9]+|20(\.[0-9]+)?) ns \(ratio 0\.[0-9]+, "
                                   r"95% interval 0\.[0-9]+ to 0\.[0-9]+\); ")
        self.assertIn("count: a executes 100% more instructions, 200 against 100 per op, with 0.5 against 2 simulated D1 misses per op",
                      sentence)

    def test_half_a_percent_is_not_separated(self):
        p = self.pair(*self.SAME_TIME, 99.5, 100.0)
        self.assertIsNone(p.cheaper)
        self.assertEqual(p.kind, "neither")
        self.assertEqual(self.pair(noisy(10, n=10, cv=0.02, seed=5), noisy(20, n=10, cv=0.02, seed=6), 99.5, 100.0).kind, "time only")
        self.assertEqual(self.pair(noisy(10, n=10, cv=0.02, seed=5), noisy(20, n=10, cv=0.02, seed=6), 50.0, 100.0).kind, "alike")
        self.assertEqual(count_orders.INSTR_DIFFERENCE, 0.01)

    def test_orders_take_the_rows_with_both_figures(self):
        f = Figures("op", 100.0, 0.0, 0.0, 0.0, 2)
        self.assertIsNone(count_orders.orders("t", "", [("a", [1.0, 2.0], f), ("b", [], f), ("c", [1.0], None)]))
        o = count_orders.orders("t", "N = 1", [("a", [1.0, 2.0], f), ("b", [1.0, 2.0], f), ("c", [3.0], f)])
        self.assertEqual([(p.a.impl, p.b.impl) for p in o.pairs], [("a", "b"), ("a", "c"), ("b", "c")])

    def test_the_page_lists_them_under_the_table_and_the_list_has_them_all(self):
        same = noisy(20, n=10, cv=0.05, seed=7)
        r = waitlist_results({"vec": noisy(10, n=10, cv=0.02, seed=8), "intrusive": noisy(20, n=10, cv=0.02, seed=9), "slab": same},
                             {"vec": 200.0, "intrusive": 100.0, "slab": 105.0})
        # vec is faster than both, yet executes more: disagree twice; intrusive and slab are within noise, 4.8% apart: separated.
        html = render.page(r)
        block = between(html, '<div class="orders">', "</div>")
        self.assertIn("3 pairs: 1 separated by the counts only, 2 disagree", block)
        self.assertIn("<b>separated by the counts</b>: N = 16: intrusive executes 4.8% fewer instructions than slab (100 against 105 per op)", block)
        self.assertIn("<b>disagree</b>: N = 16: time: vec is faster than intrusive", block)
        self.assertIn("each pair read alone, uncorrected", block)
        listed = counts.pairs_over_run(r)
        self.assertEqual(sorted((p["kind"], p["a"], p["b"]) for p in listed),
                         [("disagree", "vec", "intrusive"), ("disagree", "vec", "slab"), ("separated", "intrusive", "slab")])
        self.assertEqual({p["where"] for p in listed}, {"N = 16"})
        self.assertEqual(listed[0]["table"], "link_take_wake (system)")
        json.dumps(listed)  # machine-readable as it is

    def test_the_entry_point_prints_json(self):
        r = subprocess.run(["/usr/bin/python3", "-m", "wbreport.counts", str(GOOD)], capture_output=True, text=True, cwd=HERE.parent)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIsInstance(json.loads(r.stdout), list)
        bad = subprocess.run(["/usr/bin/python3", "-m", "wbreport.counts", str(HERE / "fixtures" / "corrupt")], capture_output=True, text=True,
                             cwd=HERE.parent)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("is truncated", bad.stderr)


class Page(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.results = results.load(GOOD)
        cls.html = render.page(cls.results)

    def test_waitlist_tables_carry_counted_columns_for_the_counted_allocator_only(self):
        system = between(self.html, "<details><summary>link_take_wake (system)", "</details>")
        self.assertIn('<th class="group counted" colspan="2">N = 16, counted (callgrind)</th>', system)
        self.assertIn('<th class="counted" title="counted under callgrind, not timed: instr_per_op">instr/op</th>', system)
        self.assertIn('<th class="counted" title="counted under callgrind, not timed: d1_miss_per_op">D1 miss/op</th>', system)
        self.assertRegex(system, r'<tr><td>intrusive</td>.*<td class="counted" data-value="111\.0[0-9]*" title="counted under callgrind, '
                                 r'not timed: per op: instructions 111, D1 misses 0, LL misses 0, mispredicted branches [0-9.e-]+; the 2 '
                                 r'processes counted every event alike">111</td>')
        self.assertIn(f"{counts.NOT_COUNTED}</td>", system)  # N = 4096: the count step did not count it
        jemalloc = between(self.html, "<details><summary>link_take_wake (jemalloc)", "</details>")
        self.assertNotIn("counted", jemalloc)
        self.assertIn("the jemalloc\ntables have none: the count step counts the system build of wb_bench only", self.html)
        self.assertIn("are counts,\nnot times", self.html)

    def test_churn_tables_carry_counted_columns_and_the_others_say_why_not(self):
        dominated = between(self.html, '<h3 id="waiting">', '<h3 id="exact-counts">')
        churn = between(dominated, "<h5>churn16, capacity unbounded, batch 1, u64, sync (system)</h5>", "</table>")
        self.assertIn('>instr/msg</th><th class="counted"', churn)
        self.assertIn('>D1 miss/msg</th></tr></thead>', churn)
        tasks = between(dominated, "<h5>tasks16,", "</table>")
        self.assertNotIn("counted", tasks)
        self.assertIn("tasks, fanout run on several threads and\nare not counted (callgrind runs one thread at a time", dominated)
        self.assertIn("<b>Counts against medians</b> (every pair of implementations", dominated)

    def test_the_exact_counts_subsection(self):
        toc = between(self.html, 'id="toc"', 'id="provenance"')
        self.assertIn('<a href="#exact-counts">exact counts</a>', toc)
        section = between(self.html, '<h3 id="exact-counts">', '<section id="allocations">')
        self.assertIn("<b>valgrind-3.19.0</b> (callgrind)", section)
        self.assertIn("each once in each of <b>2</b> identical processes, with collection on only inside the measured loop", section)
        self.assertIn("fixed at I1 32 KiB 8-way, D1 32 KiB 8-way, LL 8 MiB 16-way, 64-byte lines", section)
        self.assertIn("<code>--tool=callgrind --collect-atstart=no", section)
        self.assertIn("<b>Agreement:</b> the 2 counting processes agree in every event at ", section)
        self.assertIn("<b>Not counted:</b> spsc, mpsc (mpsc2), tasks (tasks16), fanout (fanout64). They run on several threads", section)
        self.assertIn("Counted: bursts (1000 waiters, async): 2 rows", section)
        tracer = between(section, "tracer_overhead", "</table>")
        self.assertRegex(tracer, r"<td>malloc_free</td><td class=\"counted\"[^>]*>175</td><td class=\"counted\"[^>]*>139</td>"
                                 r"<td class=\"counted\" data-value=\"3[0-9.]+\">3[0-9.]+</td>")

    def test_status_line(self):
        status_block = between(self.html, 'id="status"', 'id="toc"')
        self.assertIn('Exact counts (<a href="#exact-counts">callgrind</a>): <span class="ok">ran</span>: 23 single-threaded points counted by '
                      "valgrind-3.19.0 in 2 processes (system allocator); the processes agree in every event at ", status_block)
        line = status.status(self.results).counts
        self.assertTrue(line.ok)


class Decision(unittest.TestCase):
    """Counts are evidence in the box: never a score, and nothing where no point of a scenario is counted."""

    ROWS = {"vec": 1.0, "intrusive": 1.5, "slab": 1.2}

    def counted(self, instr):
        """fake_results of ROWS, seq cap 1024 batch 1 sync added, with counts: churn16 sync and seq at instr[impl] per msg."""
        r = fake_results(self.ROWS)
        run = r.runs["system"]
        series = []
        for impl, factor in self.ROWS.items():
            point(run, "seq", impl, "1024", "1", "sync", noisy(1e6 * factor, seed=len(impl)), waits=0.0)
            for workload, cap in (("churn16", "unbounded"), ("seq", "1024")):
                series.append(count_series(f"{workload}/{impl}/cap:{cap}/batch:1/payload:u64/mode:sync", instr[impl],
                                           d1=0.25, unit="msg"))
        name = "waitlist/intrusive/op:link_take_wake/waiters:256"
        run.waitlists[name + "/real_time"] = Series(name=name + "/real_time", key=results.WAITLIST_NAME.match(name).groupdict(),
                                                    repetitions=[{"ns_per_op": 12.0}])
        series.append(count_series(name, 111.0))
        r.counts = count_run(series)
        return r

    def test_cancellation_standings_and_reason(self):
        # intrusive leads on time, yet executes the most instructions: the reason says both.
        box = decision.box(self.counted({"vec": 900.0, "intrusive": 1000.0, "slab": 800.0}))
        cancel = next(d for d in box.scenarios if d.scenario.id == "cancellation")
        self.assertTrue(cancel.counted)
        self.assertEqual(cancel.leader.impl, "intrusive")
        self.assertAlmostEqual(cancel.leader.counted["instr"], 1000.0)
        self.assertAlmostEqual(cancel.leader.counted["d1_miss"], 0.25)
        self.assertIn("the counts order them the other way: intrusive executes 1,000 instructions per message (counted), slab 800",
                      cancel.reason)
        html = render.page(self.counted({"vec": 900.0, "intrusive": 1000.0, "slab": 800.0}))
        standings = between(html, "Cancellation-heavy: every row", "</details>")
        self.assertIn("instr/msg (counted)</th>", standings)
        self.assertRegex(standings, r'<td class="counted" data-value="(1000\.0|999\.99[0-9]*)">1,000</td>')
        alike = decision.box(self.counted({"vec": 900.0, "intrusive": 700.0, "slab": 800.0}))
        self.assertNotIn("counts", next(d for d in alike.scenarios if d.scenario.id == "cancellation").reason)

    def test_rarely_blocks_gets_a_line_and_the_uncounted_nothing(self):
        box = decision.box(self.counted({"vec": 900.0, "intrusive": 1000.0, "slab": 800.0}))
        rarely = next(d for d in box.scenarios if d.scenario.id == "rarely_blocks")
        self.assertFalse(rarely.counted)
        self.assertIn("Counted at seq cap 1024 batch 1 sync (one thread, callgrind; instructions per message): slab 800, vec 900, "
                      "intrusive 1,000.", rarely.extra)
        many = next(d for d in box.scenarios if d.scenario.id == "many_tasks")
        self.assertIn("intrusive 12 ns (111 instr/op counted)", " ".join(many.extra))
        for d in box.scenarios:
            if d.scenario.id in ("always_blocks", "async"):
                self.assertFalse(d.counted_points)
                self.assertNotIn("count", d.reason + " ".join(d.extra))
        self.assertTrue(all(s.counted is None for s in rarely.standings))


if __name__ == "__main__":
    unittest.main()
