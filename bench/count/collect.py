#!/usr/bin/python3
"""Turns the callgrind dumps of wb_bench --count into the count JSON (count-system.json).

  collect.py --out FILE --tool "valgrind-3.19.0" --option=--tool=callgrind ... PROCESS_DIR...

Each PROCESS_DIR is one counting process's work directory, as scripts/count leaves it: wb_bench
--count's report (raw.json: bench/count/count_reporter.hpp) and callgrind's dumps. Every counted
point ran in a child process of its own (bench/count/zygote.hpp), whose pid the report gives
(count_pid) and whose one dump is callgrind.out.<pid>.1, named after the benchmark ("desc:
Trigger: Client Request: <name>", bench/count/counted_region.hpp). Every process ran the same
points; each becomes one repetition of every point, so the report (and anyone) can see whether
the counts repeat exactly.

The output is Google Benchmark's format, so the report reads it as it reads a timed run: per
point, one entry per process with the raw totals of callgrind's events (Ir, Dr, Dw, I1mr, D1mr,
D1mw, ILmr, DLmr, DLmw, Bc, Bcm, Bi, Bim) and the figures per operation or per message:

  instr_per_op         instructions executed (Ir)
  d1_miss_per_op       first-level data cache misses, reads and writes (D1mr + D1mw)
  ll_miss_per_op       last-level misses, instructions and data (ILmr + DLmr + DLmw)
  branch_miss_per_op   mispredicted branches, conditional and indirect (Bcm + Bim)

(_per_msg instead of _per_op for the channel points and the bursts, whose unit is a delivered
message.) Points wb_bench could not run keep their "n/a: ..." entry. The context is wb_bench's
own, plus the tool, its options and the number of processes.

Refused, with the reason and exit status 1, and nothing written: a directory without raw.json or
with dumps that do not pair one to one with the benchmarks that ran, a point whose counting
failed (its child died: "error: ..." rather than "n/a: ..."), a dump that counted no
instruction (the region was not counted: callgrind ran without --collect-atstart=no, or another
tool ran), events missing from a dump, processes that ran different points. Standard library only.
"""

import argparse
import json
import os
import re
import sys
from pathlib import Path

TRIGGER = "desc: Trigger: Client Request: "
EVENTS = ("Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw", "Bc", "Bcm", "Bi", "Bim")
# figure -> the events it sums
FIGURES = {
    "instr": ("Ir",),
    "d1_miss": ("D1mr", "D1mw"),
    "ll_miss": ("ILmr", "DLmr", "DLmw"),
    "branch_miss": ("Bcm", "Bim"),
}
UNITS = {"ops_counted": "op", "msgs_counted": "msg"}  # wb_bench's counter -> the figures' unit
ITERATIONS_SUFFIX = re.compile(r"/iterations:1$")


class Refused(Exception):
    pass


def read_dump(path):
    """(benchmark name, {event: count}) of one callgrind dump."""
    name, events, summary = None, None, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(TRIGGER):
                name = line[len(TRIGGER):].rstrip("\n")
            elif line.startswith("events:") and events is None:
                events = line.split()[1:]
            elif line.startswith("summary:") and summary is None:
                summary = [int(v) for v in line.split()[1:]]
    if name is None or events is None or summary is None:
        raise Refused(f"{path}: not a callgrind dump of a counted region (no trigger, events or summary line)")
    missing = [e for e in EVENTS if e not in events]
    if missing:
        raise Refused(f"{path}: no {', '.join(missing)} events: callgrind ran without --cache-sim=yes --branch-sim=yes")
    counts = dict(zip(events, summary + [0] * (len(events) - len(summary))))  # callgrind omits trailing zeros
    return name, {e: counts[e] for e in EVENTS}


DUMP_NAME = re.compile(r"^callgrind\.out\.(?P<pid>[0-9]+)\.(?P<n>[0-9]+)$")


def dumps_of(directory):
    """{(pid, n): path} of every numbered dump in a process's directory (each child's end-of-run
    dump, callgrind.out.<pid>, counts nothing and is not read)."""
    out = {}
    for p in directory.glob("callgrind.out.*"):
        m = DUMP_NAME.match(p.name)
        if m:
            out[(int(m["pid"]), int(m["n"]))] = p
    return out


