#!/usr/bin/python3
"""Checks a tiny wb_peers run (rust_tiny_run.sh): its Google Benchmark JSON, console log and progress ticks.

- context: Google Benchmark's machine keys and the wakerbench_* keys, with the toolchain and the
  crate versions as built (each version must be a crate directory in Debian's registry);
- entries: every listed name has exactly REPETITIONS iteration entries, repetition_index 0..R-1,
  named as the report parses point names; measured ones carry wb_bench's counters (finite,
  consistent with each other) and the "waits/wakes n/a" label, and their aggregates follow; the
  points a peer cannot run are error entries whose message starts "n/a:"; nothing else failed;
- the report's own reader (reports/wbreport) places every entry as a point, with its reason or its
  repetitions;
- the console has a line per repetition; the progress file a byte per repetition.

Standard library only; run with Debian's /usr/bin/python3.
"""

import argparse
import json
import math
import os
import re
import sys
import tempfile
from collections import defaultdict

REGISTRY = "/usr/share/cargo/registry"
CONTEXT_KEYS = ["date", "host_name", "executable", "num_cpus", "mhz_per_cpu", "cpu_scaling_enabled", "caches",
                "load_avg", "library_build_type", "wakerbench_allocator", "wakerbench_peers",
                "wakerbench_peer_toolchain", "wakerbench_peer_crates", "wakerbench_warmup_rounds", "wakerbench_cpus",
                "wakerbench_pinned"]
PEERS = ["crossbeam", "flume", "async_channel", "tokio"]
CRATES = ["crossbeam-channel", "flume", "async-channel", "tokio"]
COUNTERS = ["msgs_per_s", "ns_per_msg", "msgs_per_s_mean", "rounds", "round_messages", "allocs_per_msg",
            "bytes_per_msg", "ctx_switches_per_msg"]
AGGREGATES = ["mean", "median", "stddev", "cv"]

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)
    return condition


def check_context(context):
    for key in CONTEXT_KEYS:
        check(key in context, f"context lacks {key}")
    check(context.get("wakerbench_peers") == ",".join(PEERS), f"wakerbench_peers is {context.get('wakerbench_peers')!r}")
    toolchain = str(context.get("wakerbench_peer_toolchain", ""))
    check(re.match(r"rustc \d+\.\d+\.\d+.*, cargo \d+\.\d+\.\d+", toolchain), f"wakerbench_peer_toolchain is {toolchain!r}")
    crates = str(context.get("wakerbench_peer_crates", ""))
    versions = dict(part.split(" ", 1) for part in crates.split(", ") if " " in part)
    check(list(versions) == CRATES, f"wakerbench_peer_crates names {list(versions)}, not {CRATES}: {crates!r}")
    for crate, version in versions.items():
        check(os.path.isdir(f"{REGISTRY}/{crate}-{version}"),
              f"wakerbench_peer_crates says {crate} {version}, which is not in {REGISTRY}")
    check(context.get("wakerbench_allocator") == "glibc", "wakerbench_allocator is not glibc")
    check(context.get("wakerbench_warmup_rounds") == "1", "wakerbench_warmup_rounds is not '1'")
    check(context.get("wakerbench_pinned") in ("true", "false"), "wakerbench_pinned is not 'true' or 'false'")
    check(isinstance(context.get("num_cpus"), int) and context["num_cpus"] >= 1, "num_cpus is not a count")


def check_measured(entry):
    name = entry["name"]
    for counter in COUNTERS:
        value = entry.get(counter)
        if not check(isinstance(value, (int, float)) and math.isfinite(value) and value >= 0,
                     f"{name}: counter {counter} is {value!r}"):
            return
    check(entry["msgs_per_s"] > 0 and entry["real_time"] > 0, f"{name}: no throughput")
    check(abs(entry["msgs_per_s"] * entry["ns_per_msg"] - 1e9) < 1e3, f"{name}: msgs_per_s and ns_per_msg disagree")
    check(entry["iterations"] == entry["rounds"] >= 1, f"{name}: iterations {entry['iterations']} != rounds {entry['rounds']}")
    check(entry.get("time_unit") == "ns", f"{name}: time_unit is not ns")
    check(str(entry.get("label", "")).startswith("waits/wakes n/a: "), f"{name}: label is {entry.get('label')!r}")
    check("waits_per_msg" not in entry, f"{name}: a waits_per_msg counter no peer can count")


