"""The arithmetic and parsing of benchmarks.instructions (the callgrind runs need valgrind and
the seeded database: they are the tool's own use, not a test)."""

import pytest
from benchmarks.instructions import collected, per_request

OUTPUT = """==41== Callgrind, a call-graph generating cache profiler
==41== Events    : Ir
==41== Collected : 8623888014
==41==
==41== I   refs:      8,623,888,014
"""


def test_the_count_is_callgrinds_collected_line() -> None:
    assert collected(OUTPUT) == 8_623_888_014


def test_no_count_is_an_error_not_a_zero() -> None:
    with pytest.raises(ValueError, match="no instruction count"):
        collected("==41== Callgrind\nsegmentation fault\n")


def test_start_up_cancels_between_the_two_runs() -> None:
    start_up, per_get = 7_668_000_000, 478_000
    small = start_up + 1000 * per_get
    large = start_up + 3000 * per_get
    assert per_request(small, large, 1000) == per_get


def test_a_longer_run_that_counted_no_more_is_refused() -> None:
    with pytest.raises(ValueError, match="no more instructions"):
        per_request(10, 10, 1000)
