"""The decision box at the top of the page: for each scenario of scenarios.py, the pick, its margin
over the runner-up with an interval, who is within noise of the leader, and the reason in counters.

Method (written out on the page as well):
- A row's score in a scenario is the geometric mean, over the scenario's points, of its median
  msgs/s (each point's median over its repetitions). Only rows that ran every point compete; the
  baselines (mutex_condvar, moodycamel_blocking) and the peers (results.peers: tbb, the Rust
  channels) are shown for reference and never picked.
- The leader is compared with every other competitor by the ratio of scores; its interval comes
  from a bootstrap that resamples each point's repetitions of both rows independently.
- Every such comparison on the page forms one family: Holm's correction keeps the chance of any
  false win at 5%, and each interval is read at the level Holm assigns it.
- A row is within noise of the leader if its comparison does not survive the correction, or if the
  leader's margin is below the noise floor of the scenario's own A/A control points (control.py). The leader is the pick only
  if nobody is within noise; otherwise the box says "no reliable winner" and lists them.
- Claims about waiter storage need waiting: a scenario whose parties wait less than 0.1 times per
  message says that its pick reflects the fast path, not where the waiters live.
- Points with more busy threads than the machine has cores are left out (they measure the
  scheduler), and named.
- Exact counts (counts.py) are evidence, never a score: where every point of a scenario is counted
  (cancellation: churn), the standings show each row's counted instructions (geometric mean over
  the points) and D1 misses (mean: a point may have none) per message, and the reason says so when
  the counts order the leader and the runner-up the other way; where some are (rarely blocks: seq),
  a line gives every competitor's instructions per message there; a scenario with no counted point
  says nothing of counts."""

import statistics
from dataclasses import dataclass, field

from . import control as control_mod
from .count_orders import INSTR_DIFFERENCE
from .counts import per_unit
from .provenance import cores, oversubscribed
from .scenarios import SCENARIOS
from .stats import SIGNIFICANCE, geomean_ratio, holm

COUNTER = "msgs_per_s"
WAITS_FOR_STORAGE_CLAIMS = 0.1  # waits per message below which a scenario says nothing about waiter storage
NOISY_SCENARIO_CV = 0.2         # above this median cv the reason names the noise as the cause
EXPLAINING = [  # counters that explain a result: (counter, how the page names it)
    ("waits_per_msg", "waits/msg"), ("allocs_per_msg", "allocs/msg"), ("ctx_switches_per_msg", "context switches/msg"),
    ("ns_per_wait", "ns/wait"), ("ns_per_msg", "ns/msg"),
]


@dataclass
class Standing:
    impl: str
    score: float                  # geometric mean of the median msgs/s over the scenario's points
    counters: dict                # median over the points of each EXPLAINING counter (None where absent)
    ratio: object = None          # stats.Ratio: leader / this row (None for the leader)
    level: float = 1 - SIGNIFICANCE
    significant: bool = False     # survives Holm, and the margin is above the noise floor
    low: float | None = None      # the ratio's interval at `level`
    high: float | None = None
    counted: dict | None = None   # figure -> its mean over the points (COUNTED_FIGURES), where every point is counted

    @property
    def allocs_per_wait(self):
        waits, allocs = self.counters.get("waits_per_msg"), self.counters.get("allocs_per_msg")
        return allocs / waits if waits and allocs is not None else None