def check_entries(benchmarks, names, repetitions, point_name):
    by_name = defaultdict(list)
    aggregates = defaultdict(list)
    for entry in benchmarks:
        if entry.get("run_type") == "iteration":
            by_name[entry["run_name"]].append(entry)
        elif entry.get("run_type") == "aggregate":
            aggregates[entry["run_name"]].append(entry["aggregate_name"])
        else:
            check(False, f"entry with run_type {entry.get('run_type')!r}: {entry.get('name')}")
    check(set(by_name) == set(names), f"JSON names differ from the listing: {sorted(set(by_name) ^ set(names))}")
    na = measured = 0
    for name, entries in by_name.items():
        check(point_name.match(name), f"{name}: the report cannot parse this name")
        check(sorted(e["repetition_index"] for e in entries) == list(range(repetitions)),
              f"{name}: repetition indexes {[e['repetition_index'] for e in entries]}")
        for e in entries:
            check(e["name"] == name and e["repetitions"] == repetitions and e["threads"] == 1, f"{name}: header fields")
            if e.get("error_occurred"):
                message = str(e.get("error_message", ""))
                if check(message.startswith("n/a: "), f"{name}: FAILED: {message}"):
                    na += 1
            else:
                check_measured(e)
                measured += 1
        if all(not e.get("error_occurred") for e in entries) and repetitions >= 2:
            check(aggregates[name] == AGGREGATES, f"{name}: aggregates {aggregates[name]}")
    return na, measured


def check_with_report_reader(reports, json_path, names):
    """The report's own reader places every entry (reports/wbreport/results.py, as scripts/report reads a run)."""
    sys.path.insert(0, reports)
    from wbreport import results  # noqa: E402 (the path is known only now)

    with tempfile.TemporaryDirectory() as directory:
        os.symlink(os.path.abspath(json_path), os.path.join(directory, "peers.json"))
        run = results.read_run(directory, "rust", {"json": "peers.json"})
    check(set(run.points) == set(names), "the report's reader did not place every entry as a point")
    for name, series in run.points.items():
        if "/tokio/" in name and name.startswith("mpmc"):
            check(series.na_reason and "tokio" in series.na_reason, f"{name}: the reader sees no n/a reason")
        else:
            check(series.why_missing is None, f"{name}: the reader says {series.why_missing}")
    return results.POINT_NAME


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--json", required=True)
    p.add_argument("--names", required=True, help="wb_peers --benchmark_list_tests output for the same filter")
    p.add_argument("--console", required=True)
    p.add_argument("--ticks", required=True, help="the WAKERBENCH_PROGRESS_FILE of the run")
    p.add_argument("--repetitions", type=int, required=True)
    p.add_argument("--reports", required=True, help="the repository's reports/ directory")
    a = p.parse_args()

    with open(a.names, encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip()]
    check(len(names) == 8, f"the tiny filter should list 8 benchmarks, listed {len(names)}")
    with open(a.json, encoding="utf-8") as f:
        doc = json.load(f)
    check_context(doc.get("context", {}))
    point_name = check_with_report_reader(a.reports, a.json, names)
    na, measured = check_entries(doc.get("benchmarks", []), names, a.repetitions, point_name)
    # mpmc2x2 on tokio (one receiver) is n/a; the other six points run.
    check(na == 2 * a.repetitions and measured == 6 * a.repetitions, f"{na} n/a and {measured} measured repetitions")

    with open(a.console, encoding="utf-8") as f:
        first_words = [line.split(None, 1)[0] for line in f if line.strip()]
    check(sorted(first_words) == sorted(names * a.repetitions), "the console does not have one line per repetition")
    ticks = os.path.getsize(a.ticks)
    check(ticks == len(names) * a.repetitions, f"{ticks} progress ticks for {len(names)} x {a.repetitions} repetitions")

    if problems:
        for problem in problems:
            print(f"FAIL: {problem}", file=sys.stderr)
        return 1
    print(f"ok: {len(names)} benchmarks x {a.repetitions} repetitions ({measured} measured, {na} n/a), "
          f"context {doc['context']['wakerbench_peer_crates']}; read by the report as points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
