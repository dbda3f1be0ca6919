"""Pydantic models of the change feed (documentation of the answers; pages are assembled from
the stored JSON bytes of each event)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from task_manager.tasks.schemas import Task

EventType = Literal[
    "task.created", "task.updated", "task.completed", "task.reopened", "task.deleted"
]


class FieldChange(BaseModel):
    from_: Any = Field(alias="from", description="The value before the change.")
    to: Any = Field(description="The value after the change.")


class EventCompletion(BaseModel):
    id: str | None = Field(description="The completion's id (null for a one-off task's).")
    completed_at: datetime | None
    due_date: datetime | None
    on_time: bool | None
    next_due_date: datetime | None = Field(description="Recurring tasks: the next occurrence.")
    streak: int | None


class EventData(BaseModel):
    task: Task = Field(
        description="The task as GET returns it after the change (before it, for task.deleted)."
    )
    changes: dict[str, FieldChange] = Field(
        description="Every field whose value changed (`version` and `updated_at` excepted); "
        "`{}` for created and deleted."
    )
    completion: EventCompletion | None = Field(
        default=None, description="On task.completed and task.reopened only."
    )


class Event(BaseModel):
    id: str = Field(description="The event's id; also the `webhook-id` of its deliveries.")
    type: EventType
    occurred_at: datetime
    user_id: str
    task_id: str
    task_version: int = Field(
        description="The task's version after the change (task.deleted: last version + 1)."
    )
    data: EventData


class EventPage(BaseModel):
    items: list[Event]
    next_cursor: str = Field(
        description="Always present: pass it as `after` to continue (or to poll)."
    )


class FeedCursor(BaseModel):
    cursor: str = Field(description="The current end of the feed.")
