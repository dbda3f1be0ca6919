"""The tasks domain's objects: a task, a completion, and the result of a write.

The service returns these; routers (HTTP), the CLI or a background worker render them.
:func:`task_document` / :func:`completion_document` are the JSON objects the API answers (and
that the change feed embeds).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any
from uuid import UUID

from task_manager.tasks.recurrence import Recurrence, parse_rule


@dataclass(frozen=True, slots=True)
class Task:
    id: UUID
    user_id: str
    title: str
    description: str | None
    status: str
    priority: str
    due_date: datetime | None
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    version: int
    recurrence: Recurrence | None = None
    occurrence: int | None = None  # number of the current occurrence in its series
    streak: int | None = None  # as stored: see effective_streak
    longest_streak: int | None = None
    streak_until: datetime | None = None  # the current streak lapses at this instant
    completion_count: int = 0
    completion_seq: int = 0  # the number given to the task's latest completion so far

    def effective_streak(self, now: datetime) -> int | None:
        """The streak as read at ``now``: 0 once the occurrence after the current one has
        fallen due without a completion."""
        if self.streak is None:
            return None
        if self.streak_until is not None and now >= self.streak_until:
            return 0
        return self.streak

    def same_content(self, other: Task) -> bool:
        """Equal but for ``version`` and ``updated_at`` (a write that changes nothing)."""
        return _content(self) == _content(other)


# Every field but ``version`` and ``updated_at``, read in one call (a fifth of the cost of
# building a copy with ``dataclasses.replace`` to compare it).
_content = attrgetter(*(f.name for f in fields(Task) if f.name not in ("version", "updated_at")))


@dataclass(frozen=True, slots=True)
class Completion:
    """One completed occurrence (or a one-off task's completion), with the task's state from
    before it, which an undo restores."""

    id: UUID
    task_id: UUID
    user_id: str
    number: int
    recurring: bool
    completed_at: datetime
    due_date: datetime | None
    next_due_date: datetime | None
    streak: int | None
    prev_status: str
    prev_due_date: datetime | None
    prev_completed_at: datetime | None
    prev_starts_at: datetime | None
    prev_occurrence: int | None
    prev_streak: int | None
    prev_longest_streak: int | None
    prev_streak_until: datetime | None

    @property
    def on_time(self) -> bool | None:
        """``completed_at`` ≤ ``due_date``; None without a due date."""
        return None if self.due_date is None else self.completed_at <= self.due_date


@dataclass(frozen=True, slots=True)
class TaskChange:
    """The result of a write, known inside its transaction: the task before and after (None
    when it did not / no longer exists), the completion recorded or removed, and whether
    anything changed at all (``{}`` or a patch to the current values change nothing)."""

    before: Task | None
    after: Task | None
    completion_added: Completion | None = None
    completion_removed: Completion | None = None

    @property
    def changed(self) -> bool:
        if self.before is None or self.after is None:
            return True
        return self.after.version != self.before.version

    @property
    def kind(self) -> str:
        """The change feed's event type of this change."""
        if self.before is None:
            return "task.created"
        if self.after is None:
            return "task.deleted"
        if self.completion_added is not None:
            return "task.completed"
        if self.completion_removed is not None:
            return "task.reopened"
        return "task.updated"


@dataclass(frozen=True, slots=True)
class Page[T]:
    items: list[T]
    next_cursor: str | None = field(default=None)


def _utc(value: Any) -> Any:
    """A timestamp read from the database, always aware: asyncpg reads the latest instant the
    API accepts (9999-12-31T23:59:59.999999Z, stored as ``infinity``) back as a naive
    ``datetime.max``; comparing that with an aware one would raise."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _recurrence_from_row(row: Any) -> Recurrence | None:
    if row["recurrence_rule"] is None:
        return None
    return Recurrence(
        rule=parse_rule(row["recurrence_rule"]),
        tz=row["recurrence_tz"],
        anchor=row["recurrence_anchor"],
        starts_at=_utc(row["recurrence_starts_at"]),
    )


def task_from_row(row: Any) -> Task:
    recurrence = _recurrence_from_row(row)
    return Task(
        id=row["id"],
        user_id=row["user_id"],
        title=row["title"],
        description=row["description"],
        status=row["status"],
        priority=row["priority"],
        due_date=_utc(row["due_date"]),
        tags=tuple(row["tags"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        completed_at=row["completed_at"],
        version=row["version"],
        recurrence=recurrence,
        occurrence=row["occurrence"],
        streak=row["streak"],
        longest_streak=row["longest_streak"],
        streak_until=row["streak_until"],
        completion_count=row["completion_count"],
        completion_seq=row["completion_seq"],
    )


# A task's JSON object as the API answers it (see task_document).
type TaskDocument = dict[str, Any]


def row_document(row: Any, now: datetime) -> TaskDocument:
    """``task_document(task_from_row(row), now)`` without the ``Task`` in between: a list page
    renders up to 200 rows, and building the frozen 19-field object cost more than rendering
    it. The two must stay equal (``tests/tasks/test_row_document.py``)."""
    streak = row["streak"]
    if streak is not None:
        until = row["streak_until"]
        if until is not None and now >= until:
            streak = 0  # as Task.effective_streak
    return {
        "id": str(row["id"]),
        "user_id": row["user_id"],
        "title": row["title"],
        "description": row["description"],
        "status": row["status"],
        "priority": row["priority"],
        "due_date": _utc(row["due_date"]),
        "tags": list(row["tags"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "completed_at": row["completed_at"],
        "version": row["version"],
        "recurrence": (
            None
            if row["recurrence_rule"] is None
            else recurrence_document(_recurrence_from_row(row))
        ),
        "completion_count": row["completion_count"],
        "streak": streak,
        "longest_streak": row["longest_streak"],
    }


def completion_from_row(row: Any) -> Completion:
    return Completion(**{name: _utc(row[name]) for name in Completion.__slots__})


def recurrence_document(rec: Recurrence | None) -> dict[str, Any] | None:
    if rec is None:
        return None
    return {
        "rule": rec.rule.text(),
        "tz": rec.tz,
        "anchor": rec.anchor,
        "starts_at": rec.starts_at,
    }


def task_document(task: Task, now: datetime) -> dict[str, Any]:
    """The task's JSON object as the API answers it at ``now`` (datetimes still as objects:
    serialise with orjson's OPT_UTC_Z)."""
    return {
        "id": str(task.id),
        "user_id": task.user_id,
        "title": task.title,
        "description": task.description,
        "status": task.status,
        "priority": task.priority,
        "due_date": task.due_date,
        "tags": list(task.tags),
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "completed_at": task.completed_at,
        "version": task.version,
        "recurrence": recurrence_document(task.recurrence),
        "completion_count": task.completion_count,
        "streak": task.effective_streak(now),
        "longest_streak": task.longest_streak,
    }


def completion_document(completion: Completion) -> dict[str, Any]:
    """A completion as the API (and the change feed's ``completion``) shows it."""
    return {
        "id": str(completion.id),
        "task_id": str(completion.task_id),
        "completed_at": completion.completed_at,
        "due_date": completion.due_date,
        "on_time": completion.on_time,
        "next_due_date": completion.next_due_date,
        "streak": completion.streak,
    }
