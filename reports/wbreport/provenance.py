"""Section 1: where the numbers come from, and the warnings a reader needs before trusting them."""

from .stats import NOISY_CV, summarize

# Threads each workload runs (bench/spec.hpp): producers + consumers, or the one thread of seq.
WORKLOAD_THREADS = {"seq": 1, "spsc": 2, "ping_pong": 2, "mpsc2": 3, "mpsc4": 5, "mpmc2x2": 4, "mpmc4x4": 8}


def _cpu(env):
    cpu = env.get("cpu") or {}
    return cpu.get("model", "unknown"), cpu.get("usable_cpus") or cpu.get("logical_cpus")


def rows(results):
    """(label, value) pairs, in the order the page shows them. Missing facts say why."""
    env = results.env
    git = env.get("git") or {}
    model, cores = _cpu(env)
    compiler = env.get("compiler") or {}
    flags = env.get("flags") or {}
    kernel = env.get("kernel") or {}
    preset = env.get("preset") or {}
    caches = ", ".join(f"L{c.get('level')} {c.get('type', '').lower()} {c.get('size')}" for c in env.get("caches") or []) or (
        env.get("caches_reason") or "unknown")
    revision = git.get("revision") or git.get("reason") or "unknown"
    if git.get("dirty"):
        revision += f" (DIRTY: {len(git.get('changed_files') or [])} changed files)"
    allocators = []
    for name, run in results.runs.items():
        version = run.context.get("wakerbench_allocator_version", "")
        allocators.append(f"{name}: {run.context.get('wakerbench_allocator', name)} {version}".strip())
    packages = ", ".join(f"{k} {v}" for k, v in (env.get("packages") or {}).items())
    return [
        ("date", f"{env.get('start_utc', 'unknown')} to {env.get('end_utc', 'unknown')}"),
        ("command", env.get("command", "unknown")),
        ("git revision", revision),
        ("compiler", compiler.get("version_line") or compiler.get("version") or "unknown"),
        ("flags", f"{flags.get('CMAKE_CXX_FLAGS_RELEASE', '')} {flags.get('CMAKE_CXX_FLAGS', '')}".strip() or (env.get("flags_reason") or "unknown")),
        ("CPU", f"{model}, {cores} usable cores" if cores else model),
        ("caches", caches),
        ("kernel", f"{kernel.get('release', 'unknown')} {kernel.get('machine', '')}".strip()),
        ("governor", env.get("governor") or f"n/a: {env.get('governor_reason') or 'not recorded'}"),
        ("allocators", "; ".join(allocators)),
        ("libraries", packages or "not recorded"),
        ("preset", f"{preset.get('name', 'unknown')}: {preset.get('repetitions', '?')} repetitions, min time {preset.get('min_time', '?')} s"),
    ]


def warnings(results):
    """Sentences the page shows above everything else."""
    out = []
    noisy, timed = 0, 0
    worst = None
    for run in results.runs.values():
        for series in run.points.values():
            s = summarize(series.values("msgs_per_s"))
            if s is None:
                continue
            timed += 1
            if s.noisy:
                noisy += 1
                if worst is None or s.cv > worst[0]:
                    worst = (s.cv, run.allocator, series.name)
    if noisy:
        out.append(f"Noisy run: {noisy} of {timed} timed cells vary by more than {NOISY_CV:.0%} (coefficient of variation) "
                   f"across their repetitions; the worst is {worst[2]} ({worst[1]}) at {worst[0]:.0%}. "
                   "Treat differences within that spread as noise.")
    _, cores = _cpu(results.env)
    if cores:
        workloads = sorted({s.key["workload"] for run in results.runs.values() for s in run.points.values()})
        over = [f"{w} ({WORKLOAD_THREADS[w]} threads)" for w in workloads if WORKLOAD_THREADS.get(w, 0) > cores]
        if over:
            out.append(f"Too few cores: this machine has {cores} usable, so " + ", ".join(over) +
                       " ran with threads sharing cores; their throughput measures scheduling as much as the channel.")
    if (results.env.get("git") or {}).get("dirty"):
        out.append("The working tree was dirty: the results may not match the revision shown.")
    return out
