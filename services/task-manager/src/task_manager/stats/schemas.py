"""The published shape of ``GET /v1/stats`` (pinned by tests/snapshots/stats_response.schema.json:
a field is never renamed, removed or retyped within v1)."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue, PlainSerializer

UtcDatetime = Annotated[
    datetime,
    PlainSerializer(
        lambda v: v.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        return_type=str,
        when_used="json",
    ),
    Field(json_schema_extra={"format": "date-time"}),
]


class PriorityStats(BaseModel):
    total: int = Field(ge=0, description="Tasks of this priority.")
    completed: int = Field(ge=0, description="Completed tasks of this priority.")


class ByPriority(BaseModel):
    low: PriorityStats
    medium: PriorityStats
    high: PriorityStats
    urgent: PriorityStats


class DailyCompletions(BaseModel):
    date: dt.date = Field(description="A local date in `tz`.")
    count: int = Field(ge=0, description="Completions on record made that local date.")


EXAMPLE: dict[str, JsonValue] = {
    "user_id": "u-42",
    "tz": "Europe/Madrid",
    "generated_at": "2026-11-27T10:00:00Z",
    "total": 12,
    "pending": 5,
    "in_progress": 2,
    "completed": 5,
    "overdue": 1,
    "completion_rate": 0.4167,
    "on_time_rate": 0.75,
    "by_priority": {
        "low": {"total": 2, "completed": 1},
        "medium": {"total": 6, "completed": 2},
        "high": {"total": 3, "completed": 2},
        "urgent": {"total": 1, "completed": 0},
    },
    "completed_today": 2,
    "completed_last_7_days": 5,
    "completions_total": 9,
    "current_streak_days": 3,
    "longest_streak_days": 4,
    "last_completed_at": "2026-11-27T09:12:00Z",
    "daily_completions": [
        {"date": "2026-11-25", "count": 1},
        {"date": "2026-11-26", "count": 2},
        {"date": "2026-11-27", "count": 2},
    ],
}


class StatsResponse(BaseModel):
    """A player's figures, over the tasks that exist now, in the time zone `tz`."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    user_id: str = Field(description="The player (`X-User-ID`).")
    tz: str = Field(description="The IANA time zone of every local date below.")
    generated_at: UtcDatetime = Field(description="When these figures were computed (UTC).")
    total: int = Field(ge=0)
    pending: int = Field(ge=0)
    in_progress: int = Field(ge=0)
    completed: int = Field(ge=0)
    overdue: int = Field(ge=0, description="Not completed and `due_date` < now.")
    completion_rate: float = Field(
        ge=0, le=1, description="completed / total, 4 decimals; 0.0 when there is no task."
    )
    on_time_rate: float | None = Field(
        ge=0,
        le=1,
        description="Among completions that had a due date, the share made at or before it, "
        "4 decimals; null when there is none.",
    )
    by_priority: ByPriority
    completed_today: int = Field(ge=0, description="Completions made on today's local date.")
    completed_last_7_days: int = Field(
        ge=0, description="Completions made on today's local date or the 6 before it."
    )
    completions_total: int = Field(
        ge=0,
        description="All completions on record (a one-off task has one while it is completed; "
        "a recurring task one per completed occurrence; deleted tasks' are gone).",
    )
    current_streak_days: int = Field(
        ge=0,
        description="Consecutive local dates with a completion, ending today (or yesterday "
        "when nothing was completed yet today); 0 otherwise.",
    )
    longest_streak_days: int = Field(
        ge=0, description="The longest run of consecutive local dates with a completion."
    )
    last_completed_at: UtcDatetime | None = Field(
        description="The latest completion's `completed_at`; null when none."
    )
    daily_completions: list[DailyCompletions] = Field(
        description="Exactly `days` entries, oldest first, ending with today's local date."
    )
