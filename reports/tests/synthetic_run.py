#!/usr/bin/python3
"""Writes a results directory the size of a real sweep, with synthetic but plausible numbers, so the
page's budgets (bytes, charts, load time) are tested on a page as big as a real one without running
a benchmark.

usage: synthetic_run.py NAMES OUT_DIR [--repetitions N] [--fixture DIR]

NAMES is what `wb_bench --benchmark_list_tests=true --benchmark_filter=REGEX` prints (one benchmark
name a line), so the run has exactly the points of the wb_bench under test and this script lists
none itself. Every name gets N repetitions (default 10) in each run the fixture's env.json names
(system and jemalloc), as Google Benchmark iteration entries with the counters of the fixture's
entries of the same family (tests/fixtures/good, a slice of a real sweep): for each name, the
values of the most similar fixture benchmark, scaled by a factor drawn from the name and with a
few percent of noise per repetition, seeded by the name (the same input gives the same run). A
name is n/a where the fixture says so for its row and mode (the baselines have no async API;
moodycamel_blocking cannot be bounded; a baseline's burst). A plain-loop reference (reference/<point>)
is modelled on its point: the same counters and n/a, messages/s 0 to 8% above the point's (the harness's
cost). env.json is the fixture's, with this run's repetitions.

If the fixture was counted (env.json's counts), so is the synthetic run: every name the count step
would count (one thread: the wait-list microbenchmarks, the bursts, the tracer, seq and churn; no
reference or A/A copy) gets the entries of COUNT_PROCESSES processes in the count JSON, modelled on
the fixture's count of the most similar benchmark and scaled as its time is (a costlier point
executes more), n/a where its timed point is; the processes agree exactly but for a few
mispredicted branches at one point in BRANCH_NOISE_EVERY, as real counts do.
"""

import argparse
import json
import math
import random
import re
import shutil
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wbreport import results  # noqa: E402
from wbreport.counts import COUNT_EVENTS, FIGURE_EVENTS  # noqa: E402
from wbreport.workloads import parse, threads, waiting_dominates  # noqa: E402

NOISE = 0.04  # the coefficient of variation of a timed counter across repetitions
COUNT_PROCESSES = 2      # scripts/count's processes: the count JSON's repetitions
BRANCH_NOISE_EVERY = 20  # one counted point in this many has processes that differ in a few mispredicted branches
SUFFIX = re.compile(r"/(manual_time|real_time|iterations:1)$")  # what timed names carry and count names do not
# Counters that are exact counts or facts of the point, not timings: copied without noise.
EXACT = re.compile(r"^(allocs_per_|bytes_per_|list_heap_bytes|pool_threads|round_messages|waiters|wait_list_bytes|allocator_in_use)")


def describe(name):
    """(kind, key) of a benchmark name: the kind groups names whose entries share a counter set."""
    for kind, pattern in (("point", results.POINT_NAME), ("reference", results.REFERENCE_NAME), ("burst", results.BURST_NAME),
                          ("tracer", results.TRACER_NAME), ("waitlist", results.WAITLIST_NAME)):
        m = pattern.match(name)
        if m:
            key = {k: v for k, v in m.groupdict().items() if v is not None}
            if kind in ("point", "reference"):
                w = parse(key["workload"])
                key["family"] = w.family or key["workload"]
                key["group"] = "waiting" if waiting_dominates(key["workload"]) else "threads"
                key["bounded"] = key["cap"] != "unbounded"
            return kind, key
    raise SystemExit(f"synthetic_run.py: '{name}' is not a benchmark name the report knows (a newer wb_bench?)")


