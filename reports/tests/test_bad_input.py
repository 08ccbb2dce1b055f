"""scripts/report against a hostile-but-fair user (issue 19, part 3): input that is well-formed JSON
but nonsense is refused with a ReportError naming the file, what is wrong and what to do; never a
traceback, never a page, and never a page built on it."""

import contextlib
import errno
import importlib.util
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

from tests.test_peers import PEER_JSON, fixture_with_peers  # noqa: E402
from tests.test_results import write_one_run  # noqa: E402
from wbreport import render, results  # noqa: E402
from wbreport.errors import ReportError  # noqa: E402

GOOD = HERE / "fixtures" / "good"
POINT = "spsc/vec/cap:1024/batch:1/payload:u64/mode:sync/manual_time"


def entry(**fields):
    """The JSON text of repetition 0 of POINT, with these fields (json writes NaN and Infinity as Python reads them)."""
    return json.dumps({"run_name": POINT, "run_type": "iteration", "repetition_index": 0, "msgs_per_s": 1e6, **fields})


def edited_copy(directory, *, bench=None, env=None, files=None):
    """A copy of the good fixture in directory: bench(data) edits bench-system.json, env(data) env.json; files
    replaces files by name with the given text."""
    copy = Path(directory) / "run"
    shutil.copytree(GOOD, copy)
    for name, edit in (("bench-system.json", bench), ("env.json", env)):
        if edit:
            data = json.loads((copy / name).read_text())
            edit(data)
            (copy / name).write_text(json.dumps(data))
    for name, text in (files or {}).items():
        (copy / name).write_text(text)
    return copy


def every_entry_with(counter, value):
    """An edit of a benchmark file: every entry that has the counter gets this value."""
    def edit(data):
        for b in data["benchmarks"]:
            if counter in b:
                b[counter] = value
    return edit


def run_report(*args):
    return subprocess.run([str(REPO / "scripts" / "report"), *args], capture_output=True, text=True)


def report_main(*args):
    """report.py's main(args) in this process: (exit status, what it printed to stderr)."""
    spec = importlib.util.spec_from_file_location("report_under_test", HERE.parent / "report.py")
    report = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(report)
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        status = report.main(list(args))
    return status, stderr.getvalue()


