"""bench/count/collect.py: a counting process's directory becomes count JSON only when every dump
pairs with the benchmark that ran, and anything else is refused with its reason and nothing written.
Run: /usr/bin/python3 -m unittest discover -s bench/count/tests (ctest count/collect)."""

import importlib.util
import io
import json
import shutil
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

spec = importlib.util.spec_from_file_location("collect", Path(__file__).resolve().parent.parent / "collect.py")
collect = importlib.util.module_from_spec(spec)
spec.loader.exec_module(collect)

EVENTS = "Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim"


def dump(name, counts):
    return (f"# callgrind format\nversion: 1\ndesc: I1 cache: 32768 B, 64 B, 8-way associative\n"
            f"desc: Trigger: Client Request: {name}\n\npositions: line\nevents: {EVENTS}\n"
            f"summary: {' '.join(str(c) for c in counts)}\n\nfn=(1) main\n0 {counts[0]}\n\ntotals: {counts[0]}\n")


COUNTS = [1100, 300, 200, 1, 4, 2, 1, 0, 0, 160, 3, 10, 1]


def process(root, benchmarks, dumps, counting="true"):
    """A process directory as scripts/count leaves it: raw.json holding `benchmarks` (name, counters;
    a counted one gets the pid of a child of its own, 100, 101, ...), and the dumps: {pid: [(name,
    counts), ...]} in the order each child wrote them. Every child also leaves its end-of-run dump."""
    root.mkdir(parents=True)
    entries = []
    for name, counters in benchmarks:
        entry = {"name": name + "/iterations:1", "run_name": name + "/iterations:1", "run_type": "iteration", "family_index": len(entries)}
        entry.update(counters)
        if not counters.get("error_occurred"):
            entry["count_pid"] = 100 + len(entries)
        entries.append(entry)
    (root / "raw.json").write_text(json.dumps({"context": {"wakerbench_counting": counting}, "benchmarks": entries}))
    for pid, written in dumps.items():
        for n, (name, counts) in enumerate(written, 1):
            (root / f"callgrind.out.{pid}.{n}").write_text(dump(name, counts))
        (root / f"callgrind.out.{pid}").write_text(dump("Program termination", [0] * 13))  # never read
    return root


WL = "waitlist/intrusive/op:link_take_wake/waiters:16"
CHURN = "churn16/vec/cap:unbounded/batch:1/payload:u64/mode:sync"
NA = ("churn16/mutex_condvar/cap:unbounded/batch:1/payload:u64/mode:sync",
      {"error_occurred": True, "error_message": "n/a: mutex_condvar has no async API"})


