#!/usr/bin/python3
"""Regenerates the fixture results directories under tests/fixtures/ from a real sweep.

usage: make_fixtures.py RESULTS_DIR

Keeps a small slice of a real sweep (two workloads, four implementations, capacity 1024, batches 1
and 256, u64, both modes, three repetitions, the bursts and the tracer overhead) so the tests read
what wb_bench really writes, then derives the broken directories from it. The model-check and
stress summaries are copied when the sweep has them (the committed good/ took one
implementation's modelcheck.json from a ctest run and a short wb_stress --json, by hand).
"""

import json
import re
import shutil
import sys
from pathlib import Path

KEEP = re.compile(r"^(?:(spsc|mpsc2)/(vec|intrusive|mutex_condvar|moodycamel_blocking)/cap:1024/batch:(1|256)/payload:u64/mode:|"
                  r"burst/(vec|intrusive)/|tracer_overhead/)")
REPETITIONS = 3


def slice_bench(src, dst):
    data = json.loads(Path(src).read_text())
    kept = []
    for b in data["benchmarks"]:
        if not KEEP.match(b["run_name"]) or b["run_type"] != "iteration":
            continue
        if b.get("repetition_index", 0) >= REPETITIONS:
            continue
        b["repetitions"] = REPETITIONS
        kept.append(b)
    data["benchmarks"] = kept
    # One benchmark per line: small, and a diff shows which entries changed.
    lines = ",\n".join(json.dumps(b) for b in kept)
    Path(dst).write_text('{"context": ' + json.dumps(data["context"]) + ',\n"benchmarks": [\n' + lines + "\n]}\n")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = Path(sys.argv[1])
    here = Path(__file__).resolve().parent / "fixtures"
    good = here / "good"
    shutil.rmtree(here, ignore_errors=True)
    good.mkdir(parents=True)
    env = json.loads((src / "env.json").read_text())
    env["preset"]["repetitions"] = REPETITIONS
    env["hostname"] = "fixture"
    for run in env["runs"].values():
        slice_bench(src / run["json"], good / run["json"])
        (good / run["log"]).write_text("(console log not kept in the fixture)\n")
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
    shutil.copytree(good, corrupt)
    text = (corrupt / "bench-jemalloc.json").read_text()
    (corrupt / "bench-jemalloc.json").write_text(text[: len(text) // 2])

    incompatible = here / "incompatible"  # env.json from a future schema
    shutil.copytree(good, incompatible)
    env2 = json.loads((incompatible / "env.json").read_text())
    env2["schema"] = 99
    (incompatible / "env.json").write_text(json.dumps(env2, indent=1) + "\n")

    missing = here / "missing-run"  # env.json names a benchmark file that is not there
    shutil.copytree(good, missing)
    (missing / "bench-system.json").unlink()


if __name__ == "__main__":
    main()
