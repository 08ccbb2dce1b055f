"""Reads and validates a results directory written by scripts/sweep.

A directory holds env.json (schema 1: provenance, and which benchmark JSON files each run wrote)
and one Google Benchmark JSON file per allocator. Peers (channels people already use, issue 17)
come two ways: as implementations of wb_bench itself, named in its context's wakerbench_peers
(the C++ tbb peer), and as runs of their own (env.json's peer_runs: the Rust peers' wb_peers, in
the same format and names), whose points join the run of the allocator they used; a peer run the
sweep could not make is in peers_skipped with the reason. Everything is checked before anything is
rendered: a missing file, corrupt or truncated JSON, a schema this reader does not know, a
benchmark name it cannot parse, or a value not of the shape declared here (checks.py: a counter
that is NaN or text, an env.json field of the wrong type) raises ReportError naming the file.

wb_bench also describes itself in its context (bench/context.hpp): its registry of implementations
(wakerbench_impls), its wait-list microbenchmarks' strategies (wakerbench_waitlists) and the shape of
every workload it registered (wakerbench_workloads), each a JSON document in a string. They are read
and checked here like the rest; the order and styles of implementations (ordering.ImplOrder) and
the workloads' thread counts (workloads.py) come from them, so the report keeps no list of its own.

The count step (scripts/count, bench/count/collect.py) writes one more file in the same format:
the single-threaded points counted under callgrind (env.json's counts), read by the same reader
into Results.counts, or the reason it did not run (counts_skipped). A count is believed only if it
is one: the file must say it was counted (wakerbench_counting), every counted entry must carry its
unit and figures with a positive instruction count, and at least one point must be counted (a
check that checked nothing fails).
"""

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .checks import AMOUNT, COUNT, FILE_NAME, POSITIVE, Each, Maybe, check, inside, problem
from .counts import COUNT_EVENTS, COUNT_FIGURES, COUNT_UNITS, Counts
from .errors import ReportError
from .ordering import ImplOrder

SCHEMA = 1  # the env.json schema this reader understands (bench/sweep/collect_env.py writes it)

# <workload>/<impl>/cap:<c>/batch:<b>/payload:<p>/mode:<m>[/aa:<copy>][/manual_time]. /aa:<copy>
# marks the A/A control: a point measured again under another name (bench/controls.cpp), which the
# report compares with itself to learn how often its method calls identical things different.
_POINT_FIELDS = (r"(?P<workload>[a-z0-9_]+)/(?P<impl>[a-z0-9_]+)/cap:(?P<cap>[0-9]+|unbounded)/batch:(?P<batch>[0-9]+)"
                 r"/payload:(?P<payload>[a-z0-9_]+)/mode:(?P<mode>sync|async)")
POINT_NAME = re.compile(rf"^{_POINT_FIELDS}(?:/aa:(?P<aa>[0-9]+))?(?:/manual_time)?$")
# reference/<point>[/manual_time]: the same point driven by a plain loop instead of the harness
# (bench/reference.hpp), so the report can show what the harness itself costs (harness_cost.py).
# No /aa: part: the A/A control copies points, not their references.
REFERENCE_PREFIX = "reference/"
REFERENCE_NAME = re.compile(rf"^{REFERENCE_PREFIX}{_POINT_FIELDS}(?:/manual_time)?$")
MIN_TIME_SEGMENT = re.compile(r"/min_time:[0-9.]+(?=/|$)")
BURST_NAME = re.compile(r"^burst/(?P<impl>[a-z0-9_]+)/waiters:(?P<waiters>[0-9]+)/mode:(?P<mode>sync|async)(?:/iterations:1)?$")
TRACER_NAME = re.compile(r"^tracer_overhead/(?P<what>[a-z0-9_]+)/(?P<variant>traced|untraced)$")
# waitlist/<strategy>/op:<op>/waiters:<N>[/real_time]: one wait list driven on one thread, no channel
WAITLIST_NAME = re.compile(r"^waitlist/(?P<strategy>[a-z0-9_]+)/op:(?P<op>[a-z0-9_]+)/waiters:(?P<waiters>[0-9]+)(?:/real_time)?$")