@dataclass
class ScenarioDecision:
    scenario: object
    allocator: str
    points: list                       # point labels used (workload cap batch mode)
    left_out: list                     # (point label, why)
    standings: list                    # competitors, best first
    missing: list                      # (impl, why it does not compete)
    references: list                   # (baseline or peer, leader / its score ratio)
    waits_per_msg: float | None        # median over the competitors' points
    pick: str | None = None
    within_noise: list = field(default_factory=list)
    reason: str = ""
    extra: list = field(default_factory=list)  # sentences: wait-list microbenchmarks, async against sync
    noise_floor: float = 0.0                   # from the A/A control points of this scenario's kind
    median_cv: float | None = None             # of the competitors' repetitions at the scenario's points
    counted: bool = False                      # every competitor is counted at every point (Standing.counted)
    counted_points: list = field(default_factory=list)  # (label, {impl: counts.Figures}) of the points with counts

    @property
    def leader(self):
        return self.standings[0] if self.standings else None

    @property
    def ruled_out(self):
        """Rows the leader beats reliably: whatever the pick, a reader can leave these aside."""
        return [s.impl for s in self.standings[1:] if s.significant]

    @property
    def runner_up(self):
        return self.standings[1] if len(self.standings) > 1 else None

    @property
    def about_storage(self):
        return self.waits_per_msg is not None and self.waits_per_msg >= WAITS_FOR_STORAGE_CLAIMS


@dataclass
class Box:
    scenarios: list = field(default_factory=list)   # ScenarioDecision, first allocator
    second: dict = field(default_factory=dict)       # scenario id -> (allocator, its leader or None, its pick or None)
    control: object = None
    control_text: str = ""
    comparisons: int = 0                              # the Holm family's size
    cpus: int | None = None


def _label(key):
    return f"{key['workload']} cap {key['cap']} batch {key['batch']} {key['mode']}"


def _groups(results, run, scenario):
    """([(label, {impl: Series})] the scenario scores, [(label, why)] left out)."""
    groups, left_out = {}, []
    for series in run.points.values():
        if scenario.matches(series.key):
            groups.setdefault(_label(series.key), {})[series.key["impl"]] = series
    used = []
    for label in sorted(groups):
        busy = oversubscribed(results, run, label.split()[0])
        if busy:
            left_out.append((label, f"oversubscribed: {busy} busy threads on {cores(results)} cores"))
        else:
            used.append((label, groups[label]))
    return used, left_out


def _median_counter(series_list, counter):
    values = [statistics.median(v) for v in (s.values(counter) for s in series_list) if v]
    return statistics.median(values) if values else None


def _scenario_cv(used, standings):
    """Median coefficient of variation of the competitors' repetitions over the scenario's points."""
    names = {s.impl for s in standings}
    cvs = []
    for _, by_impl in used:
        for impl, series in by_impl.items():
            v = series.values(COUNTER)
            if impl in names and len(v) > 1 and statistics.fmean(v) > 0:
                cvs.append(statistics.stdev(v) / statistics.fmean(v))
    return statistics.median(cvs) if cvs else None


def _decide_scenario(results, run, scenario, control=None):
    used, left_out = _groups(results, run, scenario)
    impls = sorted({impl for _, by_impl in used for impl in by_impl}, key=results.impl_order.key)
    standings, missing, references = [], [], []
    for impl in impls:
        series = [by_impl.get(impl) for _, by_impl in used]
        absent = [(label, s) for (label, _), s in zip(used, series) if s is None or not s.values(COUNTER)]
        if absent:
            label, s = absent[0]
            why = (s.why_missing if s is not None else "not in this run") or "no repetitions"
            missing.append((impl, f"{why} ({label})"))
            continue
        scores = [statistics.median(s.values(COUNTER)) for s in series]
        score = statistics.geometric_mean(scores)
        counters = {c: _median_counter(series, c) for c, _ in EXPLAINING}
        if impl in results.baselines or impl in results.peers:
            references.append((impl, score, series))
        else:
            standings.append(Standing(impl, score, counters))
    standings.sort(key=lambda s: -s.score)
    decision = ScenarioDecision(scenario, run.allocator, [label for label, _ in used], left_out, standings, missing, [], None)
    decision.noise_floor = control.floor_for(scenario.matches) if control else 0.0
    decision.median_cv = _scenario_cv(used, standings)
    waits = [s.counters["waits_per_msg"] for s in standings if s.counters.get("waits_per_msg") is not None]
    decision.waits_per_msg = statistics.median(waits) if waits else None
    if standings:
        leader_series = {label: by_impl[standings[0].impl] for label, by_impl in used}
        for s in standings[1:]:
            pairs = [(leader_series[label].values(COUNTER), by_impl[s.impl].values(COUNTER)) for label, by_impl in used]
            s.ratio = geomean_ratio(pairs)
        for impl, score, _ in references:
            decision.references.append((impl, standings[0].score / score))
    _add_counts(results, run, decision, used)
    return decision