class Refusing(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.count = 0

    def directory(self):
        """A new empty directory per case, so one case's files never answer for another's."""
        self.count += 1
        d = Path(self.tmp.name) / str(self.count)
        d.mkdir()
        return d

    def assertRefused(self, directory, file_name, *words):
        with self.assertRaises(ReportError) as caught:
            results.load(directory)
        self.assertEqual(Path(caught.exception.path).name, file_name, caught.exception)
        for w in words:
            self.assertIn(w, str(caught.exception))
        self.assertTrue(caught.exception.hint, caught.exception)
        return caught.exception


class NotNumbers(Refusing):
    def test_a_counter_that_is_not_a_finite_number_names_the_file_and_benchmark(self):
        for counter in ("msgs_per_s", "ns_per_msg", "real_time", "iterations", "allocs_per_msg"):
            for value, shown in (("fast", 'the text "fast"'), (None, "null"), (math.nan, "NaN"), (math.inf, "Infinity"),
                                 (-math.inf, "-Infinity"), ([1], "a list")):
                with self.subTest(counter=counter, value=value):
                    d = self.directory()
                    write_one_run(d, [entry(**{counter: value})])
                    self.assertRefused(d, "b.json", f"'{counter}' of '{POINT}' (repetition 0) is {shown}")

    def test_a_rate_or_time_of_zero_is_no_measurement(self):
        for counter in ("msgs_per_s", "ns_per_msg", "ns_per_op"):
            with self.subTest(counter=counter):
                d = self.directory()
                write_one_run(d, [entry(**{counter: 0})])
                self.assertRefused(d, "b.json", f"'{counter}' of '{POINT}'", "is 0")
        d = self.directory()
        write_one_run(d, [entry(allocs_per_msg=0.0, spurious_wakes_per_msg=0)])  # a count of 0 is a fine count
        self.assertEqual(results.load(d).runs["system"].points[POINT].values("allocs_per_msg"), [0.0])

    def test_a_baseline_whose_medians_are_zero_is_refused_before_any_ratio(self):
        for counter in ("msgs_per_s", "ns_per_op"):
            with self.subTest(counter=counter):
                zero = edited_copy(self.directory(), bench=every_entry_with(counter, 0.0))
                page = zero.parent / "page.html"
                r = run_report(str(GOOD), "--baseline", str(zero), "--out", str(page))
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(f"{zero}/bench-system.json: '{counter}' of '", r.stderr)
                self.assertIn("report: no page written", r.stderr)
                self.assertNotIn("Traceback", r.stderr)
                self.assertFalse(page.exists())

    def test_wb_bench_context_entries_are_text(self):
        d = self.directory()
        write_one_run(d, [entry()])
        data = json.loads((d / "b.json").read_text())
        data["context"]["wakerbench_scaling_widths"] = [2, 4]
        (d / "b.json").write_text(json.dumps(data))
        self.assertRefused(d, "b.json", "'context.wakerbench_scaling_widths' is a list, expected text")


class WrongTypes(Refusing):
    def test_env_json_fields_of_the_wrong_type_are_named(self):
        cases = [
            (lambda e: e.update(git="a0d8c38"), "'git' is the text \"a0d8c38\", expected an object"),
            (lambda e: e["cpu"].update(usable_cpus="2"), "'cpu.usable_cpus' is the text \"2\", expected a number"),
            (lambda e: e["cpu"].update(usable_cpus=1.5), "'cpu.usable_cpus' is 1.5, expected a whole number"),
            (lambda e: e.update(preset=[3]), "'preset' is a list, expected an object"),
            (lambda e: e["preset"].update(min_time=math.nan), "'preset.min_time' is NaN"),
            (lambda e: e.update(caches=["32K"]), "'caches[0]' is the text \"32K\", expected an object"),
            (lambda e: e["runs"]["system"].update(flags="--pin"), "'runs.system.flags' is the text \"--pin\", expected a list"),
            (lambda e: e["runs"]["system"].update(json=7), "'runs.system.json' is 7, expected text"),
            (lambda e: e["runs"]["jemalloc"].pop("json"), "'runs.jemalloc.json' is missing"),
            (lambda e: e.update(packages=["libbenchmark-dev"]), "'packages' is a list, expected an object"),
            (lambda e: e.update(command=["scripts/sweep"]), "'command' is a list, expected text"),
            (lambda e: e["git"].update(dirty="yes"), "'git.dirty' is the text \"yes\", expected true or false"),
        ]
        for edit, words in cases:
            with self.subTest(words):
                self.assertRefused(edited_copy(self.directory(), env=edit), "env.json", words)

    def test_nesting_too_deep_for_json_is_refused(self):
        d = self.directory()
        (d / "env.json").write_text("[" * 100_000 + "]" * 100_000)
        self.assertRefused(d, "env.json", "nested too deeply")

    def test_an_integer_too_long_for_json_is_refused(self):
        d = self.directory()
        write_one_run(d, [entry()])
        (d / "b.json").write_text((d / "b.json").read_text().replace('"repetition_index": 0', '"repetition_index": ' + "9" * 5000))
        self.assertRefused(d, "b.json", "is not valid JSON")

    def test_correctness_summaries_without_the_fields_the_page_shows(self):
        modelcheck = json.loads((GOOD / "modelcheck.json").read_text())
        stress = json.loads((GOOD / "stress.json").read_text())
        cases = [
            ("modelcheck.json", dict(modelcheck, summary={}), "'summary.checks_passed' is missing"),
            ("modelcheck.json", {k: v for k, v in modelcheck.items() if k != "budget"}, "'budget' is missing"),
            ("modelcheck.json", dict(modelcheck, records=[dict(modelcheck["records"][0], iterations="many")]),
             "'records[0].iterations' is the text \"many\""),
            ("stress.json", dict(stress, rows=[{}]), "'rows[0].impl' is missing"),
            ("stress.json", dict(stress, rows=[dict(stress["rows"][0], items_checked=None)]), "'rows[0].items_checked' is null"),
            ("stress.json", {k: v for k, v in stress.items() if k != "seconds"}, "'seconds' is missing"),
        ]
        for name, doc, words in cases:
            with self.subTest(words):
                self.assertRefused(edited_copy(self.directory(), files={name: json.dumps(doc)}), name, words)

    def test_scripts_report_says_so_without_a_traceback_or_a_page(self):
        stress = json.loads((GOOD / "stress.json").read_text())
        cases = [
            (dict(bench=every_entry_with("msgs_per_s", math.nan)), "bench-system.json: 'msgs_per_s' of '"),
            (dict(env=lambda e: e.update(git="a0d8c38")), "env.json: 'git' is the text"),
            (dict(files={"env.json": "[" * 100_000 + "]" * 100_000}), "env.json: is nested too deeply"),
            (dict(files={"stress.json": json.dumps(dict(stress, rows=[{}]))}), "stress.json: 'rows[0].impl' is missing"),
        ]
        for edits, words in cases:
            with self.subTest(words):
                run = edited_copy(self.directory(), **edits)
                page = run.parent / "page.html"
                r = run_report(str(run), "--out", str(page))
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(f"report: {run}/{words}", r.stderr)
                self.assertTrue(r.stderr.endswith("report: no page written\n"), r.stderr)
                self.assertNotIn("Traceback", r.stderr)
                self.assertFalse(page.exists())


class Nonsense(Refusing):
    """Values of the right type that cannot be: they were accepted, and ranked."""

    def test_negative_numbers_are_refused(self):
        for counter in ("msgs_per_s", "ns_per_op", "allocs_per_msg", "real_time", "iterations"):
            with self.subTest(counter=counter):
                d = self.directory()
                write_one_run(d, [entry(**{counter: -4.36e6})])
                self.assertRefused(d, "b.json", f"'{counter}' of '{POINT}' (repetition 0) is -4360000.0, expected a number of 0 or more")

    def test_a_negative_throughput_never_leads(self):
        # The page said "vec leads with -4.36M msgs/s".
        def negate_vec(data):
            for b in data["benchmarks"]:
                if "/vec/" in b["run_name"] and "msgs_per_s" in b:
                    b["msgs_per_s"] = -b["msgs_per_s"]
        self.assertRefused(edited_copy(self.directory(), bench=negate_vec), "bench-system.json", "'msgs_per_s' of '", "/vec/",
                           "expected a number of 0 or more")

    def test_booleans_are_not_numbers(self):
        # In Python bool is an int: isinstance(True, (int, float)) holds, so true counted as 1.
        for counter, value in (("msgs_per_s", True), ("allocs_per_msg", False), ("iterations", True)):
            with self.subTest(counter=counter):
                d = self.directory()
                write_one_run(d, [entry(**{counter: value})])
                self.assertRefused(d, "b.json", f"'{counter}' of '{POINT}' (repetition 0) is {str(value).lower()} (a boolean), "
                                                "expected a number")
        stress = json.loads((GOOD / "stress.json").read_text())
        for edits, name, words in (
                (dict(env=lambda e: e["cpu"].update(usable_cpus=True)), "env.json", "'cpu.usable_cpus' is true (a boolean)"),
                (dict(env=lambda e: e["preset"].update(repetitions=False)), "env.json", "'preset.repetitions' is false (a boolean)"),
                (dict(files={"stress.json": json.dumps(dict(stress, rows=[dict(stress["rows"][0], failures=False)]))}), "stress.json",
                 "'rows[0].failures' is false (a boolean)")):
            with self.subTest(words):
                self.assertRefused(edited_copy(self.directory(), **edits), name, words)

    def test_a_repetition_listed_twice_is_not_two(self):
        d = self.directory()
        write_one_run(d, [entry(), entry(msgs_per_s=2e6), entry()])
        self.assertRefused(d, "b.json", f"lists repetition 0 of '{POINT}' twice")
        d = self.directory()
        write_one_run(d, [json.dumps({"run_name": POINT, "run_type": "iteration", "msgs_per_s": 1e6})] * 2)
        self.assertRefused(d, "b.json", f"lists '{POINT}' twice without a repetition_index")

        def repeat_first(data):
            data["benchmarks"].append(dict(next(b for b in data["benchmarks"] if "msgs_per_s" in b)))
        self.assertRefused(edited_copy(self.directory(), bench=repeat_first), "bench-system.json", "twice")

    def test_repetitions_of_their_own_are_all_counted(self):
        d = self.directory()
        write_one_run(d, [entry(repetition_index=i, msgs_per_s=1e6 * (i + 1)) for i in range(3)])
        self.assertEqual(results.load(d).runs["system"].points[POINT].values("msgs_per_s"), [1e6, 2e6, 3e6])


class Destination(unittest.TestCase):
    """Where the page goes: refused before the seconds of loading and rendering if it cannot be written
    there (the input is the corrupt fixture, so an error about it shows the input was read first), and
    a write that fails at the end leaves nothing behind."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def assertRefusedFirst(self, out, *words):
        r = run_report(str(HERE / "fixtures" / "corrupt"), "--out", str(out))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(f"report: {out}: cannot be written", r.stderr)
        for w in words:
            self.assertIn(w, r.stderr)
        self.assertNotIn("bench-jemalloc.json", r.stderr)
        self.assertTrue(r.stderr.endswith("report: no page written\n"), r.stderr)
        self.assertNotIn("Traceback", r.stderr)

    def test_out_under_a_regular_file(self):
        (self.tmp / "file").write_text("not a directory")
        self.assertRefusedFirst(self.tmp / "file" / "page.html", f"{self.tmp}/file is a file, not a directory")
        self.assertRefusedFirst(self.tmp / "file" / "deeper" / "page.html", f"{self.tmp}/file is a file, not a directory")
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["file"])

    def test_out_that_is_a_directory(self):
        self.assertRefusedFirst(self.tmp, "is a directory")

    @unittest.skipIf(os.geteuid() == 0, "running as root, whom a read-only mode does not stop writing; "
                                        "test_out_under_a_regular_file covers a destination refused before loading")
    def test_read_only_directory(self):
        read_only = self.tmp / "read-only"
        read_only.mkdir()
        read_only.chmod(0o555)
        self.addCleanup(read_only.chmod, 0o755)
        self.assertRefusedFirst(read_only / "page.html", "Permission denied")

    def test_checking_leaves_no_directory_behind(self):
        r = run_report(str(HERE / "fixtures" / "corrupt"), "--out", str(self.tmp / "new" / "report" / "index.html"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("bench-jemalloc.json: is truncated", r.stderr)
        self.assertEqual(list(self.tmp.iterdir()), [])

    def test_a_full_disk_at_the_end_leaves_the_earlier_page_and_nothing_else(self):
        out = self.tmp / "index.html"
        out.write_text("earlier page")
        full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        # The page's text stands in for rendering it: what is tested is the write.
        with mock.patch.object(render, "page", return_value="<html>page</html>"), mock.patch("os.replace", side_effect=full):
            status, stderr = report_main(str(GOOD), "--out", str(out))
        self.assertEqual(status, 1, stderr)
        self.assertIn(f"report: {out}: could not be written: No space left on device", stderr)
        self.assertTrue(stderr.endswith("report: no page written\n"), stderr)
        self.assertEqual(out.read_text(), "earlier page")
        self.assertEqual(list(self.tmp.iterdir()), [out])


class FileReferences(Refusing):
    """env.json names the files of its run; a name that leads anywhere else would put any file on the machine in the page."""

    NOT_PLAIN = ("/etc/passwd", "../run/bench-system.json", "./bench-system.json", "sub/bench-system.json", "..", ".", "")

    def test_a_run_names_its_files_by_plain_names(self):
        for field in ("json", "log"):
            for name in self.NOT_PLAIN:
                with self.subTest(field=field, name=name):
                    run = edited_copy(self.directory(), env=lambda e: e["runs"]["system"].update({field: name}))
                    self.assertRefused(run, "env.json", f"'runs.system.{field}' is the text {json.dumps(name)}, "
                                                        "expected a plain file name in the results directory")

    def test_a_peer_run_names_its_files_by_plain_names(self):
        for field in ("json", "log"):
            with self.subTest(field=field):
                run = fixture_with_peers(self.directory())
                env = json.loads((run / "env.json").read_text())
                env["peer_runs"]["rust"][field] = f"{run}/{PEER_JSON}"
                (run / "env.json").write_text(json.dumps(env))
                self.assertRefused(run, "env.json", f"'peer_runs.rust.{field}' is the text ", "expected a plain file name")

    def test_a_plain_name_that_links_out_of_the_directory_is_refused(self):
        for name in ("bench-system.json", "bench-system.log"):
            with self.subTest(name):
                run = edited_copy(self.directory())
                outside = run.parent / name
                (run / name).rename(outside)
                (run / name).symlink_to(outside)
                self.assertRefused(run, "env.json", f"'{name}'", "a link out of the results directory")

    def test_a_log_that_is_not_there_is_not_linked(self):
        run = edited_copy(self.directory())
        (run / "bench-system.log").unlink()
        loaded = results.load(run)
        self.assertNotIn("bench-system.log", loaded.files)
        self.assertIn("bench-jemalloc.log", loaded.files)


# Runs report.py (argv[2]) with its arguments (argv[3:]) as if the packages named in argv[1] (comma-separated) were
# not installed: a finder ahead of every other refuses them as a missing package is refused. Nothing is uninstalled.
WITHOUT_PACKAGES = """
import runpy, sys
blocked = set(sys.argv[1].split(","))

class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""
PACKAGES = ("jinja2", "matplotlib", "numpy", "scipy")  # what wbreport imports beyond the standard library


def run_report_without(packages, *args):
    return subprocess.run(["/usr/bin/python3", "-c", WITHOUT_PACKAGES, ",".join(packages), str(HERE.parent / "report.py"), *args],
                          capture_output=True, text=True)


class MissingPackages(unittest.TestCase):
    def test_help_needs_none_of_them(self):
        r = run_report_without(PACKAGES, "--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("usage: scripts/report", r.stdout)
        self.assertIn("--fail-on-regression", r.stdout)

    def test_a_missing_package_is_named_with_where_to_get_it(self):
        with tempfile.TemporaryDirectory() as d:
            page = Path(d) / "page.html"
            for package in PACKAGES:
                with self.subTest(package):
                    r = run_report_without([package], str(GOOD), "--out", str(page))
                    self.assertEqual(r.returncode, 1, r.stderr)
                    self.assertEqual(r.stderr, f"report: the Python package '{package}' is missing (Debian: python3-{package}); "
                                               "run scripts/setup\nreport: no page written\n")
                    self.assertFalse(page.exists())


if __name__ == "__main__":
    unittest.main()
