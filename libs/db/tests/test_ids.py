"""uuid7: the layout of RFC 9562, ordered by time, unique."""

from __future__ import annotations

import time
import uuid

import pytest

from platform_db.ids import uuid7


def test_layout_is_version_7_with_the_unix_milliseconds_first() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert before <= value.int >> 80 <= after
    assert uuid.UUID(str(value)) == value


def test_later_milliseconds_sort_later_and_values_are_unique() -> None:
    values = [uuid7(unix_ms=ms) for ms in range(1_700_000_000_000, 1_700_000_000_200)]
    assert values == sorted(values)
    assert values == sorted(values, key=str)  # as text too (what an index on text would see)
    same_ms = {uuid7(unix_ms=1) for _ in range(10_000)}
    assert len(same_ms) == 10_000  # 74 random bits per millisecond


def test_the_random_bits_are_all_used() -> None:
    seen_a, seen_b = 0, 0
    for _ in range(200):
        value = uuid7(unix_ms=0).int
        seen_a |= (value >> 64) & 0xFFF
        seen_b |= value & ((1 << 62) - 1)
    assert seen_a == 0xFFF
    assert seen_b == (1 << 62) - 1


@pytest.mark.parametrize("ms", [-1, 1 << 48])
def test_a_timestamp_outside_48_bits_is_refused(ms: int) -> None:
    with pytest.raises(ValueError, match="48 bits"):
        uuid7(unix_ms=ms)