@dataclass
class Series:
    """One benchmark in one run: its repetitions (counters of each), or the reason it could not run."""

    name: str
    key: dict
    repetitions: list = field(default_factory=list)  # list of dicts (Google Benchmark's iteration entries)
    na_reason: str | None = None
    error: str | None = None  # an error that is not an n/a declaration: a real failure
    family_index: int | None = None  # Google Benchmark's registration index: wb_bench's order, whatever order the entries ran in

    def values(self, counter):
        return [r[counter] for r in self.repetitions if counter in r]

    @property
    def why_missing(self):
        """Why this benchmark has no numbers ('n/a: ...' as wb_bench declared it, or 'error: ...'), or None if it has them."""
        if self.na_reason:
            return self.na_reason
        if self.error or not self.repetitions:
            return f"error: {self.error or 'no repetitions'}"
        return None


@dataclass
class Run:
    """One executable's benchmarks (an allocator)."""

    allocator: str
    path: Path
    context: dict
    points: dict = field(default_factory=dict)  # name -> Series for workload points
    bursts: dict = field(default_factory=dict)
    tracer: dict = field(default_factory=dict)
    waitlists: dict = field(default_factory=dict)  # name -> Series for the wait-list microbenchmarks
    controls: dict = field(default_factory=dict)   # name -> Series for the A/A control copies (key["aa"] is the copy)
    references: dict = field(default_factory=dict)  # name -> Series for the plain-loop references (reference/<point>)
    # What wb_bench says about itself (bench/context.hpp), read from the context; empty for a run written before it did.
    impls: list = field(init=False)           # wakerbench_impls: the registry's entries (dicts): rows, baselines, peers, in order
    waitlist_names: list = field(init=False)  # wakerbench_waitlists: the wait-list microbenchmarks' strategies, in order
    workloads: dict = field(init=False)       # wakerbench_workloads: workload name -> its entry (dict)

    def __post_init__(self):
        # Read on construction, so a run made by hand (the tests) is read the same way as a loaded one.
        self.impls = _context_document(self.path, self.context, "wakerbench_impls", IMPL_SHAPE)
        self.waitlist_names = _context_document(self.path, self.context, "wakerbench_waitlists", str)
        self.workloads = {w["name"]: w for w in _context_document(self.path, self.context, "wakerbench_workloads", WORKLOAD_SHAPE)}


# The fields of the context's documents this report uses (bench/context.hpp writes more).
IMPL_SHAPE = {"name": str, "list": str, "core": str}
WORKLOAD_SHAPE = {"name": str, "family": str, "width": COUNT, "threads": COUNT, "waiting_dominates": bool, "on_pool": bool}


def _context_document(path, context, key, shape):
    """The JSON list in the string context[key], of entries of this shape (checks.py); [] if the run
    has no such key (written before wb_bench described itself)."""
    if key not in context:
        return []
    try:
        doc = json.loads(context[key])
    except (TypeError, json.JSONDecodeError) as e:
        raise ReportError(path, f"has a context '{key}' that is not a JSON document ({e})", "it was not written by wb_bench") from None
    bad = [entry for entry in doc if problem(entry, shape)] if isinstance(doc, list) else [doc]
    if bad:
        raise ReportError(path, f"has a context '{key}' this report cannot read: {json.dumps(bad[0])[:120]}",
                          "it comes from an incompatible version of wb_bench")
    return doc


@dataclass
class PeerSource:
    """Where some peers came from: wb_bench itself, or a peer run (rust); or why a peer run was skipped."""

    name: str
    peers: list = field(default_factory=list)  # the implementations it measured
    context: dict = field(default_factory=dict)  # its JSON's context (toolchain, crate versions)
    skipped: str | None = None


