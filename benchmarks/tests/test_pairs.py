"""The harness claims a ratio target only when the interleaved pairs agree."""

from __future__ import annotations

from benchmarks.load import LoadResult
from benchmarks.pairs import Paired, judge


def result(rps: float) -> LoadResult:
    return LoadResult("get", 8, int(rps * 10), 10.0, 0, 0, 1.0, 2.0, 3.0, 4.0)


def paired(*ratios: float) -> Paired:
    return Paired("get", pairs=[(result(1000 * r), result(1000)) for r in ratios])


def test_median_and_spread_of_the_pairs() -> None:
    p = paired(0.70, 0.50, 0.66)
    assert p.median == 0.66
    assert p.spread == (0.50, 0.70)
    svc, ceil = p.representative()
    assert svc.rps / ceil.rps == 0.66


def test_tight_pairs_above_the_target_are_met() -> None:
    verdict = judge(paired(0.70, 0.71, 0.72), 0.65)
    assert verdict.met and verdict.conclusive
    assert verdict.label == "yes"


def test_tight_pairs_below_the_target_are_missed() -> None:
    verdict = judge(paired(0.50, 0.51, 0.52), 0.65)
    assert not verdict.met and verdict.conclusive
    assert verdict.label == "**no**"


def test_a_spread_wider_than_the_margin_claims_nothing() -> None:
    # The median (0.66) is above 0.65, but one noisy pair at 0.47 makes the run undecidable.
    verdict = judge(paired(0.47, 0.66, 0.72), 0.65)
    assert verdict.met and not verdict.conclusive
    assert verdict.label == "inconclusive"


def test_fewer_than_three_pairs_never_decide() -> None:
    assert not judge(paired(0.9), 0.65).conclusive
