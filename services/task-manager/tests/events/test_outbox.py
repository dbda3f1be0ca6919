"""How append_task_change derives an event from the task before and after a change: the
contract's type precedence, `changes`, `task_version`, and the completion."""

from __future__ import annotations

from typing import Any

from task_manager.events.outbox import describe

BASE: dict[str, Any] = {
    "id": "3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f",
    "user_id": "u-42",
    "title": "Daily",
    "description": None,
    "status": "pending",
    "priority": "medium",
    "due_date": "2026-11-27T07:00:00Z",
    "tags": [],
    "created_at": "2026-11-01T07:00:00Z",
    "updated_at": "2026-11-01T07:00:00Z",
    "completed_at": None,
    "version": 6,
    "recurrence": {"rule": "FREQ=DAILY", "tz": "UTC", "anchor": "schedule"},
    "completion_count": 3,
    "streak": 3,
    "longest_streak": 3,
}


def test_a_recurring_completion_is_task_completed_with_the_ledgers_completion() -> None:
    after = {
        **BASE,
        "due_date": "2026-11-28T07:00:00Z",
        "completion_count": 4,
        "streak": 4,
        "longest_streak": 4,
        "updated_at": "2026-11-27T10:00:00Z",
        "version": 7,
    }
    completion = {"id": "c-1", "completed_at": "2026-11-27T06:00:00Z", "on_time": True}
    kind, task, version, data = describe(BASE, after, completion) or ("", {}, 0, {})
    assert kind == "task.completed"
    assert version == 7
    assert task == after
    assert data["completion"] == completion
    assert data["changes"] == {
        "completion_count": {"from": 3, "to": 4},
        "due_date": {"from": "2026-11-27T07:00:00Z", "to": "2026-11-28T07:00:00Z"},
        "longest_streak": {"from": 3, "to": 4},
        "streak": {"from": 3, "to": 4},
    }


def test_an_undo_is_task_reopened() -> None:
    after = {**BASE, "completion_count": 2, "version": 7}
    described = describe(BASE, after, {"id": "c-1"})
    assert described is not None
    assert described[0] == "task.reopened"
    assert described[3]["completion"] == {"id": "c-1"}


def test_other_changes_are_task_updated_without_completion() -> None:
    after = {**BASE, "recurrence": None, "streak": None, "version": 7}
    described = describe(BASE, after, None)
    assert described is not None
    kind, _task, _version, data = described
    assert kind == "task.updated"
    assert "completion" not in data
    assert set(data["changes"]) == {"recurrence", "streak"}


def test_no_version_change_is_no_event() -> None:
    assert describe(BASE, {**BASE}, None) is None


def test_created_and_deleted() -> None:
    created = describe(None, BASE, None)
    deleted = describe(BASE, None, None)
    assert created is not None and deleted is not None
    assert created[0] == "task.created" and created[2] == 6 and created[3]["changes"] == {}
    assert deleted[0] == "task.deleted" and deleted[2] == 7 and deleted[3]["task"] == BASE


def test_one_off_completion_is_derived_from_the_task() -> None:
    one_off = {k: v for k, v in BASE.items() if k not in ("completion_count", "streak")}
    done = {
        **one_off,
        "status": "completed",
        "completed_at": "2026-11-27T06:59:59.5Z",
        "version": 7,
    }
    described = describe(one_off, done, None)
    assert described is not None
    assert described[0] == "task.completed"
    assert described[3]["completion"] == {
        "id": None,
        "completed_at": "2026-11-27T06:59:59.5Z",
        "due_date": "2026-11-27T07:00:00Z",
        "on_time": True,
        "next_due_date": None,
        "streak": None,
    }
