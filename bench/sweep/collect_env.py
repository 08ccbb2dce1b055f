#!/usr/bin/python3
"""Writes and completes env.json, the record of where and how a sweep ran.

  collect_env.py collect --out env.json [options] -- ARGV...
      before the benchmarks run: machine (CPU, cores, caches, kernel, governor, memory, hostname),
      build (compiler and flags from CMakeCache.txt), Debian package versions, git revision,
      the preset, the executables, the start time and the sweep's command line (ARGV).
  collect_env.py finish --env env.json --end EPOCH [--phase NAME=SECONDS] [--result NAME=JSON]
      after they ran: end time, wall seconds, per-phase seconds, and for each Google Benchmark
      JSON file: that it parses, how many benchmarks and runs it holds, which were skipped as
      "n/a:" and which reported any other error (printed as warnings).

Anything that cannot be read is recorded as null with the reason next to it, never guessed.
Standard library only; run with Debian's /usr/bin/python3.
"""

import argparse
import datetime
import glob
import hashlib
import json
import os
import platform
import re
import shlex
import socket
import subprocess
import sys

PACKAGES = ["libbenchmark-dev", "libjemalloc-dev", "libjemalloc2", "libconcurrentqueue-dev",
            "libboost-dev", "libc6", "g++"]
CMAKE_KEYS = ["CMAKE_CXX_COMPILER", "CMAKE_CXX_FLAGS", "CMAKE_CXX_FLAGS_RELEASE", "CMAKE_BUILD_TYPE"]
CPU_SYS = "/sys/devices/system/cpu"


def utc(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().strip()


def run(argv, cwd=None, strip=True):
    """stdout of argv (stripped unless strip is False), or None if it cannot run or fails."""
    try:
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() if strip else done.stdout


def size_bytes(text):
    m = re.fullmatch(r"(\d+)\s*([KMG]?)", text)
    if not m:
        return None
    return int(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m.group(2)]


def cpu():
    info = {"model": None, "logical_cpus": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)),
            "online": None, "physical_cores": None, "sockets": None}
    try:
        info["online"] = read(f"{CPU_SYS}/online")
    except OSError:
        pass
    try:
        cpuinfo = read("/proc/cpuinfo")
    except OSError:
        return info
    cores, sockets = set(), set()
    for block in cpuinfo.split("\n\n"):
        fields = dict(line.split(":", 1) for line in block.splitlines() if ":" in line)
        fields = {k.strip(): v.strip() for k, v in fields.items()}
        info["model"] = info["model"] or fields.get("model name")
        if "physical id" in fields and "core id" in fields:
            cores.add((fields["physical id"], fields["core id"]))
            sockets.add(fields["physical id"])
    if cores:
        info["physical_cores"], info["sockets"] = len(cores), len(sockets)
    return info


def caches():
    """Level, type and size of each cache cpu0 sees, or (None, reason)."""
    found = []
    for index in sorted(glob.glob(f"{CPU_SYS}/cpu0/cache/index[0-9]*")):
        try:
            entry = {"level": int(read(f"{index}/level")), "type": read(f"{index}/type"),
                     "size": read(f"{index}/size")}
        except (OSError, ValueError) as e:
            return None, f"cannot read {index}: {e}"
        entry["size_bytes"] = size_bytes(entry["size"])
        for extra in ("shared_cpu_list", "coherency_line_size", "ways_of_associativity"):
            try:
                entry[extra] = read(f"{index}/{extra}")
            except OSError:
                entry[extra] = None
        found.append(entry)
    if not found:
        return None, f"no {CPU_SYS}/cpu0/cache/index* entries"
    return found, None


def governor():
    """The cpufreq scaling governor (one value, or cpuN=value pairs if CPUs differ), or (None, reason)."""
    if not os.path.isdir(f"{CPU_SYS}/cpu0/cpufreq"):
        return None, f"no {CPU_SYS}/cpu0/cpufreq: no cpufreq driver (usual in virtual machines)"
    values = {}
    for path in sorted(glob.glob(f"{CPU_SYS}/cpu[0-9]*/cpufreq/scaling_governor")):
        try:
            values[path.split("/")[-3]] = read(path)
        except OSError as e:
            return None, f"cannot read {path}: {e.strerror}"
    if not values:
        return None, f"cpufreq present but no scaling_governor under {CPU_SYS}/cpu*/cpufreq"
    if len(set(values.values())) == 1:
        return next(iter(values.values())), None
    return ", ".join(f"{c}={v}" for c, v in sorted(values.items(), key=lambda kv: int(kv[0][3:]))), None


def memory_total_bytes():
    try:
        for line in read("/proc/meminfo").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def cmake_cache(path):
    """CMAKE_KEYS from CMakeCache.txt at path, or (None, reason)."""
    if not path:
        return None, "no CMakeCache.txt found for the executables"
    try:
        text = read(path)
    except OSError as e:
        return None, f"cannot read {path}: {e.strerror}"
    values = {}
    for line in text.splitlines():
        m = re.match(r"([A-Za-z_][A-Za-z0-9_]*):[A-Z]+=(.*)$", line)
        if m and m.group(1) in CMAKE_KEYS:
            values[m.group(1)] = m.group(2)
    return {key: values.get(key) for key in CMAKE_KEYS}, None