class Fixture:
    """The fixture's iteration entries, by name, with what is n/a where."""

    def __init__(self, directory):
        env = json.loads((directory / "env.json").read_text())
        self.env = env
        self.contexts = {}
        self.series = {}  # name -> (kind, key, [counter dicts])
        self.na = []      # (kind, key, message)
        self.count_context = None  # the count JSON's context, if the fixture was counted
        self.counts = {}           # name -> (kind, key, [counted entries])
        if env.get("counts"):
            data = json.loads((directory / env["counts"]["json"]).read_text())
            self.count_context = data["context"]
            for b in data["benchmarks"]:
                if not b.get("error_occurred"):
                    kind, key = describe(b["run_name"])
                    self.counts.setdefault(b["run_name"], (kind, key, []))[2].append(b)
        for allocator, run in env["runs"].items():
            data = json.loads((directory / run["json"]).read_text())
            self.contexts[allocator] = data["context"]
            if allocator != next(iter(env["runs"])):
                continue  # the first run's numbers are the templates of both
            for b in data["benchmarks"]:
                if b["run_type"] != "iteration":
                    continue
                kind, key = describe(b["run_name"])
                if b.get("error_occurred"):
                    self.na.append((kind, key, b["error_message"]))
                    continue
                counters = {k: v for k, v in b.items() if isinstance(v, (int, float)) and k not in ENTRY_FIELDS}
                self.series.setdefault(b["run_name"], (kind, key, []))[2].append(counters)

    def na_reason(self, kind, key):
        """The fixture's n/a message for this row and mode, if it has one: one of the same kind (for a point, also
        bounded or not and the same group of families); or, where the fixture has no benchmark of this kind for the
        row at all (a burst of a baseline), one of any kind with the same row and mode."""
        same = lambda k: k.get("impl") == key.get("impl") and k.get("mode") == key.get("mode")  # noqa: E731
        for k_kind, k, message in self.na:
            if same(k) and k_kind == kind and all(k.get(f) == key.get(f) for f in ("bounded", "group")):
                return message
        known = [(k_kind, k) for k_kind, k, _ in self.na] + [(k_kind, k) for k_kind, k, _ in self.series.values()]
        if any(k_kind == kind and k.get("impl") == key.get("impl") for k_kind, k in known):
            return None
        return next((message for _, k, message in self.na if same(k)), None)

    def template(self, kind, key, among=None):
        """The fixture benchmark most like this one (of the timed ones, or those `among` given: the counts): same kind,
        then as many of its fields as possible."""
        among = self.series if among is None else among
        fields = ("family", "group", "impl", "strategy", "op", "mode", "batch", "cap", "waiters", "what", "variant")
        candidates = [(sum(k.get(f) == key.get(f) for f in fields if f in key), name)
                      for name, (k_kind, k, _) in among.items() if k_kind == kind]
        if not candidates:
            raise SystemExit(f"synthetic_run.py: the fixture has no {kind} benchmark to model {key} on")
        return among[max(candidates)[1]]


# Fields of an entry that are not counters.
ENTRY_FIELDS = {"family_index", "per_family_instance_index", "repetitions", "repetition_index", "threads", "iterations", "real_time",
                "cpu_time"}


def factor(*parts):
    """A deterministic factor in [0.6, 1.6) for a row or point: rows differ, and not in the fixture's order."""
    return 0.6 + (zlib.crc32("/".join(parts).encode()) % 1000) / 1000


def plain_loop_speedup(point, allocator):
    """A reference's msgs/s over its harness point's: a deterministic 1.0 to 1.08, the harness costing a few percent."""
    return 1 + (zlib.crc32(f"{allocator}/reference/{point}".encode()) % 80) / 1000


def scales(kind, key, t_key, allocator, point):
    """(scale, point scale) of a benchmark modelled on the fixture's t_key: its time is the template's x scale /
    point scale, its rate the inverse. The row's factor unless it is the template's own row; the wait list's length
    (a longer list costs more per operation); the allocator and the point move it a little too."""
    scale = 1.0 if (t_key.get("impl"), t_key.get("strategy")) == (key.get("impl"), key.get("strategy")) else factor(
        key.get("impl") or key.get("strategy") or "")
    if kind == "waitlist" and t_key["waiters"] != key["waiters"]:
        scale *= math.sqrt(int(key["waiters"]) / int(t_key["waiters"]))
    return scale, factor(allocator, point) ** 0.25


def countable(kind, key):
    """Whether the count step counts this benchmark: it runs on one thread, and is no plain-loop reference or A/A copy."""
    if kind == "point":
        return "aa" not in key and threads(key["workload"]) == 1
    return kind in ("waitlist", "burst", "tracer")


def count_entries(name, index, fixture, allocator):
    """The count JSON's entries of one benchmark, a process each, modelled on the fixture's count of the most similar."""
    kind, key = describe(name)
    name = SUFFIX.sub("", name)
    base = {"name": name, "run_name": name, "run_type": "iteration", "family_index": index, "iterations": 1,
            "repetitions": COUNT_PROCESSES}
    reason = fixture.na_reason(kind, key)
    if reason:
        return [dict(base, repetition_index=i, error_occurred=True, error_message=reason) for i in range(COUNT_PROCESSES)]
    _, t_key, reps = fixture.template(kind, key, fixture.counts)
    scale, point_scale = scales(kind, key, t_key, allocator, name)
    template = reps[0]
    unit_counter = next(c for c in ("ops_counted", "msgs_counted") if c in template)
    units, unit = template[unit_counter], unit_counter[:-len("s_counted")]
    totals = {e: round(template[f"total_{e}"] * scale / point_scale) for e in COUNT_EVENTS}
    totals["Ir"] = max(totals["Ir"], 1)
    out = []
    for i in range(COUNT_PROCESSES):
        events = dict(totals, Bcm=totals["Bcm"] + (2 * i if zlib.crc32(name.encode()) % BRANCH_NOISE_EVERY == 0 else 0))
        figures = {f"{figure}_per_{unit}": sum(events[e] for e in summed) / units for figure, summed in FIGURE_EVENTS.items()}
        out.append(dict(base, repetition_index=i, **{unit_counter: units}, **figures, **{f"total_{e}": v for e, v in events.items()}))
    return out


