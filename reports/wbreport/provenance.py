"""Section 1: where the numbers come from, and the warnings a reader needs before trusting them."""

from . import control
from .ordering import workload_key
from .stats import NOISY_CV, summarize
from .workloads import pool_threads, threads

# How wb_bench says it counted its CPUs (wakerbench_cpus_from, bench/main.cpp).
CPUS_FROM = {"affinity": "this process's affinity mask", "WAKERBENCH_CPUS": "the WAKERBENCH_CPUS override"}
NOT_RECORDED = "not recorded (a wb_bench from before it wrote wakerbench_cpus and wakerbench_pool_threads to its context)"


def _cpu(env):
    cpu = env.get("cpu") or {}
    return cpu.get("model", "unknown"), cpu.get("usable_cpus") or cpu.get("logical_cpus")


def _per_run(results, describe):
    """One value if every run agrees (they are the same machine), else each run's own."""
    values = {allocator: describe(run.context) for allocator, run in results.runs.items()}
    if len(set(values.values())) == 1:
        return next(iter(values.values()))
    return "; ".join(f"{allocator}: {value}" for allocator, value in values.items())


def _bench_cpus(context):
    cpus = context.get("wakerbench_cpus")
    if not cpus:
        return NOT_RECORDED
    source = context.get("wakerbench_cpus_from", "")
    widths = (context.get("wakerbench_scaling_widths") or "").replace(",", ", ")
    text = f"{cpus}, from {CPUS_FROM.get(source, source or 'an unrecorded source')}"
    return text + (f"; scaling widths P = {widths} (mpscP, mpmcPxP)" if widths else "")


def cores(results):
    """The machine's usable cores (from env.json), or None if not recorded."""
    return _cpu(results.env)[1]


def oversubscribed(results, run, workload):
    """The number of threads a workload keeps busy if that is more than the machine's cores, else None."""
    n, c = threads(workload, run), cores(results)
    return n if n and c and n > c else None


def _pool(context):
    workers = pool_threads(context)
    return f"{workers} worker threads (min(CPUs, 4)), running tasksM and fanoutK" if workers else NOT_RECORDED


def revision(env):
    """The git revision the run was built from, marked if the tree was dirty; or why it is unknown."""
    git = env.get("git") or {}
    text = git.get("revision") or git.get("reason") or "unknown"
    if git.get("dirty"):
        text += f" (DIRTY: {len(git.get('changed_files') or [])} changed files)"
    return text


def rows(results):
    """(label, value) pairs, in the order the page shows them. Missing facts say why."""
    env = results.env
    model, usable = _cpu(env)
    compiler = env.get("compiler") or {}
    flags = env.get("flags") or {}
    kernel = env.get("kernel") or {}
    caches = ", ".join(f"L{c.get('level')} {c.get('type', '').lower()} {c.get('size')}" for c in env.get("caches") or []) or (
        env.get("caches_reason") or "unknown")
    allocators = []
    for name, run in results.runs.items():
        version = run.context.get("wakerbench_allocator_version", "")
        allocators.append(f"{name}: {run.context.get('wakerbench_allocator', name)} {version}".strip())
    packages = ", ".join(f"{k} {v}" for k, v in (env.get("packages") or {}).items())
    return [
        ("date", f"{env.get('start_utc', 'unknown')} to {env.get('end_utc', 'unknown')}"),
        ("command", env.get("command", "unknown")),
        ("git revision", revision(env)),
        ("compiler", compiler.get("version_line") or compiler.get("version") or "unknown"),
        ("flags", f"{flags.get('CMAKE_CXX_FLAGS_RELEASE', '')} {flags.get('CMAKE_CXX_FLAGS', '')}".strip() or (env.get("flags_reason") or "unknown")),
        ("CPU", f"{model}, {usable} usable cores" if usable else model),
        ("CPUs the benchmarks used", _per_run(results, _bench_cpus)),
        ("coroutine pool", _per_run(results, _pool)),
        ("caches", caches),
        ("kernel", f"{kernel.get('release', 'unknown')} {kernel.get('machine', '')}".strip()),
        ("governor", env.get("governor") or f"n/a: {env.get('governor_reason') or 'not recorded'}"),
        ("allocators", "; ".join(allocators)),
        ("libraries", packages or "not recorded"),
        ("preset", _preset(results)),
        ("A/A control", control.describe(control.analyse(results))),
    ]


def _preset(results):
    preset = results.env.get("preset") or {}
    text = f"{preset.get('name', 'unknown')}: {preset.get('repetitions', '?')} repetitions, min time {preset.get('min_time', '?')} s"
    if preset.get("decision_min_time"):
        text += f" ({preset['decision_min_time']} s for the decision box's points)"
    flags = {f for run in (results.env.get("runs") or {}).values() for f in run.get("flags") or []}
    if "--benchmark_enable_random_interleaving=true" in flags:
        text += ", repetitions in random order across benchmarks"
    if "--pin" in flags:
        text += ", party threads pinned to cores of their own (--pin)"
    return text


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
    usable = cores(results)
    counts = {s.key["workload"]: oversubscribed(results, run, s.key["workload"]) for run in results.runs.values() for s in run.points.values()}
    over = [f"{w} ({counts[w]} threads)" for w in sorted(counts, key=workload_key) if counts[w]]
    if over:
        out.append(f"Too few cores: this machine has {usable} usable, so " + ", ".join(over) +
                   " ran with threads sharing cores; their throughput measures scheduling as much as the channel.")
    for run in results.runs.values():
        overridden = run.context.get("wakerbench_cpus_from") == "WAKERBENCH_CPUS"
        if overridden and usable and str(run.context.get("wakerbench_cpus")) != str(usable):
            out.append(f"The {run.allocator} run counted {run.context.get('wakerbench_cpus')} CPUs (WAKERBENCH_CPUS) on a machine "
                       f"with {usable} usable: its thread counts follow the override, not this machine.")
    if (results.env.get("git") or {}).get("dirty"):
        out.append("The working tree was dirty: the results may not match the revision shown.")
    return out