class Collect(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.out = self.tmp / "count.json"

    def run_collect(self, *dirs):
        err = io.StringIO()
        with redirect_stdout(io.StringIO()), redirect_stderr(err):
            status = collect.main(["--out", str(self.out), "--tool", "valgrind-3.19.0", "--option=--tool=callgrind", *map(str, dirs)])
        return status, err.getvalue()

    def good(self, name):
        return process(self.tmp / name, [(WL, {"ops_counted": 10}), NA, (CHURN, {"msgs_counted": 4})],
                       {100: [(WL, COUNTS)], 102: [(CHURN, [c * 2 for c in COUNTS])]})

    def test_two_processes_become_two_repetitions_with_figures_per_unit(self):
        status, err = self.run_collect(self.good("p1"), self.good("p2"))
        self.assertEqual(status, 0, err)
        doc = json.loads(self.out.read_text())
        self.assertEqual(doc["context"]["wakerbench_count_processes"], "2")
        wl = [b for b in doc["benchmarks"] if b["name"] == WL]
        self.assertEqual([b["repetition_index"] for b in wl], [0, 1])
        self.assertEqual(wl[0]["instr_per_op"], 110)
        self.assertEqual(wl[0]["d1_miss_per_op"], 0.6)       # (D1mr + D1mw) / ops
        self.assertEqual(wl[0]["ll_miss_per_op"], 0.1)       # ILmr + DLmr + DLmw
        self.assertEqual(wl[0]["branch_miss_per_op"], 0.4)   # Bcm + Bim
        churn = next(b for b in doc["benchmarks"] if b["name"] == CHURN)
        self.assertEqual(churn["instr_per_msg"], 550)
        self.assertNotIn("instr_per_op", churn)
        na = next(b for b in doc["benchmarks"] if b["name"] == NA[0])
        self.assertTrue(na["error_occurred"])

    def refused(self, *dirs, says):
        status, err = self.run_collect(*dirs)
        self.assertEqual(status, 1, err)
        self.assertRegex(err, says)
        self.assertIn("nothing written", err)
        self.assertFalse(self.out.exists())
        self.assertFalse(Path(str(self.out) + ".partial").exists())

    def test_a_missing_dump_is_refused(self):
        self.refused(process(self.tmp / "p", [(WL, {"ops_counted": 10}), (CHURN, {"msgs_counted": 4})], {100: [(WL, COUNTS)]}),
                     says="'churn16/vec.*' ran in process 101, which left 0 dumps")

    def test_a_dump_of_another_benchmark_is_refused(self):
        self.refused(process(self.tmp / "p", [(WL, {"ops_counted": 10})], {100: [(CHURN, COUNTS)]}), says="is of 'churn16/vec")

    def test_a_child_that_dumped_twice_is_refused(self):
        self.refused(process(self.tmp / "p", [(WL, {"ops_counted": 10})], {100: [(WL, COUNTS), (WL, COUNTS)]}), says="left 2 dumps")

    def test_a_dump_no_benchmark_ran_for_is_refused(self):
        self.refused(process(self.tmp / "p", [(WL, {"ops_counted": 10})], {100: [(WL, COUNTS)], 7: [(WL, COUNTS)]}),
                     says="1 dumps no benchmark ran for .*callgrind.out.7.1")

    def test_a_point_whose_child_died_is_refused(self):
        died = ("error_occurred", "error: counting x failed: its child was killed by signal 6")
        self.refused(process(self.tmp / "p", [(WL, {died[0]: True, "error_message": died[1]})], {}), says="killed by signal 6")

    def test_a_region_that_counted_nothing_is_refused(self):
        self.refused(process(self.tmp / "p", [(WL, {"ops_counted": 10})], {100: [(WL, [0] * 13)]}), says="counted no instruction")

    def test_a_dump_without_the_cache_simulator_is_refused(self):
        p = process(self.tmp / "p", [(WL, {"ops_counted": 10})], {100: [(WL, COUNTS)]})
        (p / "callgrind.out.100.1").write_text(dump(WL, [1100]).replace(f"events: {EVENTS}", "events: Ir"))
        self.refused(p, says="no Dr, Dw, .* events")

    def test_a_benchmark_that_says_no_unit_is_refused(self):
        self.refused(process(self.tmp / "p", [(WL, {})], {100: [(WL, COUNTS)]}), says="neither how many operations nor how many messages")

    def test_a_run_without_count_mode_is_refused(self):
        self.refused(process(self.tmp / "p", [(WL, {"ops_counted": 10})], {100: [(WL, COUNTS)]}, counting="false"),
                     says="did not run with --count")

    def test_a_cut_short_raw_json_is_refused(self):
        p = self.good("p")
        (p / "raw.json").write_text((p / "raw.json").read_text()[:40])
        self.refused(p, says="not complete JSON from wb_bench --count")

    def test_processes_that_ran_other_points_are_refused(self):
        other = process(self.tmp / "p2", [(WL, {"ops_counted": 10})], {100: [(WL, COUNTS)]})
        self.refused(self.good("p1"), other, says="process 2 ran other points")

    def test_nothing_counted_is_refused(self):
        self.refused(process(self.tmp / "p", [], {}), says="no benchmark ran")

    def test_an_existing_output_is_replaced_only_when_complete(self):
        self.out.write_text("earlier")
        status, _ = self.run_collect(process(self.tmp / "p", [(WL, {"ops_counted": 10})], {}))
        self.assertEqual((status, self.out.read_text()), (1, "earlier"))


if __name__ == "__main__":
    unittest.main()