@dataclass
class Results:
    directory: Path
    env: dict
    runs: dict  # allocator -> Run, in env.json's order
    files: list  # every file the page links to, relative to directory
    modelcheck: dict | None = None  # wb_modelcheck --json, if the sweep ran the model checks
    stress: dict | None = None      # wb_stress --json, if the sweep ran the stress suite
    peer_sources: list = field(default_factory=list)  # PeerSource, wb_bench's first
    counts: Run | None = None         # the count step's count JSON (check_counts), None if it did not run
    counts_skipped: str | None = None  # why the sweep skipped the count step, if it said

    @property
    def counts_recorded(self):
        """Whether env.json says anything about the count step (a run written before it says nothing)."""
        return "counts" in self.env or "counts_skipped" in self.env

    @cached_property
    def counted(self):
        """The count figures of every counted point (counts.Counts), made once like impl_order; None
        if the run has no counts."""
        return Counts(self.counts) if self.counts is not None else None

    def counted_for(self, allocator):
        """The counts of the run of this allocator (counted), or None: the count step counts one wb_bench."""
        counted = self.counted
        return counted if counted is not None and counted.allocator == allocator else None

    @property
    def peers(self):
        """Every implementation that is a peer: shown for reference, never picked."""
        return set(self.peers_in_order)

    @property
    def peers_in_order(self):
        """The peers, wb_bench's own first, then each peer run's, in the order they name them."""
        return list(dict.fromkeys(p for source in self.peer_sources for p in source.peers))

    @property
    def baselines(self):
        """Every implementation that is a baseline, as wb_bench's context names them (wakerbench_baselines);
        for results written before it named them, the two it had then."""
        return set(self.baselines_in_order)

    @property
    def baselines_in_order(self):
        named = [run.context["wakerbench_baselines"] for run in self.runs.values() if "wakerbench_baselines" in run.context]
        if not named:
            return list(BASELINES_BEFORE_CONTEXT)
        return list(dict.fromkeys(b for text in named for b in _names(text)))

    @cached_property
    def impl_order(self):
        """The order and places of the implementations (ordering.ImplOrder), made once: every section
        sorts by it and every chart styles by it, so all agree. It is the Results' own rather than
        module state set per render, so two results directories in one process (a run and its
        --baseline, or the tests' many) never share one, and a section called on its own (a test)
        sorts as it does on the page. Made on first use: build a Results whole before asking."""
        return ImplOrder.of(self)


# The baselines of every wb_bench that did not yet write wakerbench_baselines into its context.
BASELINES_BEFORE_CONTEXT = ("mutex_condvar", "moodycamel_blocking")


def _names(text):
    return [n for n in str(text).split(",") if n]


def peer_names(context):
    """The peers a run's context names (wakerbench_peers: comma-separated)."""
    return _names(context.get("wakerbench_peers", ""))


# What the correctness section reads of wb_modelcheck --json and wb_stress --json (correctness.py, status.py, the template).
MODELCHECK_SHAPE = {
    "budget": str, "seconds": AMOUNT,
    "summary": {"checks_passed": COUNT, "checks_failed": COUNT, "seeded_bugs_found": COUNT, "seeded_bugs": COUNT},
    "records": [{"kind": str, "impl": str, "scenario": str, "result": Maybe(str), "ok": Maybe(bool), "iterations": Maybe(COUNT),
                 "seconds": Maybe(AMOUNT), "history": Maybe(str), "fault": Maybe(str)}],
}
STRESS_SHAPE = {
    "seconds": AMOUNT, "base_seed": COUNT,
    "rows": [{"impl": str, "runs": COUNT, "items_checked": COUNT, "items_per_minute": AMOUNT, "tasks_cancelled": COUNT,
              "cancelled_inside_an_operation": COUNT, "failures": COUNT,
              "failed_runs": [{"seed": COUNT, "failures": [str], "replay": str}]}],
}


def read_optional(directory, name, tool, shape):
    """A tool's JSON summary if the sweep wrote one (None if not), checked like the rest."""
    path = Path(directory) / name
    if not path.exists():
        return None
    doc = read_json(path)
    hint = f"it should hold what `{tool} --json` writes"
    if not isinstance(doc, dict) or doc.get("tool") != tool:
        raise ReportError(path, f"is not a {tool} summary", hint)
    if doc.get("schema") != 1:
        raise ReportError(path, f"has schema {doc.get('schema')!r}, and this report reads schema 1", "it comes from an incompatible version")
    return check(doc, shape, path, hint)


def read_json(path):
    path = Path(path)
    if not path.is_file():
        raise ReportError(path, "no such file", "is this a results directory written by scripts/sweep?")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ReportError(path, f"cannot be read: {e}") from None
    if not text.strip():
        raise ReportError(path, "is empty", "the run that wrote it may have been interrupted; run it again")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        # A file cut off mid-write fails at its end, or no longer ends where a JSON document does.
        truncated = e.pos >= len(text.rstrip()) - 1 or not text.rstrip().endswith(("}", "]"))
        what = "is truncated" if truncated else "is not valid JSON"
        raise ReportError(path, f"{what} (line {e.lineno}, column {e.colno}: {e.msg})", "run the sweep again") from None
    except RecursionError:
        raise ReportError(path, "is nested too deeply to read", "no file scripts/sweep writes is: run the sweep again") from None
    except ValueError as e:  # what json itself refuses past the grammar, such as an integer of over 4300 digits
        raise ReportError(path, f"is not valid JSON ({e})", "run the sweep again") from None


