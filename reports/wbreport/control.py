"""The A/A control: a few points measured three times under three names (the point itself and its
copies /aa:1 and /aa:2, bench/controls.hpp). The three are identical by construction, so every
difference the method finds between two of them is a false one.

What the page takes from it:
- the false-difference rate: of all pairs of identical series, the share whose 95% bootstrap
  interval of the ratio of medians excludes 1 when read alone, without any correction (the rate a
  reader of one uncorrected comparison would suffer);
- the verdict under the page's own method (Holm over the control's pairs): "no difference" unless
  some pair survives the correction;
- the noise floor of each control point: the largest gap between two of its identical series'
  medians. No pick may rest on a margin smaller than the floor of the control points of its own
  scenario (a point of the same kind: a capacity-1 handoff between threads is far noisier than a
  coroutine churn on one thread), however narrow its interval: a difference identical things show
  is not evidence."""

from dataclasses import dataclass
from itertools import combinations

from .stats import SIGNIFICANCE, holm, median_ratio

COUNTER = "msgs_per_s"


@dataclass
class Pair:
    point: str      # the point's name without /aa:<copy>
    a: str          # "point", "aa:1", "aa:2"
    b: str
    ratio: float
    low: float      # 95% bootstrap interval of the ratio of medians
    high: float
    p_value: float
    different_alone: bool   # the 95% interval excludes 1, read without correction
    different: bool = False  # still different after Holm over every pair of the control


@dataclass
class Control:
    allocator: str
    pairs: list
    false_difference_rate: float | None   # share of pairs called different alone
    verdict: str                          # "no difference" or "DIFFERENT: ..."
    floors: dict                          # point name -> largest |ratio - 1| among its own pairs
    keys: dict                            # point name -> its key (workload, cap, batch, mode, ...)

    @property
    def points(self):
        return len(self.floors)

    @property
    def noise_floor(self):
        """The largest |ratio - 1| between identical series at any control point."""
        return max(self.floors.values())

    def floor_for(self, matches):
        """The noise floor for claims about points that `matches(key)` selects: the largest floor of
        the control points among them, or the largest of all if none is."""
        own = [f for point, f in self.floors.items() if matches(self.keys[point])]
        return max(own) if own else self.noise_floor

    @property
    def ok(self):
        return not any(p.different for p in self.pairs)


def _copies(run):
    """{point name: {label: Series}} for every control point that has copies in this run."""
    out = {}
    for series in run.controls.values():
        base = series.name.replace(f"/aa:{series.key['aa']}", "", 1)
        out.setdefault(base, {})[f"aa:{series.key['aa']}"] = series
    for base, copies in out.items():
        original = run.points.get(base)
        if original is not None:
            copies["point"] = original
    return out


def analyse(results):
    """The control of the first allocator's run (the one the decision box reads), or None if it has no copies."""
    allocator, run = next(iter(results.runs.items()))
    groups = _copies(run)
    pairs, keys = [], {}
    for base in sorted(groups):
        keys[base.removesuffix("/manual_time")] = next(iter(groups[base].values())).key
        series = {label: s.values(COUNTER) for label, s in sorted(groups[base].items()) if s.values(COUNTER)}
        for a, b in combinations(sorted(series), 2):
            r = median_ratio(series[a], series[b])
            if r is None:
                continue
            low, high = r.interval()
            pairs.append(Pair(base.removesuffix("/manual_time"), a, b, r.value, low, high, r.p_value, not low <= 1 <= high))
    if not pairs:
        return None
    rejected, _ = holm([p.p_value for p in pairs])
    for pair, r in zip(pairs, rejected):
        pair.different = r
    called = [p for p in pairs if p.different]
    verdict = "no difference" if not called else "DIFFERENT: " + "; ".join(f"{p.point} {p.a} vs {p.b} ({p.ratio:.3f}x)" for p in called)
    floors = {}
    for p in pairs:
        floors[p.point] = max(floors.get(p.point, 0.0), abs(p.ratio - 1))
    rate = sum(p.different_alone for p in pairs) / len(pairs)
    return Control(allocator, pairs, rate, verdict, floors, keys)


def _short(key):
    return f"{key['workload']} cap {key['cap']} {key['mode']}"


def describe(control):
    """One sentence for the provenance block and the decision box."""
    if control is None:
        return "A/A control: not in this run (a wb_bench from before bench/controls.hpp, or a --filter that left its points out)."
    alone = sum(p.different_alone for p in control.pairs)
    return (f"A/A control ({control.allocator}): {len(control.pairs)} comparisons of identical series at {control.points} points; "
            f"{control.verdict} after Holm's correction; read alone at {1 - SIGNIFICANCE:.0%}, {alone} of {len(control.pairs)} "
            f"({control.false_difference_rate:.0%}) would have been called different; identical series differed by "
            + ", ".join(f"{f:.1%} at {_short(control.keys[point])}" for point, f in sorted(control.floors.items(), key=lambda kv: kv[1]))
            + " (each scenario's noise floor is that of its own control points).")
