"""Interleaved service/ceiling pairs, their median ratio and spread, and honest verdicts.

One back-to-back pair per scenario is not a stable figure on a shared 2-core machine: the same
code moved GET from 57 % to 47 % of the ceiling between two runs. So each scenario runs as
A/B/A/B… pairs (service, then ceiling, repeated), the ratio of each pair is taken, and the
report gives the median ratio with its spread (lowest and highest pair). A target is claimed
only when the spread is narrower than the margin between the median and the target; a run
whose spread is wider says "inconclusive" instead of met or missed.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from benchmarks.load import LoadResult


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
        return min(self.ratios), max(self.ratios)

    def representative(self) -> tuple[LoadResult, LoadResult]:
        """The pair whose ratio is the median one (the lower middle for an even count)."""
        order = sorted(range(len(self.pairs)), key=lambda i: self.ratios[i])
        return self.pairs[order[(len(order) - 1) // 2]]

    def describe(self) -> str:
        low, high = self.spread
        return f"{self.median:.0%} (pairs {low:.0%} to {high:.0%}, n={len(self.pairs)})"


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
    """Met when the median reaches the target; conclusive only when the whole spread of the
    pairs is narrower than the distance between the median and the target, so that one noisy
    pair cannot decide the claim either way."""
    low, high = paired.spread
    margin = abs(paired.median - at_least)
    met = paired.median >= at_least
    conclusive = len(paired.pairs) >= 3 and (high - low) < margin
    return Verdict(met=met, conclusive=conclusive)