def _require(path, obj, key, kind):
    if not isinstance(obj, dict) or key not in obj:
        raise ReportError(path, f"has no '{key}'", "it was not written by this version of scripts/sweep")
    if not isinstance(obj[key], kind):
        raise ReportError(path, f"'{key}' is a {type(obj[key]).__name__}, expected a {kind.__name__}")
    return obj[key]


# The fields of env.json the report reads (bench/sweep/collect_env.py writes them, and more): anything
# but "runs" may be missing or null, and the page then says "unknown" or "not recorded". The files a
# run names are plain names in the results directory (FILE_NAME).
ENV_SHAPE = {
    "runs": Each({"json": FILE_NAME, "log": Maybe(FILE_NAME), "flags": Maybe([str])}),
    "peer_runs": Maybe(Each({"json": FILE_NAME, "log": Maybe(FILE_NAME), "allocator": str})),
    "peers_skipped": Maybe(Each(str)),
    # The count step (scripts/count): its count JSON and log, the allocator of the wb_bench it counted, and
    # after the run what it held; or why it was skipped. A run written before the step has neither key.
    "counts": Maybe({"json": FILE_NAME, "log": Maybe(FILE_NAME), "allocator": Maybe(str), "benchmarks": Maybe(COUNT),
                     "skipped_na": Maybe(COUNT), "errors": Maybe([{"name": str, "message": str}])}),
    "counts_skipped": Maybe(str),
    "command": Maybe(str), "start_utc": Maybe(str), "end_utc": Maybe(str),
    "git": Maybe({"revision": Maybe(str), "reason": Maybe(str), "dirty": Maybe(bool), "changed_files": Maybe([str])}),
    "cpu": Maybe({"model": Maybe(str), "usable_cpus": Maybe(COUNT), "logical_cpus": Maybe(COUNT)}),
    "caches": Maybe([{"level": Maybe(COUNT), "type": Maybe(str), "size": Maybe(str)}]), "caches_reason": Maybe(str),
    "compiler": Maybe({"version_line": Maybe(str), "version": Maybe(str)}),
    "flags": Maybe(Each(Maybe(str))), "flags_reason": Maybe(str),
    "kernel": Maybe({"release": Maybe(str), "machine": Maybe(str)}),
    "governor": Maybe(str), "governor_reason": Maybe(str),
    "packages": Maybe(Each(Maybe(str))),
    "preset": Maybe({"name": Maybe(str), "repetitions": Maybe(COUNT), "min_time": Maybe(AMOUNT), "decision_min_time": Maybe(AMOUNT)}),
}
REWRITE = "it was not written by this version of scripts/sweep, or was edited since: run the sweep again"


def read_env(directory):
    path = Path(directory) / "env.json"
    env = read_json(path)
    if not isinstance(env, dict):
        raise ReportError(path, "is not a JSON object")
    schema = env.get("schema")
    if schema != SCHEMA:
        raise ReportError(
            path,
            f"has schema {schema!r}, and this report reads schema {SCHEMA}",
            "it comes from an incompatible version of wakerbench: report it with that version's scripts/report",
        )
    return check(env, ENV_SHAPE, path, REWRITE)


# Google Benchmark's fields of an entry that are text (or the one that is true or false); every other
# field is a number: a count of its own (iterations, repetition_index) or a counter.
ENTRY_TEXT = {"name", "run_name", "run_type", "time_unit", "label", "error_message", "aggregate_name", "aggregate_unit"}
ENTRY_FLAGS = {"error_occurred"}
# The rates and times the report divides by or takes the logarithm of (ratios, geometric means, the
# time per message): 0 in a repetition that ran is no measurement at all.
NONZERO_COUNTERS = {"msgs_per_s", "ns_per_msg", "ns_per_op"}


def _check_entry(path, name, entry):
    ran = not entry.get("error_occurred")
    within = f"'{name}'" + (f" (repetition {entry['repetition_index']})" if "repetition_index" in entry else "")
    for key, value in entry.items():
        shape = (str if key in ENTRY_TEXT else bool if key in ENTRY_FLAGS
                 else POSITIVE if ran and key in NONZERO_COUNTERS else AMOUNT)
        check(value, shape, path, "wb_bench never writes such a value: run the sweep again", where=key, within=within)