def read_process(directory):
    """(context, [entry]) of one process: every benchmark entry of raw.json, with its child's dump."""
    raw = directory / "raw.json"
    try:
        data = json.loads(raw.read_text(encoding="utf-8"))
        context, benchmarks = data["context"], data["benchmarks"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise Refused(f"{raw}: not complete JSON from wb_bench --count ({e}): the counting process did not finish") from None
    if context.get("wakerbench_counting") != "true":
        raise Refused(f"{raw}: wb_bench did not run with --count")
    dumps = dumps_of(directory)
    claimed = set()
    entries = []
    for b in benchmarks:
        if b.get("run_type", "iteration") != "iteration":
            continue
        name = ITERATIONS_SUFFIX.sub("", b["run_name"])
        entry = {"name": name, "run_name": name, "run_type": "iteration", "family_index": b.get("family_index"),
                 "iterations": 1}
        if b.get("error_occurred"):
            message = b.get("error_message", "")
            if not message.startswith("n/a"):
                raise Refused(f"{raw}: {message or name + ' failed without a message'}")
            entry.update(error_occurred=True, error_message=message)
            entries.append(entry)
            continue
        pid = int(b.get("count_pid", 0))
        mine = sorted(n for (p, n) in dumps if p == pid)
        if mine != [1]:
            raise Refused(f"{directory}: '{name}' ran in process {pid}, which left {len(mine)} dumps where one was due "
                          "(callgrind.out.%p: each counted point dumps once)")
        claimed.add((pid, 1))
        dumped, events = read_dump(dumps[(pid, 1)])
        if dumped != name:
            raise Refused(f"{dumps[(pid, 1)]} is of '{dumped}', where '{name}' ran")
        unit_counters = [(UNITS[k], b[k]) for k in UNITS if k in b]
        if len(unit_counters) != 1 or not unit_counters[0][1] > 0:
            raise Refused(f"{raw}: '{name}' says neither how many operations nor how many messages it counted")
        unit, units = unit_counters[0]
        if events["Ir"] == 0:
            raise Refused(f"{directory}: '{name}' counted no instruction: collection was never on inside its region "
                          "(run callgrind with --collect-atstart=no, as scripts/count does)")
        entry[f"{unit}s_counted"] = units
        for figure, summed in FIGURES.items():
            entry[f"{figure}_per_{unit}"] = sum(events[e] for e in summed) / units
        entry.update({f"total_{e}": v for e, v in events.items()})
        entries.append(entry)
    unclaimed = sorted(set(dumps) - claimed)
    if unclaimed:
        raise Refused(f"{directory}: {len(unclaimed)} dumps no benchmark ran for (the first: {dumps[unclaimed[0]].name})")
    if not entries:
        raise Refused(f"{raw}: no benchmark ran: the filter matched nothing wb_bench --count can count")
    return context, entries


def agreement(processes):
    """(points compared, points where every event agrees, {event: (points differing, largest
    absolute difference, where)}) over the points every process counted."""
    compared = identical = 0
    differing = {}
    for rows in zip(*processes):
        counted = [r for r in rows if "total_Ir" in r]
        if len(counted) < 2:
            continue
        compared += 1
        same = True
        for e in EVENTS:
            values = [r[f"total_{e}"] for r in counted]
            spread = max(values) - min(values)
            if spread:
                same = False
                points, largest, where = differing.get(e, (0, 0, None))
                if spread > largest:
                    largest, where = spread, f"{counted[0]['name']}: {min(values)} to {max(values)}"
                differing[e] = (points + 1, largest, where)
        identical += same
    return compared, identical, differing


def collect(out, tool, options, directories):
    processes, context = [], None
    for directory in directories:
        ctx, entries = read_process(Path(directory))
        context = context or ctx
        processes.append(entries)
    names = [[e["name"] for e in p] for p in processes]
    for i, other in enumerate(names[1:], 2):
        if other != names[0]:
            raise Refused(f"process {i} ran other points than process 1: their counts cannot be compared")
    benchmarks = []
    for rows in zip(*processes):
        for index, row in enumerate(rows):
            benchmarks.append({**row, "repetitions": len(rows), "repetition_index": index})
    compared, identical, differing = agreement(processes)
    context = dict(context)
    context.update(wakerbench_count_tool=tool, wakerbench_count_options=" ".join(options),
                   wakerbench_count_processes=str(len(processes)))
    tmp = Path(str(out) + ".partial")
    tmp.write_text(json.dumps({"context": context, "benchmarks": benchmarks}, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, out)
    counted = sum(1 for e in processes[0] if "total_Ir" in e)
    print(f"collect: {counted} points counted ({len(processes[0]) - counted} n/a) in {len(processes)} processes -> {out}")
    if len(processes) > 1:
        print(f"collect: the {len(processes)} processes agree in every event at {identical} of {compared} points")
        for e, (points, largest, where) in differing.items():
            print(f"collect: {e} differs at {points} points, by at most {largest} in a whole region ({where})")


def main(argv):
    p = argparse.ArgumentParser(prog="collect.py", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--out", required=True, help="the count JSON to write (atomically)")
    p.add_argument("--tool", required=True, help="valgrind's version line, for the context")
    p.add_argument("--option", action="append", default=[], metavar="=OPT",
                   help="an option valgrind ran with, for the context (write --option=--tool=callgrind)")
    p.add_argument("processes", nargs="+", metavar="PROCESS_DIR")
    a = p.parse_args(argv)
    try:
        collect(a.out, a.tool, a.option, a.processes)
    except Refused as e:
        print(f"collect: {e}", file=sys.stderr)
        print("collect: nothing written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
