"""The rules of a task's state changes, as pure functions of the state before, the request
and "now": creating, patching (completing, reopening, recurrence and due-date changes) and
undoing a completion. The service loads and stores; these decide.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from platform_db import uuid7
from task_manager.errors import ValidationFailedError
from task_manager.tasks import recurrence as rr
from task_manager.tasks.model import Completion, Task
from task_manager.tasks.schemas import RecurrenceIn, TaskCreate, TaskPatch


@dataclass(frozen=True, slots=True)
class Outcome:
    task: Task
    added: Completion | None = None
    removed: Completion | None = None
    # a one-off task's completion follows its due date: store the new one on it
    sync_completion_due: bool = False


def _invalid(field: str, message: str) -> ValidationFailedError:
    return ValidationFailedError(
        f"Invalid input: {field}.",
        errors=[{"loc": ["body", field], "message": message, "type": "value_error"}],
    )


def _recurrence(spec: RecurrenceIn, due: datetime, field: str) -> rr.Recurrence:
    rec = rr.Recurrence(rr.parse_rule(spec.rule), spec.tz, spec.anchor, due)
    try:
        rr.validate(rec)
    except rr.RuleError as exc:
        raise _invalid(field, str(exc)) from None
    return rec


def _series(task: Task, rec: rr.Recurrence | None, *, fresh: bool) -> Task:
    """The task with a (re)set recurrence: the series starts at its due date."""
    if rec is None:
        return replace(
            task,
            recurrence=None,
            occurrence=None,
            streak=None,
            longest_streak=None,
            streak_until=None,
        )
    assert task.due_date is not None
    return replace(
        task,
        recurrence=rec,
        occurrence=1,
        streak=0 if fresh else task.streak,
        longest_streak=0 if fresh else task.longest_streak,
        streak_until=rr.successor(rec, task.due_date, 1),
    )


def complete(task: Task, now: datetime) -> tuple[Task, Completion]:
    """Record a completion of the current occurrence (or of a one-off task) and move a
    recurring task to its next occurrence (or end its series)."""
    number = task.completion_seq + 1
    rec = task.recurrence
    base = Completion(
        id=uuid7(),
        task_id=task.id,
        user_id=task.user_id,
        number=number,
        recurring=rec is not None,
        completed_at=now,
        due_date=task.due_date,
        next_due_date=None,
        streak=None,
        prev_status=task.status,
        prev_due_date=task.due_date,
        prev_completed_at=task.completed_at,
        prev_starts_at=None if rec is None else rec.starts_at,
        prev_occurrence=task.occurrence,
        prev_streak=task.streak,
        prev_longest_streak=task.longest_streak,
        prev_streak_until=task.streak_until,
    )
    counted = replace(task, completion_count=task.completion_count + 1, completion_seq=number)
    if rec is None:
        done = replace(counted, status="completed", completed_at=now)
        return done, base
    assert task.due_date is not None
    kept = task.streak_until is None or now < task.streak_until
    streak = (task.streak or 0) + 1 if kept else 1
    longest = max(task.longest_streak or 0, streak)
    occurrence = task.occurrence or 1
    following = rr.next_due(rec, task.due_date, now, occurrence)
    if following is None:  # the end of the series: completed like a one-off task
        done = replace(
            counted,
            status="completed",
            completed_at=now,
            streak=streak,
            longest_streak=longest,
            streak_until=None,
        )
    else:
        done = replace(
            counted,
            status="pending",
            completed_at=None,
            due_date=following,
            occurrence=occurrence + 1,
            streak=streak,
            longest_streak=longest,
            streak_until=rr.successor(rec, following, occurrence + 1),
        )
    return done, replace(base, next_due_date=following, streak=streak)


def undo(task: Task, completion: Completion, now: datetime) -> Task:
    """The task as it was before ``completion`` (its latest), one version later."""
    restored = replace(
        task,
        completion_count=max(task.completion_count - 1, 0),
        version=task.version + 1,
        updated_at=now,
    )
    if not completion.recurring or task.recurrence is None or completion.prev_due_date is None:
        # a one-off completion: the same as a PATCH to status pending
        return replace(restored, status="pending", completed_at=None)
    rec = task.recurrence
    if completion.prev_starts_at is not None:
        rec = replace(rec, starts_at=completion.prev_starts_at)
    return replace(
        restored,
        status=completion.prev_status,
        due_date=completion.prev_due_date,
        completed_at=completion.prev_completed_at,
        recurrence=rec,
        occurrence=completion.prev_occurrence,
        streak=completion.prev_streak,
        longest_streak=completion.prev_longest_streak,
        streak_until=completion.prev_streak_until,
    )


def create(task: Task, data: TaskCreate, now: datetime) -> Outcome:
    """A new task (``task`` carries the plain fields, status pending): its recurrence, and
    its first completion when created completed."""
    if data.recurrence is not None:
        if data.due_date is None:
            raise _invalid("due_date", "a recurring task needs a due_date")
        task = _series(task, _recurrence(data.recurrence, data.due_date, "recurrence"), fresh=True)
    if data.status != "completed":
        return Outcome(replace(task, status=data.status))
    done, completion = complete(task, now)
    return Outcome(done, added=completion)


def _plain_fields(task: Task, data: TaskPatch, present: set[str]) -> Task:
    values: dict[str, Any] = {}
    for name in ("title", "description", "priority"):
        if name in present:
            values[name] = getattr(data, name)
    if "tags" in present:
        values["tags"] = tuple(data.tags)
    if "due_date" in present:
        values["due_date"] = data.due_date
    return replace(task, **values)


def _patch_recurrence(before: Task, task: Task, data: TaskPatch, present: set[str]) -> Task:
    rec_set, due_set = "recurrence" in present, "due_date" in present
    if not (rec_set or due_set):
        return task
    field = "recurrence" if rec_set else "due_date"
    if rec_set and data.recurrence is None:
        return _series(task, None, fresh=False)
    if rec_set:
        assert data.recurrence is not None
        spec = data.recurrence
    elif before.recurrence is not None:
        old = before.recurrence
        spec = RecurrenceIn(rule=old.rule.text(), tz=old.tz, anchor=old.anchor)
    else:
        return task  # a one-off task's due date
    if task.due_date is None:
        raise _invalid(field, "a recurring task needs a due_date")
    rec = _recurrence(spec, task.due_date, field)
    return _series(task, rec, fresh=before.recurrence is None)


def patch(before: Task, data: TaskPatch, now: datetime, latest: Completion | None) -> Outcome:
    """The merge patch ``data`` applied at ``now``. ``latest``: the task's latest completion,
    needed (and loaded by the caller) only when the patch reopens a completed task."""
    present = set(data.model_fields_set)
    task = _plain_fields(before, data, present)
    task = _patch_recurrence(before, task, data, present)
    target = data.status if "status" in present else before.status
    if before.status != "completed" and target == "completed":
        done, completion = complete(task, now)
        return Outcome(done, added=completion)
    if before.status == "completed" and target != "completed":
        task = replace(task, status=target, completed_at=None)
        if latest is None:
            return Outcome(task)
        task = replace(task, completion_count=max(task.completion_count - 1, 0))
        if latest.recurring and task.recurrence is not None and before.recurrence is not None:
            task = replace(
                task,
                occurrence=latest.prev_occurrence,
                streak=latest.prev_streak,
                longest_streak=latest.prev_longest_streak,
                streak_until=latest.prev_streak_until,
            )
        return Outcome(task, removed=latest)
    if task.status != target:
        task = replace(task, status=target)
    sync = (
        task.status == "completed" and task.recurrence is None and task.due_date != before.due_date
    )
    return Outcome(task, sync_completion_due=sync)
