"""Interleaved service/ceiling pairs, their median ratio and spread, and honest verdicts.

One back-to-back pair per scenario is not a stable figure on a shared 2-core machine: the same
code moved GET from 57 % to 47 % of the ceiling between two runs. So each scenario runs as
A/B/A/B… pairs (service, then ceiling, repeated), the ratio of each pair is taken, and the
report gives the median ratio with its spread. A target is claimed only when the spread is
narrower than the margin between the median and the target; a run whose spread is wider says
"inconclusive" instead of met or missed.

The spread is a distribution-free confidence interval for the median pair ratio: the k-th
lowest to the k-th highest of n pairs holds the median with probability
1 - 2 P(Binomial(n, 1/2) <= k - 1), whatever the noise's distribution. For three pairs that is
the lowest to the highest, at 75 %. A run whose three pairs are inconclusive measures more
pairs (``benchmarks.run --more-pairs``, 4: seven in all) and is judged once more on the widest
k whose interval is still at least 75 % sure: for seven pairs the second lowest to the second
highest, at 87.5 %, so one pair caught in a burst of the machine's other load no longer decides
the claim alone, and the claim is surer than the three pairs' was.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from benchmarks.load import LoadResult

CONFIDENCE = 0.75  # what the lowest to the highest of three pairs gives


def interval_confidence(n: int, k: int) -> float:
    """How sure the k-th lowest to the k-th highest of n samples holds their median."""
    below = sum(math.comb(n, i) for i in range(k))
    return 1 - 2 * below / (1 << n)


def interval_rank(n: int, confidence: float = CONFIDENCE) -> int:
    """The largest k whose interval (k-th lowest to k-th highest of n) is at least
    ``confidence`` sure; 1 (the lowest to the highest) when none is narrower."""
    k = 1
    while k + 1 <= (n + 1) // 2 and interval_confidence(n, k + 1) >= confidence:
        k += 1
    return k


@dataclass(slots=True)
class Paired:
    """One scenario measured as interleaved (service, ceiling) pairs."""

    scenario: str
    pairs: list[tuple[LoadResult, LoadResult]] = field(default_factory=list)
    load: list[str] = field(default_factory=list)  # load average before each pair

    @property
    def ratios(self) -> list[float]:
        return [svc.rps / ceil.rps if ceil.rps else 0.0 for svc, ceil in self.pairs]

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    @property
    def spread(self) -> tuple[float, float]:
        """The confidence interval of the median ratio (:func:`interval_rank`)."""
        ordered = sorted(self.ratios)
        k = interval_rank(len(ordered))
        return ordered[k - 1], ordered[-k]

    @property
    def extremes(self) -> tuple[float, float]:
        return min(self.ratios), max(self.ratios)

    def representative(self) -> tuple[LoadResult, LoadResult]:
        """The pair whose ratio is the median one (the lower middle for an even count)."""
        order = sorted(range(len(self.pairs)), key=lambda i: self.ratios[i])
        return self.pairs[order[(len(order) - 1) // 2]]

    def describe(self) -> str:
        low, high = self.spread
        n = len(self.pairs)
        k = interval_rank(n)
        if k == 1:
            return f"{self.median:.0%} (pairs {low:.0%} to {high:.0%}, n={n})"
        lowest, highest = self.extremes
        sure = interval_confidence(n, k)
        left_out = "the lowest and the highest" if k == 2 else f"the {k - 1} lowest and highest"
        return (
            f"{self.median:.0%} (pairs {low:.0%} to {high:.0%} without {left_out}, "
            f"{sure:.1%} sure; all {lowest:.0%} to {highest:.0%}, n={n})"
        )


@dataclass(frozen=True, slots=True)
class Verdict:
    met: bool
    conclusive: bool

    @property
    def label(self) -> str:
        if not self.conclusive:
            return "inconclusive"
        return "yes" if self.met else "**no**"


def judge(paired: Paired, at_least: float) -> Verdict:
    """Met when the median reaches the target; conclusive only when the spread (the median's
    confidence interval: all three pairs, or all of seven but the lowest and the highest) is
    narrower than the distance between the median and the target, so that noisy pairs cannot
    decide the claim either way."""
    low, high = paired.spread
    margin = abs(paired.median - at_least)
    met = paired.median >= at_least
    conclusive = len(paired.pairs) >= 3 and (high - low) < margin
    return Verdict(met=met, conclusive=conclusive)
