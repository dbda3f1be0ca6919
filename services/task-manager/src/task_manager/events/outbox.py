"""The one entry point of the tasks domain into the feed: ``event_for``.

It derives the event (type, ``changes``, ``task_version``, ``completion``) from the task as GET
renders it before and after the change. The tasks repository writes it in the same statement
as the change itself (:func:`task_manager.events.repository.outbox_ctes`); its webhook
deliveries are queued when the stamper gives it its feed position.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson

from platform_db import uuid7
from task_manager.events import repository

_JSON = orjson.OPT_UTC_Z
# Fields that change on every write and so are not "changes".
_NOT_CHANGES = frozenset({"version", "updated_at"})
EVENT_TYPES = ("task.created", "task.updated", "task.completed", "task.reopened", "task.deleted")


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name in after.keys() | before.keys():
        if name in _NOT_CHANGES:
            continue
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = {"from": old, "to": new}
    return dict(sorted(changes.items()))


def _completion_delta(before: dict[str, Any], after: dict[str, Any]) -> int:
    """+1: a completion was recorded, -1: one was removed, 0: neither. Read from
    ``completion_count`` when the documents carry it, else from the status (one-off tasks)."""
    if "completion_count" in before and "completion_count" in after:
        delta = int(after["completion_count"]) - int(before["completion_count"])
        return (delta > 0) - (delta < 0)
    was, now = before["status"] == "completed", after["status"] == "completed"
    return int(now) - int(was)


def _instant(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _one_off_completion(task: dict[str, Any]) -> dict[str, Any]:
    """The completion of a one-off task, from its document (before the completions ledger)."""
    completed_at, due = task.get("completed_at"), task.get("due_date")
    return {
        "id": None,
        "completed_at": completed_at,
        "due_date": due,
        "on_time": None
        if due is None or completed_at is None
        else _instant(completed_at) <= _instant(due),
        "next_due_date": None,
        "streak": None,
    }


def describe(
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    completion: dict[str, Any] | None,
) -> tuple[str, dict[str, Any], int, dict[str, Any]] | None:
    """(type, task snapshot, task_version, data) of the change, or None when nothing changed.
    The documents hold Python values (datetimes in UTC, as the API answers them) or their JSON
    forms; the event is serialised once, by :func:`event_for`."""
    if before is None and after is not None:
        return "task.created", after, after["version"], {"task": after, "changes": {}}
    if after is None and before is not None:
        return "task.deleted", before, before["version"] + 1, {"task": before, "changes": {}}
    assert before is not None
    assert after is not None
    if after["version"] == before["version"]:
        return None
    data: dict[str, Any] = {"task": after, "changes": _changes(before, after)}
    delta = _completion_delta(before, after)
    if delta == 0:
        return "task.updated", after, after["version"], data
    kind = "task.completed" if delta > 0 else "task.reopened"
    if completion is None:  # one-off task: the completion is the task's own
        completion = _one_off_completion(after if delta > 0 else before)
    data["completion"] = completion
    return kind, after, after["version"], data


def event_for(
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    completion: dict[str, Any] | None,
    *,
    now: datetime,
) -> repository.NewEvent | None:
    """The event of one task change, or None when the change changed nothing (no event). The
    caller writes it in the same statement as the change (:func:`repository.outbox_ctes`).

    ``before``/``after``: the task as GET renders it before and after the change (None before
    a create, None after a delete). ``completion``: the completion recorded (task.completed)
    or removed (task.reopened) by this change, as the completions API renders it; None for a
    one-off task derives it from the task. Written with the task row's change (its row lock
    held): that is what keeps one task's events in ``task_version`` order (docs/events.md).
    """
    described = describe(before, after, completion)
    if described is None:
        return None
    kind, task, version, data = described
    event_id = uuid7()
    occurred_at = now.astimezone(UTC)
    item = {
        "id": str(event_id),
        "type": kind,
        "occurred_at": occurred_at,
        "user_id": task["user_id"],
        "task_id": task["id"],
        "task_version": version,
        "data": data,
    }
    return repository.NewEvent(
        id=event_id,
        type=kind,
        user_id=task["user_id"],
        task_id=UUID(task["id"]),
        task_version=version,
        occurred_at=occurred_at,
        payload=orjson.dumps(item, option=_JSON),
    )
