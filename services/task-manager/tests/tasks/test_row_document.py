"""A list page renders its rows straight to documents (``model.row_document``), while every
other answer renders a ``Task`` (``task_document(task_from_row(row), now)``). The two must give
the same document for any row the table can hold, at any ``now``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from task_manager.tasks.model import row_document, task_document, task_from_row

INSTANT = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
# asyncpg reads timestamptz 'infinity' back as a naive datetime.max.
INFINITY = datetime.max

aware_instants = st.one_of(
    st.just(INSTANT),
    st.integers(-400, 400).map(lambda days: INSTANT + timedelta(days=days, seconds=7)),
)
instants = st.one_of(aware_instants, st.just(INFINITY))


def maybe[T](values: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | values


rules = st.sampled_from(
    ["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=MONTHLY;BYMONTHDAY=1,15", "FREQ=DAILY;COUNT=3"]
)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    recurring = draw(st.booleans())
    return {
        "id": UUID(int=draw(st.integers(0, 2**128 - 1))),
        "user_id": draw(st.sampled_from(["u-1", "player-42"])),
        "title": draw(st.text(min_size=1, max_size=20)),
        "description": draw(maybe(st.text(max_size=20))),
        "status": draw(st.sampled_from(["pending", "in_progress", "completed"])),
        "priority": draw(st.sampled_from(["low", "medium", "high", "urgent"])),
        "due_date": draw(maybe(instants)),
        "tags": draw(st.lists(st.sampled_from(["a", "home", "cat"]), max_size=3, unique=True)),
        "created_at": INSTANT,
        "updated_at": INSTANT + timedelta(seconds=1),
        "completed_at": draw(maybe(instants)),
        "version": draw(st.integers(1, 2**31 - 1)),
        "recurrence_rule": draw(rules) if recurring else None,
        "recurrence_tz": "Europe/Madrid" if recurring else None,
        "recurrence_anchor": "due_date" if recurring else None,
        "recurrence_starts_at": draw(instants) if recurring else None,
        "occurrence": draw(st.integers(1, 50)) if recurring else None,
        "streak": draw(st.integers(0, 50)) if recurring else None,
        "longest_streak": draw(st.integers(0, 50)) if recurring else None,
        "streak_until": draw(maybe(aware_instants)) if recurring else None,
        "completion_count": draw(st.integers(0, 50)),
        "completion_seq": draw(st.integers(0, 50)),
    }


@settings(max_examples=300, deadline=None)
@given(row=rows(), now=aware_instants)
def test_a_rows_document_is_its_tasks_document(row: dict[str, Any], now: datetime) -> None:
    document = row_document(row, now)
    assert document == task_document(task_from_row(row), now)
    assert list(document) == list(task_document(task_from_row(row), now))  # key order: bytes


def test_a_lapsed_streak_reads_zero_on_both() -> None:
    row = _recurring_row(streak=4, streak_until=INSTANT)
    assert row_document(row, INSTANT)["streak"] == 0
    assert task_document(task_from_row(row), INSTANT)["streak"] == 0
    assert row_document(row, INSTANT - timedelta(microseconds=1))["streak"] == 4


def _recurring_row(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": UUID(int=1),
        "user_id": "u-1",
        "title": "Feed the cat",
        "description": None,
        "status": "pending",
        "priority": "medium",
        "due_date": INSTANT,
        "tags": [],
        "created_at": INSTANT,
        "updated_at": INSTANT,
        "completed_at": None,
        "version": 1,
        "recurrence_rule": "FREQ=DAILY",
        "recurrence_tz": "UTC",
        "recurrence_anchor": "due_date",
        "recurrence_starts_at": INSTANT,
        "occurrence": 1,
        "streak": 0,
        "longest_streak": 0,
        "streak_until": None,
        "completion_count": 0,
        "completion_seq": 0,
    }
    return {**base, **values}
