#!/usr/bin/python3
"""Regenerates the fixture results directories under tests/fixtures/ from a real sweep.

usage: make_fixtures.py RESULTS_DIR

Keeps a small slice of a real sweep (two workloads, four implementations, capacity 1024, batches 1
and 256, u64, both modes, three repetitions, the A/A control's copies at that capacity, the plain-loop
references of the same points in sync mode (reference/<point>), the bursts and the tracer overhead; of the workloads
where waiting dominates, tasks16 at capacity 1 and batch 1, fanout64 and churn16; the wait-list
microbenchmarks of vec, intrusive and eventcount at 16 and 4096 waiters) so the tests read what
wb_bench really writes, then derives the broken directories from it. The sweep needs the quick
preset's points or more (scripts/sweep --preset quick). The count step's count JSON (count-system.json,
env.json's counts) is sliced the same way, every counting process kept (they are its repetitions),
when the sweep counted; a sweep without counts cannot make the fixture. The model-check and stress summaries are
copied when the sweep has them, and otherwise kept from the fixture being replaced (the committed
good/ took one implementation's modelcheck.json from a ctest run and a short wb_stress --json, by
hand). The fixture stands for a clean run: a sweep run on a dirty tree is marked clean here, and
test_provenance dirties it on purpose.
"""

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROWS = r"(vec|intrusive|mutex_condvar|moodycamel_blocking)"
KEEP = re.compile(r"^(?:(spsc|mpsc2)/" + ROWS + r"/cap:1024/batch:(1|256)/payload:u64/mode:|"
                  r"reference/(spsc|mpsc2)/" + ROWS + r"/cap:1024/batch:(1|256)/payload:u64/mode:sync|"
                  r"tasks16/" + ROWS + r"/cap:1/batch:1/|(fanout64|churn16)/" + ROWS + r"/|"
                  r"waitlist/(vec|intrusive|eventcount)/op:[a-z_]+/waiters:(16|4096)(?:/|$)|"
                  r"burst/(vec|intrusive)/|tracer_overhead/)")
# Every workload family the slice keeps: a sweep without one of them cannot make the fixture. The
# second allocator's run needs only the decision box's (at quick it runs those points alone). The
# A/A control's copies of spsc/intrusive at capacity 1024 come with the spsc slice.
FAMILIES = ("spsc/", "mpsc2/", "tasks16/", "fanout64/", "churn16/", "waitlist/", "burst/", "tracer_overhead/")
SECOND_RUN_FAMILIES = ("spsc/", "tasks16/", "fanout64/", "churn16/")
# What the count step counted of the slice (single-threaded points only): a count needs these families.
COUNT_FAMILIES = ("churn16/", "waitlist/", "burst/", "tracer_overhead/")
CORRECTNESS = ("modelcheck.json", "stress.json", "modelcheck-history")
REPETITIONS = 3
# The broken directories are refused before their correctness summaries would be read: leave them out.
BENCHMARKS_ONLY = shutil.ignore_patterns(*CORRECTNESS)


def slice_bench(src, families, repetitions=REPETITIONS):
    """The fixture's text of one benchmark file (its first `repetitions` repetitions, None for all); exits,
    before anything is written, if a family is missing."""
    data = json.loads(Path(src).read_text())
    kept = []
    for b in data["benchmarks"]:
        if not KEEP.match(b["run_name"]) or b["run_type"] != "iteration":
            continue
        if repetitions is not None:
            if b.get("repetition_index", 0) >= repetitions:
                continue
            b["repetitions"] = repetitions
        kept.append(b)
    data["benchmarks"] = kept
    missing = [f for f in families if not any(b["run_name"].startswith(f) for b in kept)]
    if missing:
        sys.exit(f"make_fixtures.py: {src} has no {', '.join(m.rstrip('/') for m in missing)} benchmarks to keep "
                 "(make the fixture from a sweep of the quick preset or a larger one: scripts/sweep --preset quick)")
    # One benchmark per line: small, and a diff shows which entries changed.
    lines = ",\n".join(json.dumps(b) for b in kept)
    return '{"context": ' + json.dumps(data["context"]) + ',\n"benchmarks": [\n' + lines + "\n]}\n"


