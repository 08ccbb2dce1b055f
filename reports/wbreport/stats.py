"""Summaries of repetitions and the comparisons the page claims: medians with bootstrap intervals,
ratios of medians with bootstrap intervals and p-values, and Holm's correction over a page's worth
of comparisons.

Why the bootstrap: a handful of repetitions from a machine whose speed drifts are not normal, so
the spread of a median comes from resampling the repetitions themselves (a percentile interval for
a median; for a ratio of medians, each side resampled on its own, the standard error of the log
ratio, from which its interval and p-value follow). The generator is seeded from the data, so the
same results always give the same page."""

import hashlib
import math
import statistics
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

SIGNIFICANCE = 0.05   # family-wise error rate the page allows over its claims (Holm), and each interval's 1 - level
# Fewer repetitions than this per point and a median's bootstrap has too few distinct resamples to
# trust: the page warns (render.repetition_warning) and --fail-on-regression refuses to judge.
MIN_TRUSTED_REPETITIONS = 5
RESAMPLES = 4_000     # bootstrap resamples: enough for a standard error to a few percent
NOISY_CV = 0.05       # a cell whose repetitions vary more than this is flagged on the page


@dataclass(frozen=True)
class Summary:
    n: int
    median: float
    low: float
    high: float
    cv: float        # coefficient of variation (stdev / mean); 0 for fewer than 2 values
    ci_low: float    # 95% bootstrap interval of the median (= median for fewer than 2 values)
    ci_high: float

    @property
    def noisy(self):
        return self.cv > NOISY_CV


def _rng(values):
    """A generator seeded by the values themselves: reproducible pages, independent draws per series."""
    digest = hashlib.blake2b(np.asarray(values, dtype=float).tobytes(), digest_size=8).digest()
    return np.random.default_rng(int.from_bytes(digest, "little"))


def bootstrap_medians(values, resamples=RESAMPLES):
    """The medians of `resamples` resamples (with replacement) of values: an array of that length."""
    v = np.asarray(values, dtype=float)
    if len(v) < 2:
        return np.full(resamples, float(v[0]) if len(v) else math.nan)
    picks = _rng(v).integers(0, len(v), size=(resamples, len(v)))
    return np.median(v[picks], axis=1)


def interval(draws, level=1 - SIGNIFICANCE):
    """The central `level` percentile interval of bootstrap draws."""
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return float(low), float(high)


def summarize(values):
    """Median, min and max, cv and the median's 95% bootstrap interval of a list of numbers; None if empty."""
    values = [float(v) for v in values]
    if not values:
        return None
    mean = statistics.fmean(values)
    cv = statistics.stdev(values) / mean if len(values) > 1 and mean != 0 else 0.0
    med = statistics.median(values)
    ci_low, ci_high = interval(bootstrap_medians(values)) if len(values) > 1 else (med, med)
    return Summary(n=len(values), median=med, low=min(values), high=max(values), cv=cv, ci_low=ci_low, ci_high=ci_high)


def median(values):
    """The median of a list of numbers, None if empty: for counts that are exact, shown without a spread."""
    return float(statistics.median(values)) if values else None


@dataclass(frozen=True)
class Ratio:
    """a / b of two medians (or of two geometric means of medians), with what the bootstrap says of it.

    The bootstrap gives the ratio's standard error on the log scale; the interval and the p-value
    are both read from it (log ratio +- z * se), so "the interval at level 1 - alpha excludes 1" and
    "p <= alpha" always agree, at any level Holm asks for, however far in the tail."""
    value: float
    se_log: float          # standard deviation of log(ratio) over the bootstrap resamples

    @property
    def p_value(self):
        """Two-sided p of "the ratio is 1"."""
        if self.se_log == 0:
            return 1.0 if self.value == 1 else 0.0
        return float(2 * norm.sf(abs(math.log(self.value)) / self.se_log))

    def interval(self, level=1 - SIGNIFICANCE):
        z = float(norm.isf((1 - level) / 2))
        return self.value * math.exp(-z * self.se_log), self.value * math.exp(z * self.se_log)


def ratio_of_draws(a_draws, b_draws, value):
    """A Ratio from matching bootstrap draws of the numerator and the denominator."""
    log_draws = np.log(np.asarray(a_draws)) - np.log(np.asarray(b_draws))
    return Ratio(value=value, se_log=float(np.std(log_draws, ddof=1)))


def median_ratio(a, b):
    """median(a) / median(b) with its bootstrap distribution, or None if either side has no values."""
    if not a or not b:
        return None
    return ratio_of_draws(bootstrap_medians(a), bootstrap_medians(b), statistics.median(a) / statistics.median(b))


def geomean_ratio(pairs):
    """The ratio of geometric means of medians over points: pairs is [(a_values, b_values)] per point.
    Each point's two sides are resampled independently; the geometric mean is taken per resample."""
    if not pairs or any(not a or not b for a, b in pairs):
        return None
    log_a = sum(np.log(bootstrap_medians(a)) for a, _ in pairs) / len(pairs)
    log_b = sum(np.log(bootstrap_medians(b)) for _, b in pairs) / len(pairs)
    value = math.exp(sum(math.log(statistics.median(a)) - math.log(statistics.median(b)) for a, b in pairs) / len(pairs))
    return ratio_of_draws(np.exp(log_a), np.exp(log_b), value)


def holm(p_values, alpha=SIGNIFICANCE):
    """Holm's step-down correction: for each p-value (in the given order), whether it is rejected
    (a real difference) at family-wise error rate alpha, and the confidence level its interval must
    be read at so that "the interval excludes 1" agrees with that decision."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    m = len(p_values)
    rejected = [False] * m
    levels = [1 - alpha] * m
    still = True
    for rank, i in enumerate(order):
        threshold = alpha / (m - rank)
        levels[i] = 1 - threshold
        if still and p_values[i] <= threshold:
            rejected[i] = True
        else:
            still = False  # step-down: once one fails, every larger p fails too
    return rejected, levels
