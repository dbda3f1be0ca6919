"""The envelope's target is a rate, so the harness claims a miss only when the ceiling, stepped
through the same rates in the same envelope at the same time, held the target."""

from __future__ import annotations

from benchmarks.envelope import Step, highest, judge
from benchmarks.load import LoadResult


def step(server: str, rate: float, p99_ms: float, *, workers: int = 1, non_2xx: int = 0) -> Step:
    r = LoadResult("mix", 0, int(rate * 10), 10.0, non_2xx, 0, 3.0, 5.0, p99_ms, p99_ms, 0, rate)
    return Step(server, workers, r)


def series(server: str, p99s: dict[float, float], *, workers: int = 1) -> list[Step]:
    return [step(server, rate, p99, workers=workers) for rate, p99 in p99s.items()]


def test_the_highest_rate_held_under_the_budget() -> None:
    steps = series("service", {150: 8.0, 200: 35.0, 250: 104.0})
    best = highest(steps, "service")
    assert best is not None and best.result.offered_rate == 200
    assert highest(steps, "ceiling") is None


def test_a_step_with_errors_is_not_held_whatever_its_latency() -> None:
    steps = [step("service", 150, 8.0), step("service", 200, 9.0, non_2xx=3)]
    best = highest(steps, "service")
    assert best is not None and best.result.offered_rate == 150


def test_the_best_worker_count_counts() -> None:
    steps = series("service", {200: 30.0, 250: 300.0}) + series(
        "service", {200: 20.0, 250: 60.0}, workers=2
    )
    assert highest(steps, "service", 1).result.offered_rate == 200  # type: ignore[union-attr]
    verdict = judge(steps + series("ceiling", {250: 40.0}), 250)
    assert verdict.met and verdict.conclusive


def test_a_miss_is_claimed_when_the_ceiling_held_the_rate() -> None:
    steps = series("service", {200: 35.0, 250: 104.0}) + series("ceiling", {250: 40.0, 300: 90.0})
    verdict = judge(steps, 250)
    assert not verdict.met and verdict.conclusive
    assert verdict.label == "**no**"


def test_a_miss_the_ceiling_shared_claims_nothing() -> None:
    # The machine gave neither server 250 req/s: the run says nothing about the service.
    steps = series("service", {200: 35.0, 250: 400.0}) + series("ceiling", {200: 20.0, 250: 150.0})
    verdict = judge(steps, 250)
    assert not verdict.met and not verdict.conclusive
    assert verdict.label == "inconclusive"