def entries(name, index, fixture, repetitions, allocator):
    kind, key = describe(name)
    base = {"name": name, "family_index": index, "per_family_instance_index": 0, "run_name": name, "run_type": "iteration",
            "repetitions": repetitions, "threads": 1, "time_unit": "ns"}
    # A plain-loop reference is its point measured another way: the point's n/a, counters and scale, a few percent faster.
    reference = kind == "reference"
    point = name.removeprefix(results.REFERENCE_PREFIX) if reference else name
    kind = "point" if reference else kind
    reason = fixture.na_reason(kind, key)
    if reason:
        return [dict(base, repetition_index=i, error_occurred=True, error_message=reason, iterations=0, real_time=0.0, cpu_time=0.0)
                for i in range(repetitions)]
    t_kind, t_key, reps = fixture.template(kind, key)
    medians = {c: sorted(r[c] for r in reps)[len(reps) // 2] for c in reps[0]}
    scale, point_scale = scales(kind, key, t_key, allocator, point)
    rng = random.Random(zlib.crc32(f"{allocator}/{name}".encode()))
    if reference:
        point_scale *= plain_loop_speedup(point, allocator)
    out = []
    for i in range(repetitions):
        noise = math.exp(rng.gauss(0, NOISE))
        counters = {}
        for c, v in medians.items():
            if EXACT.match(c):
                counters[c] = v
            elif c in ("msgs_per_s", "cancels_per_s"):
                counters[c] = v * noise * point_scale / scale
            else:  # times, and counts per message or wait that vary from one repetition to the next
                counters[c] = v * noise * (scale / point_scale if c.startswith("ns_") or c.endswith("_ns") else 1.0)
        if "msgs_per_s" in counters and "ns_per_msg" in counters:
            counters["ns_per_msg"] = 1e9 / counters["msgs_per_s"]
            if counters.get("waits_per_msg"):
                counters["ns_per_wait"] = counters["ns_per_msg"] / counters["waits_per_msg"]
        real = counters.get("ns_per_op", counters.get("ns_per_msg", 1000.0))
        out.append(dict(base, repetition_index=i, iterations=1000, real_time=real, cpu_time=real, **counters))
    return out


def main(argv):
    parser = argparse.ArgumentParser(prog="synthetic_run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", type=Path, help="wb_bench --benchmark_list_tests=true output")
    parser.add_argument("out", type=Path, help="the results directory to write (replaced if it exists)")
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--fixture", type=Path, default=HERE / "fixtures" / "good")
    args = parser.parse_args(argv)
    names = [line.strip() for line in args.names.read_text().splitlines() if line.strip()]
    if not names:
        raise SystemExit(f"synthetic_run.py: {args.names} lists no benchmark")
    fixture = Fixture(args.fixture)
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    env = json.loads(json.dumps(fixture.env))
    env["hostname"] = "synthetic"
    env["command_line"] = ["reports/tests/synthetic_run.py", str(args.names), str(args.out)]
    env["command"] = " ".join(env["command_line"])
    env["preset"]["repetitions"] = args.repetitions
    for allocator, run in env["runs"].items():
        benchmarks = [e for i, name in enumerate(names) for e in entries(name, i, fixture, args.repetitions, allocator)]
        text = '{"context": ' + json.dumps(fixture.contexts[allocator]) + ',\n"benchmarks": [\n' + \
            ",\n".join(json.dumps(b) for b in benchmarks) + "\n]}\n"
        (args.out / run["json"]).write_text(text)
        (args.out / run["log"]).write_text("(synthetic: no console log)\n")
    if env.get("counts"):  # the fixture was counted: count what the count step would, in its allocator's run
        allocator = env["counts"].get("allocator") or "system"
        counted = [e for i, name in enumerate(names) if countable(*describe(name)) for e in count_entries(name, i, fixture, allocator)]
        text = '{"context": ' + json.dumps(fixture.count_context) + ',\n"benchmarks": [\n' + ",\n".join(json.dumps(b) for b in counted) + "\n]}\n"
        (args.out / env["counts"]["json"]).write_text(text)
        (args.out / env["counts"]["log"]).write_text("(synthetic: no console log)\n")
        print(f"synthetic_run.py: {len(counted) // COUNT_PROCESSES} benchmarks counted x {COUNT_PROCESSES} processes in "
              f"{args.out / env['counts']['json']}")
    (args.out / "env.json").write_text(json.dumps(env, indent=1) + "\n")
    print(f"synthetic_run.py: {len(names)} benchmarks x {args.repetitions} repetitions x {len(env['runs'])} runs in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