def _check_once(path, name, entry, seen):
    """A repetition listed twice (files joined, or an entry copied) would count as one more repetition.
    An entry is the same repetition when all of it is the same: name and repetition_index alone do not
    tell, since wb_bench's own output can repeat them (registry/add_row's -O0 sweep did, in two
    measurements that differed)."""
    repetition = entry.get("repetition_index")
    identity = (name, json.dumps(entry, sort_keys=True))
    if identity in seen:
        listed = f"repetition {repetition} of '{name}'" if repetition is not None else f"'{name}'"
        raise ReportError(path, f"lists {listed} twice" + ("" if repetition is not None else " without a repetition_index"),
                          "each repetition is one entry in what wb_bench writes: run the sweep again rather than joining files")
    seen.add(identity)


# The values of wb_bench's own context entries (wakerbench_*) are text (bench/context.hpp), read as such.
CONTEXT_SHAPE = Each(str)


def _series_key(path, name):
    for kind, pattern in (("point", POINT_NAME), ("reference", REFERENCE_NAME), ("burst", BURST_NAME), ("tracer", TRACER_NAME),
                          ("waitlist", WAITLIST_NAME)):
        m = pattern.match(name)
        if m:
            return kind, m.groupdict()
    raise ReportError(path, f"has a benchmark named '{name}', which this report cannot place",
                      "it comes from an incompatible version of wb_bench")


def read_run(directory, allocator, description):
    path = Path(directory) / description["json"]
    data = read_json(path)
    context = _require(path, data, "context", dict)
    check({k: v for k, v in context.items() if k.startswith("wakerbench_")}, CONTEXT_SHAPE, path, REWRITE, where="context")
    benchmarks = _require(path, data, "benchmarks", list)
    run = Run(allocator=allocator, path=path, context=context)
    tables = {"point": run.points, "burst": run.bursts, "tracer": run.tracer, "waitlist": run.waitlists, "control": run.controls,
              "reference": run.references}
    seen = set()  # (name, the whole entry): each repetition of a benchmark is one entry
    for entry in benchmarks:
        if not isinstance(entry, dict) or "run_name" not in entry or "run_type" not in entry:
            raise ReportError(path, f"has a benchmark entry without run_name/run_type: {json.dumps(entry)[:120]}")
        if entry["run_type"] != "iteration":
            continue  # aggregates are recomputed from the repetitions
        # A benchmark given its own min time (wb_bench --min_time_for) carries "/min_time:<s>" in its
        # name; the point is the same whatever the preset, so the name is read without it.
        name = MIN_TIME_SEGMENT.sub("", check(entry["run_name"], str, path, REWRITE, where="run_name"))
        _check_entry(path, name, entry)
        _check_once(path, name, entry, seen)
        kind, key = _series_key(path, name)
        if kind == "point" and key.get("aa") is not None:
            kind = "control"  # kept apart: no table or chart shows a control copy as a point of its own
        series = tables[kind].setdefault(name, Series(name=name, key=key, family_index=entry.get("family_index")))
        if entry.get("error_occurred"):
            message = str(entry.get("error_message", ""))
            if message.startswith("n/a"):
                series.na_reason = message
            else:
                series.error = message or "failed without a message"
            continue
        series.repetitions.append(entry)
    return run


def load(directory):
    directory = Path(directory)
    if not directory.is_dir():
        raise ReportError(directory, "no such directory", "pass a directory written by scripts/sweep (results/<time>-<sha>)")
    env = read_env(directory)
    runs = {}
    files = ["env.json"]
    for allocator, description in env["runs"].items():
        runs[allocator] = _read_listed_run(directory, allocator, description, f"runs.{allocator}", files)
    if not runs:
        raise ReportError(directory / "env.json", "lists no runs", "the sweep wrote no benchmark results")
    peer_sources = [PeerSource(f"wb_bench ({allocator})", peer_names(run.context), run.context) for allocator, run in runs.items()
                    if peer_names(run.context)][:1]
    peer_sources += read_peer_runs(directory, env, runs, files)
    modelcheck = read_optional(directory, "modelcheck.json", "wb_modelcheck", MODELCHECK_SHAPE)
    stress = read_optional(directory, "stress.json", "wb_stress", STRESS_SHAPE)
    files += [name for name, doc in (("modelcheck.json", modelcheck), ("stress.json", stress)) if doc is not None]
    files += [log for log in ("modelcheck.log", "stress.log") if (directory / log).is_file()]
    counts = read_counts(directory, env, files)
    return Results(directory=directory, env=env, runs=runs, files=files, modelcheck=modelcheck, stress=stress,
                   peer_sources=peer_sources, counts=counts, counts_skipped=env.get("counts_skipped"))