# What the standings show of the counts, and how each is summed over the points: instructions by their geometric
# mean, as the scores are; D1 misses by their mean, since a point may have none (a geometric mean would be 0).
COUNTED_FIGURES = {"instr": statistics.geometric_mean, "d1_miss": statistics.fmean}


def _add_counts(results, run, decision, used):
    """The counted figures of the competitors at the scenario's points, where the run was counted."""
    counts = results.counted_for(run.allocator)
    if counts is None or not decision.standings:
        return
    competitors = [s.impl for s in decision.standings]
    for label, by_impl in used:
        figures = {impl: f for impl in competitors if (f := counts.figures("points", by_impl[impl].key))}
        if figures:
            decision.counted_points.append((label, figures))
    decision.counted = len(decision.counted_points) == len(used) and all(
        len(figures) == len(competitors) for _, figures in decision.counted_points)
    if decision.counted:
        for s in decision.standings:
            s.counted = {f: mean([figures[s.impl].get(f) for _, figures in decision.counted_points]) for f, mean in COUNTED_FIGURES.items()}


def _correct(decisions):
    """Holm over every leader-versus-row comparison on the page; marks who is within noise."""
    comparisons = [(d, s) for d in decisions for s in d.standings[1:] if s.ratio is not None]
    rejected, levels = holm([s.ratio.p_value for _, s in comparisons])
    for (d, s), r, level in zip(comparisons, rejected, levels):
        s.level = level
        s.low, s.high = s.ratio.interval(level)
        s.significant = r and s.ratio.value - 1 > d.noise_floor
    for d in decisions:
        d.within_noise = [s.impl for s in d.standings[1:] if not s.significant]
        d.pick = d.leader.impl if d.leader and not d.within_noise and len(d.standings) > 1 else None
    return len(comparisons)


def _fmt(v, digits=2):
    """A counter for a sentence: 0, 0.0015, 2.0, 13,035."""
    if v is None:
        return "n/a"
    if v == 0:
        return "0"
    if abs(v) < 0.1:
        return f"{v:.{digits}g}"
    return f"{v:.{digits - 1}f}" if abs(v) < 10 else f"{v:,.0f}"


def _reason(d):
    """The counters that tell the leader from the runner-up, in words."""
    a, b = d.leader, d.runner_up
    if a is None:
        return "no row ran every point of this scenario"
    if b is None:
        return f"{a.impl} is the only row that ran every point"
    parts = []
    pa, pb = a.allocs_per_wait, b.allocs_per_wait
    if d.about_storage and pa is not None and pb is not None and abs(pa - pb) >= 0.05:
        parts.append(f"{b.impl} allocates {_fmt(pb)} times per wait, {a.impl} {_fmt(pa)}")
    for counter, name in EXPLAINING:
        va, vb = a.counters.get(counter), b.counters.get(counter)
        if va is None or vb is None or counter == "ns_per_msg":
            continue
        if max(va, vb) > 0 and abs(va - vb) / max(va, vb) >= 0.2 and not (counter == "allocs_per_msg" and parts):
            parts.append(f"{name} {a.impl} {_fmt(va)}, {b.impl} {_fmt(vb)}")
    na, nb = a.counters.get("ns_per_msg"), b.counters.get("ns_per_msg")
    lead = f"{a.impl} {_fmt(na, 3)} ns/msg against {b.impl} {_fmt(nb, 3)}" if na and nb else ""
    if d.median_cv is not None and d.median_cv > NOISY_SCENARIO_CV:
        parts.append(f"repetitions of these points vary by a median cv of {d.median_cv:.0%}: on this machine who wins a blocked "
                     "handoff is decided by where the scheduler puts the threads more than by the channel")
    if a.counted and b.counted and a.counted["instr"] > b.counted["instr"] * (1 + INSTR_DIFFERENCE):
        parts.append(f"the counts order them the other way: {a.impl} executes {per_unit(a.counted['instr'])} instructions per "
                     f"message (counted), {b.impl} {per_unit(b.counted['instr'])}, with {per_unit(a.counted['d1_miss'])} and "
                     f"{per_unit(b.counted['d1_miss'])} simulated D1 misses; the score is what this machine took (cache, memory "
                     "and the VM included), the count what the code executes")
    return "; ".join(([lead] if lead else []) + parts) or "the counters do not differ: the gap is in time only"