def compiler(path):
    if not path:
        return {"path": None, "resolved": None, "version": None, "version_line": None}
    line = run([path, "--version"])
    return {"path": path, "resolved": os.path.realpath(path), "version": run([path, "-dumpfullversion"]),
            "version_line": line.splitlines()[0] if line else None}


def packages():
    """Installed version of each package (None if not installed)."""
    versions = {}
    for pkg in PACKAGES:
        out = run(["dpkg-query", "-W", "-f=${db:Status-Status} ${Version}\n", pkg])
        found = [line.split(" ", 1)[1] for line in (out or "").splitlines()
                 if line.startswith("installed ")]
        versions[pkg] = ", ".join(sorted(set(found))) or None
    return versions


def git(repo):
    revision = run(["git", "rev-parse", "HEAD"], cwd=repo)
    if revision is None:
        return {"revision": None, "short": None, "branch": None, "dirty": None, "changed_files": None,
                "reason": f"{repo} is not a git checkout (or git is missing)"}
    status = run(["git", "status", "--porcelain"], cwd=repo, strip=False)  # keep the leading column
    changed = status.splitlines() if status else []
    return {"revision": revision, "short": run(["git", "rev-parse", "--short", "HEAD"], cwd=repo),
            "branch": run(["git", "symbolic-ref", "--short", "-q", "HEAD"], cwd=repo),
            "dirty": bool(changed) if status is not None else None,
            "changed_files": changed[:100], "reason": None}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def pairs(items, what):
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            sys.exit(f"collect_env: {what} needs NAME=VALUE, got '{item}'")
        out[key] = value
    return out


def collect(a):
    cache_values, cache_reason = cmake_cache(a.cmake_cache)
    cache_list, cache_list_reason = caches()
    gov, gov_reason = governor()
    uname = platform.uname()
    runs = {}
    listed = {k: int(v) for k, v in pairs(a.listed, "--listed").items()}
    run_filters = pairs(a.run_filter, "--run-filter")
    for name, exe in pairs(a.run, "--run").items():
        runs[name] = {"executable": os.path.abspath(exe), "sha256": sha256(exe),
                      "json": f"bench-{name}.json", "log": f"bench-{name}.log",
                      "benchmarks_listed": listed.get(name), "flags": a.bench_arg,
                      "filter": run_filters.get(name, a.filter) or None}
    # Peer runs (scripts/lib/sweep_peers.sh): run as peers-<name>, their points read into the run of
    # the allocator they use (the Rust peers: Rust's System allocator, glibc malloc, as wb_bench's).
    peer_runs = {}
    for name, exe in pairs(a.peer_run, "--peer-run").items():
        run_name = f"peers-{name}"
        peer_runs[name] = {"executable": os.path.abspath(exe), "sha256": sha256(exe),
                           "json": f"bench-{run_name}.json", "log": f"bench-{run_name}.log", "allocator": "system",
                           "benchmarks_listed": listed.get(run_name),
                           "flags": [f for f in a.bench_arg if not f.startswith("--min_time_for=")],
                           "filter": run_filters.get(run_name, a.filter) or None}
    # The count step (scripts/count, bench/count/): wb_bench --count under callgrind, after the
    # timed runs, over the single-threaded points of the system run's selection.
    counts = None
    if a.count_run:
        counts = {"executable": os.path.abspath(a.count_run), "sha256": sha256(a.count_run),
                  "json": "count-system.json", "log": "count.log", "allocator": "system",
                  "benchmarks_listed": listed.get("count"), "filter": run_filters.get("system", a.filter) or None}
    env = {
        "schema": 1,
        "hostname": socket.gethostname(),
        "command_line": a.argv,
        "command": shlex.join(a.argv),
        "start_utc": utc(a.start),
        "end_utc": None,
        "wall_seconds": None,
        "phase_seconds": {},
        "preset": {"name": a.preset, "repetitions": a.repetitions, "min_time": a.min_time,
                   "decision_min_time": a.decision_min_time,
                   "filter": a.filter or None, "filter_from": a.filter_from},
        "git": git(a.repo),
        "cpu": cpu(),
        "caches": cache_list,
        "caches_reason": cache_list_reason,
        "governor": gov,
        "governor_reason": gov_reason,
        "kernel": {"release": uname.release, "version": uname.version, "machine": uname.machine},
        "memory_total_bytes": memory_total_bytes(),
        "cmake_cache": a.cmake_cache or None,
        "flags": cache_values,
        "flags_reason": cache_reason,
        "compiler": compiler(cache_values.get("CMAKE_CXX_COMPILER") if cache_values else None),
        "packages": packages(),
        "runs": runs,
        "peer_runs": peer_runs,
        "peers_skipped": pairs(a.peer_skipped, "--peer-skipped"),
        "counts": counts,
        "counts_skipped": a.count_skipped,
    }
    write(a.out, env)