def slice_counts(src, env):
    """The fixture's count JSON, sliced from the sweep's like its benchmark files (every process kept: they are
    the count's repetitions); env's counts entry is made to describe the slice."""
    counts = env["counts"]
    text = slice_bench(Path(src) / counts["json"], COUNT_FAMILIES, repetitions=None)
    entries = json.loads(text)["benchmarks"]
    names = {b["run_name"] for b in entries}
    skipped = {b["run_name"] for b in entries if b.get("error_occurred")}
    counted = sum(1 for b in entries if not b.get("error_occurred"))
    counts.update(benchmarks=len(names), benchmarks_listed=len(names), repetition_runs=counted, skipped_na=len(skipped), errors=[],
                  executable="wb_bench", filter=env["preset"].get("filter"))
    env["counts_skipped"] = None
    return text


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = Path(sys.argv[1])
    here = Path(__file__).resolve().parent / "fixtures"
    good = here / "good"
    env = json.loads((src / "env.json").read_text())
    sliced = {run["json"]: slice_bench(src / run["json"], FAMILIES if i == 0 else SECOND_RUN_FAMILIES)
              for i, run in enumerate(env["runs"].values())}
    if not env.get("counts"):
        sys.exit(f"make_fixtures.py: {src} was not counted ({env.get('counts_skipped') or 'no count step'}): make the fixture "
                 "from a sweep with its count step (scripts/sweep --preset quick, without --no-count)")
    counts = slice_counts(src, env)
    with tempfile.TemporaryDirectory() as kept:
        for name in CORRECTNESS:  # the correctness summaries of the fixture being replaced
            if (good / name).exists():
                shutil.move(str(good / name), kept)
        shutil.rmtree(here, ignore_errors=True)
        good.mkdir(parents=True)
        if not any((src / name).exists() for name in CORRECTNESS):  # never mix a new summary with an old history
            for name in CORRECTNESS:
                if (Path(kept) / name).exists():
                    shutil.move(str(Path(kept) / name), good)
    env["preset"]["repetitions"] = REPETITIONS
    env["hostname"] = "fixture"
    env["git"].update(dirty=False, changed_files=[])
    for run in env["runs"].values():
        (good / run["json"]).write_text(sliced[run["json"]])
        (good / run["log"]).write_text("(console log not kept in the fixture)\n")
    (good / env["counts"]["json"]).write_text(counts)
    (good / env["counts"]["log"]).write_text("(console log not kept in the fixture)\n")
    (good / "env.json").write_text(json.dumps(env, indent=1) + "\n")
    # The correctness summaries, if the sweep ran them (--correctness); histories cut to 50 lines.
    for name in ("modelcheck.json", "stress.json"):
        if (src / name).is_file():
            shutil.copy(src / name, good / name)
    if (src / "modelcheck-history").is_dir():
        (good / "modelcheck-history").mkdir()
        for h in (src / "modelcheck-history").iterdir():
            lines = h.read_text().splitlines()[:50]
            (good / "modelcheck-history" / h.name).write_text("\n".join(lines) + "\n... (cut to 50 lines for the test fixture)\n")

    corrupt = here / "corrupt"  # a benchmark file cut off mid-way, as an interrupted write leaves it
    shutil.copytree(good, corrupt, ignore=BENCHMARKS_ONLY)
    text = (corrupt / "bench-jemalloc.json").read_text()
    (corrupt / "bench-jemalloc.json").write_text(text[: len(text) // 2])

    incompatible = here / "incompatible"  # env.json from a future schema
    shutil.copytree(good, incompatible, ignore=BENCHMARKS_ONLY)
    env2 = json.loads((incompatible / "env.json").read_text())
    env2["schema"] = 99
    (incompatible / "env.json").write_text(json.dumps(env2, indent=1) + "\n")

    missing = here / "missing-run"  # env.json names a benchmark file that is not there
    shutil.copytree(good, missing, ignore=BENCHMARKS_ONLY)
    (missing / "bench-system.json").unlink()


if __name__ == "__main__":
    main()
