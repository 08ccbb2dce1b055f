"""Summaries of repetitions: what every table and chart shows, and how noisy it was."""

import statistics
from dataclasses import dataclass

from scipy.stats import mannwhitneyu

SIGNIFICANCE = 0.05  # two-sided Mann-Whitney U on the repetitions


@dataclass(frozen=True)
class Summary:
    n: int
    median: float
    low: float
    high: float
    cv: float  # coefficient of variation (stdev / mean); 0 for fewer than 2 values

    @property
    def noisy(self):
        return self.cv > NOISY_CV


NOISY_CV = 0.05  # a cell whose repetitions vary more than this is flagged on the page


def summarize(values):
    """Median, min and max, and the coefficient of variation of a list of numbers; None if empty."""
    values = [float(v) for v in values]
    if not values:
        return None
    mean = statistics.fmean(values)
    cv = statistics.stdev(values) / mean if len(values) > 1 and mean != 0 else 0.0
    return Summary(n=len(values), median=statistics.median(values), low=min(values), high=max(values), cv=cv)


def median(values):
    """The median of a list of numbers, None if empty: for counts that are exact, shown without a spread."""
    s = summarize(values)
    return s.median if s else None


def mann_whitney_p(a, b):
    """p-value of a two-sided Mann-Whitney U test, or None if either side has fewer than 2 values."""
    if len(a) < 2 or len(b) < 2:
        return None
    if len(set(a) | set(b)) == 1:
        return 1.0
    return float(mannwhitneyu(a, b, alternative="two-sided").pvalue)