def summarize(path):
    """What a Google Benchmark JSON file holds; exits 1 if it does not parse."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        benchmarks = data["benchmarks"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.exit(f"collect_env: {path} is not complete Google Benchmark JSON: {e}")
    names, skipped, errors = set(), set(), {}
    iterations = 0
    for b in benchmarks:
        name = b.get("run_name", b.get("name"))
        names.add(name)
        if b.get("error_occurred"):
            message = b.get("error_message", "")
            if message.startswith("n/a:"):
                skipped.add(name)
            else:
                errors[name] = message
        elif b.get("run_type", "iteration") == "iteration":
            iterations += 1
    return {"benchmarks": len(names), "repetition_runs": iterations, "skipped_na": len(skipped),
            "errors": [{"name": n, "message": m} for n, m in sorted(errors.items())]}


def finish(a):
    with open(a.env, encoding="utf-8") as f:
        env = json.load(f)
    start = datetime.datetime.strptime(env["start_utc"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()
    env["end_utc"] = utc(a.end)
    env["wall_seconds"] = round(a.end - (a.start if a.start is not None else start), 1)
    env["phase_seconds"].update({k: round(float(v), 1) for k, v in pairs(a.phase, "--phase").items()})
    results = [(env["runs"], name, path) for name, path in pairs(a.result, "--result").items()]
    results += [(env.setdefault("peer_runs", {}), name, path) for name, path in pairs(a.peer_result, "--peer-result").items()]
    if a.count_result:  # env["counts"] itself, updated in place like a run's entry
        results.append(({"count": env["counts"]}, "count", a.count_result))
    for runs, name, path in results:
        summary = summarize(path)
        runs.setdefault(name, {}).update(summary)
        listed = runs[name].get("benchmarks_listed")
        print(f"{name}: {summary['benchmarks']} benchmarks ({summary['skipped_na']} n/a), "
              f"{summary['repetition_runs']} {'counting' if name == 'count' else 'timed'} runs, {len(summary['errors'])} errors")
        if listed is not None and listed != summary["benchmarks"]:
            print(f"WARNING: {name}: {listed} benchmarks were listed but {summary['benchmarks']} "
                  "reported", file=sys.stderr)
        for e in summary["errors"]:
            print(f"WARNING: {name}: {e['name']}: {e['message']}", file=sys.stderr)
    write(a.env, env)
    return 0


def write(path, env):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(env, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect", help="write env.json before the runs")
    c.add_argument("--out", required=True)
    c.add_argument("--repo", required=True, help="the checkout whose git revision is recorded")
    c.add_argument("--cmake-cache", default="", help="CMakeCache.txt of the build ('' if none)")
    c.add_argument("--preset", required=True)
    c.add_argument("--repetitions", type=int, required=True)
    c.add_argument("--min-time", type=float, required=True)
    c.add_argument("--decision-min-time", type=float, default=None,
                   help="the min time of the decision box's points, where the preset gives them their own")
    c.add_argument("--filter", default="", help="the regex the runs use ('' = every benchmark)")
    c.add_argument("--filter-from", choices=["preset", "--filter"], required=True)
    c.add_argument("--start", type=float, required=True, help="sweep start, epoch seconds")
    c.add_argument("--run", action="append", default=[], metavar="NAME=EXECUTABLE")
    c.add_argument("--peer-run", action="append", default=[], metavar="NAME=EXECUTABLE",
                   help="a peer run (bench-peers-NAME.json), read into the system allocator's run")
    c.add_argument("--peer-skipped", action="append", default=[], metavar="NAME=WHY", help="a peer run not made, and why")
    c.add_argument("--count-run", metavar="EXECUTABLE", help="the count step will count this wb_bench (count-system.json)")
    c.add_argument("--count-skipped", metavar="WHY", help="the count step will not run, and why")
    c.add_argument("--listed", action="append", default=[], metavar="NAME=COUNT")
    c.add_argument("--run-filter", action="append", default=[], metavar="NAME=REGEX",
                   help="the filter run NAME used, where it differs from --filter ('' = every benchmark)")
    c.add_argument("--bench-arg", action="append", default=[], metavar="=FLAG",
                   help="a flag every run gets (write --bench-arg=--benchmark_...)")
    c.add_argument("argv", nargs="*", help="the sweep's command line, after --")
    f = sub.add_parser("finish", help="complete env.json after the runs")
    f.add_argument("--env", required=True)
    f.add_argument("--start", type=float, help="sweep start, epoch seconds (default: start_utc)")
    f.add_argument("--end", type=float, required=True, help="sweep end, epoch seconds")
    f.add_argument("--phase", action="append", default=[], metavar="NAME=SECONDS")
    f.add_argument("--result", action="append", default=[], metavar="NAME=JSON")
    f.add_argument("--peer-result", action="append", default=[], metavar="NAME=JSON")
    f.add_argument("--count-result", metavar="JSON", help="the count step's count-system.json")
    a = p.parse_args()
    return collect(a) if a.cmd == "collect" else finish(a)


if __name__ == "__main__":
    sys.exit(main())