def _read_listed_run(directory, allocator, description, where, files):
    """The run env.json lists at where (runs.<allocator> or peer_runs.<name>): its files checked to be the
    results directory's own before anything is read, and added to files (the page links to them)."""
    _own_file(directory, description["json"], f"{where}.json")
    log = description.get("log")
    linked_log = log is not None and _own_file(directory, log, f"{where}.log").is_file()  # a missing log is not linked
    run = read_run(directory, allocator, description)
    files.append(run.path.name)
    if linked_log:
        files.append(log)
    return run


def _own_file(directory, name, where):
    """The file env.json names at where (its name checked by ENV_SHAPE), refused if a link leads it out of directory."""
    return inside(directory, name, Path(directory) / "env.json", where, "a run's files are its own: run the sweep again")


def read_peer_runs(directory, env, runs, files):
    """The peer runs' points, merged into the run of the allocator each used; a PeerSource per peer run."""
    env_path = Path(directory) / "env.json"
    sources = []
    for name, description in (env.get("peer_runs") or {}).items():
        allocator = description["allocator"]
        if allocator not in runs:
            raise ReportError(env_path, f"peer run '{name}' used allocator '{allocator}', which no run of wb_bench has",
                              "it was not written by this version of scripts/sweep")
        peer_run = _read_listed_run(directory, allocator, description, f"peer_runs.{name}", files)
        into = runs[allocator]
        for table in ("points", "references", "controls"):
            mine, theirs = getattr(into, table), getattr(peer_run, table)
            clash = sorted(set(mine) & set(theirs))
            if clash:
                raise ReportError(peer_run.path, f"measures '{clash[0]}', which {into.path.name} measures too",
                                  "a peer's name must not be a row's")
            mine.update(theirs)
        sources.append(PeerSource(name, peer_names(peer_run.context), peer_run.context))
    for name, why in (env.get("peers_skipped") or {}).items():
        sources.append(PeerSource(name, skipped=str(why)))
    return sources


RECOUNT = "run the count step again: scripts/sweep, or scripts/count"


def read_counts(directory, env, files):
    """The count JSON env.json's counts names (a Run, read like a timed run), checked by check_counts, its
    file and log added to files; None if the sweep did not count."""
    description = env.get("counts")
    if not description:
        return None
    path = _own_file(directory, description["json"], "counts.json")
    if not path.is_file():
        raise ReportError(path, "no such file, though env.json's counts names it",
                          f"the count step was interrupted or the file was removed: {RECOUNT}")
    return check_counts(_read_listed_run(directory, description.get("allocator") or "system", description, "counts", files))


def check_counts(run):
    """run, if it is a count: counted by wb_bench --count, every counted entry with one unit (ops_counted or
    msgs_counted, above 0), its four figures and callgrind's totals, instructions above 0; and at least
    one point counted. A ReportError naming the file and the first entry that is not, otherwise."""
    if run.context.get("wakerbench_counting") != "true":
        raise ReportError(run.path, "is not a count: its context lacks wakerbench_counting \"true\" (it was not written by "
                                    "wb_bench --count under scripts/count)", RECOUNT)
    counted = 0
    for table in (run.points, run.waitlists, run.bursts, run.tracer, run.controls, run.references):
        for series in table.values():
            for entry in series.repetitions:
                _check_counted(run.path, series.name, entry)
            counted += bool(series.repetitions)
    if not counted:
        raise ReportError(run.path, "counts no point: every entry is n/a or failed, so there is nothing to show or compare",
                          f"a check that checked nothing fails: {RECOUNT}")
    return run


def _check_counted(path, name, entry):
    within = f"'{name}'" + (f" (repetition {entry['repetition_index']})" if "repetition_index" in entry else "")
    units = [counter for counter in COUNT_UNITS if counter in entry]
    if len(units) != 1:
        raise ReportError(path, f"{within} says {'neither' if not units else 'both'} how many operations (ops_counted) "
                                f"{'nor' if not units else 'and'} how many messages (msgs_counted) it counted", RECOUNT)
    check(entry[units[0]], POSITIVE, path, RECOUNT, where=units[0], within=within)
    unit = COUNT_UNITS[units[0]]
    for field_name in [f"{figure}_per_{unit}" for figure in COUNT_FIGURES] + [f"total_{e}" for e in COUNT_EVENTS]:
        if field_name not in entry:
            raise ReportError(path, f"{within} has no '{field_name}': a count without its figures and callgrind's totals", RECOUNT)
    check(entry[f"instr_per_{unit}"], POSITIVE, path, f"a counted region executes instructions: {RECOUNT}",
          where=f"instr_per_{unit}", within=within)