def _count_evidence(d):
    """Where some but not all of a scenario's points are counted: every competitor's instructions per message
    at each counted point (the standings show the counts when all are)."""
    if d.counted:
        return []
    return [f"Counted at {label} (one thread, callgrind; instructions per message): "
            + ", ".join(f"{impl} {per_unit(f.instr)}{'' if f.exact else ' (not exact)'}"
                        for impl, f in sorted(figures.items(), key=lambda kv: kv[1].instr)) + "."
            for label, figures in d.counted_points]


def _waitlist_evidence(results, d):
    """Wait-list microbenchmark figures behind the scenarios about many waiters and cancellation."""
    op = {"many_tasks": "link_take_wake", "cancellation": "link_cancel_middle"}.get(d.scenario.id)
    if op is None:
        return []
    run = next(iter(results.runs.values()))
    counts = results.counted_for(run.allocator)
    by = {}
    for s in run.waitlists.values():
        if s.key["op"] == op and s.values("ns_per_op"):
            count = counts.figures("waitlists", s.key) if counts else None
            by.setdefault(int(s.key["waiters"]), {})[s.key["strategy"]] = (statistics.median(s.values("ns_per_op")), count)
    if not by:
        return []
    n = max(by)
    figures = ", ".join(f"{k} {_fmt(ns, 3)} ns" + (f" ({per_unit(count.instr)} instr/op counted{'' if count.exact else ', not exact'})"
                                                   if count else "")
                        for k, (ns, count) in sorted(by[n].items(), key=lambda kv: kv[1][0]))
    return [f"Wait-list microbenchmark {op} at {n} waiters (one thread, no channel): {figures}."]


def _async_against_sync(run, d):
    """For the async scenario: what async costs the leader against sync at the same points."""
    if d.scenario.id != "async" or d.leader is None:
        return []
    pairs = []
    for s in run.points.values():
        k = s.key
        if k["impl"] == d.leader.impl and k["mode"] == "async" and _label(k) in d.points:
            twin = run.points.get(s.name.replace("/mode:async", "/mode:sync"))
            if twin and twin.values(COUNTER) and s.values(COUNTER):
                pairs.append((s.values(COUNTER), twin.values(COUNTER)))
    r = geomean_ratio(pairs)
    if r is None:
        return []
    low, high = r.interval()
    return [f"Async against sync for {d.leader.impl} at the same points: {r.value:.2f}x the sync throughput (95% interval {low:.2f} to {high:.2f})."]


def box(results):
    runs = list(results.runs.values())
    if not runs:
        return Box()
    control = control_mod.analyse(results)
    decisions = [_decide_scenario(results, runs[0], s, control) for s in SCENARIOS]
    n = _correct(decisions)
    for d in decisions:
        d.reason = _reason(d)
        d.extra = _waitlist_evidence(results, d) + _count_evidence(d) + _async_against_sync(runs[0], d)
    second = {}
    if len(runs) > 1:
        others = [_decide_scenario(results, runs[1], s, control) for s in SCENARIOS]
        _correct(others)
        second = {d.scenario.id: (runs[1].allocator, d.leader.impl if d.leader else None, d.pick) for d in others}
    return Box(decisions, second, control, control_mod.describe(control), n, cores(results))
