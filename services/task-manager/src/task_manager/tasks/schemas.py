"""The task's wire format: request bodies (validated and normalised here), responses, and the
listing query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, get_args
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from task_manager.tasks import fields
from task_manager.tasks import recurrence as rr

Status = Literal["pending", "in_progress", "completed"]
Priority = Literal["low", "medium", "high", "urgent"]
SortKey = Literal[
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
    "due_date",
    "-due_date",
    "priority",
    "-priority",
]
STATUSES: tuple[str, ...] = get_args(Status)
PRIORITIES: tuple[str, ...] = get_args(Priority)
PRIORITY_RANK = {"low": 0, "medium": 1, "high": 2, "urgent": 3}

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
TAGS_MAX = 20
TAG_MAX = 50


def no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL: refuse it as invalid input rather than fail later.
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    return value


# The field rules (NFC, control characters, RFC 3339 timestamps in range) live in .fields.
_title = fields.title
normalise_tag = fields.tag
normalise_tags = fields.tags
Timestamp = fields.Timestamp
Title = Annotated[
    str,
    Field(
        description=f"Trimmed; 1-{TITLE_MAX} characters after trimming.",
        examples=["Feed the cats"],
        json_schema_extra={"minLength": 1, "maxLength": TITLE_MAX},
    ),
]
Description = Annotated[
    str, Field(max_length=DESCRIPTION_MAX, description="At most 10 000 characters.")
]
Tags = Annotated[
    list[Annotated[str, Field(json_schema_extra={"minLength": 1, "maxLength": TAG_MAX})]],
    Field(
        description=f"At most {TAGS_MAX} distinct tags of 1-{TAG_MAX} characters; trimmed, "
        "lower-cased, order kept, duplicates dropped.",
        examples=[["home", "cats"]],
    ),
]
DUE_DESCRIPTION = "RFC 3339 date-time with an offset; answered in UTC."


Anchor = Literal["schedule", "completion"]
RULE_DESCRIPTION = (
    "An RFC 5545 RRULE value of this subset: FREQ (DAILY, WEEKLY, MONTHLY, YEARLY; required), "
    "INTERVAL (1-366), BYDAY (MO…SU; ordinals such as 2TU or -1FR only with MONTHLY/YEARLY), "
    "BYMONTHDAY (1…31 or -31…-1), BYMONTH (1…12), COUNT (1-10 000) or UNTIL (not both; "
    "YYYYMMDDTHHMMSSZ, or YYYYMMDD: the end of that local date in tz), WKST. Answered "
    "normalised: upper case, parts in that order."
)


class RecurrenceIn(BaseModel):
    """A recurrence as a request sets it (replaced as a whole; ``starts_at`` is read-only)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"rule": "FREQ=WEEKLY;BYDAY=MO,WE,FR", "tz": "Europe/Madrid", "anchor": "schedule"}
            ]
        },
    )

    rule: str = Field(
        min_length=1,
        max_length=rr.RULE_MAX_CHARS,
        description=RULE_DESCRIPTION,
        examples=["FREQ=DAILY", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=12"],
    )
    tz: str = Field(
        default="UTC",
        max_length=64,
        description="IANA time zone the rule is evaluated in (local wall-clock time is kept "
        "across daylight-saving changes).",
        examples=["Europe/Madrid"],
    )
    anchor: Anchor = Field(
        default="schedule",
        description="`schedule`: occurrences follow the rule; `completion`: the next due date "
        "is the completion's local date plus INTERVAL units (rules without BY… parts only).",
    )

    @field_validator("rule")
    @classmethod
    def _normalised_rule(cls, value: str) -> str:
        return rr.parse_rule(value).text()

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        rr.time_zone(value)
        return value


class Recurrence(BaseModel):
    """A task's recurrence as the API answers it."""

    rule: str = Field(description="The rule, normalised.", examples=["FREQ=WEEKLY;BYDAY=MO,WE,FR"])
    tz: str = Field(examples=["Europe/Madrid"])
    anchor: Anchor
    starts_at: datetime = Field(
        description="Read-only: the series start (DTSTART), always its first occurrence: the "
        "due date when `recurrence` or `due_date` was last set by a request."
    )


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("title", check_fields=False)
    @classmethod
    def _check_title(cls, value: str | None) -> str | None:
        return None if value is None else _title(value)

    @field_validator("description", check_fields=False)
    @classmethod
    def _check_description(cls, value: str | None) -> str | None:
        return None if value is None else fields.description(value)

    @field_validator("tags", check_fields=False)
    @classmethod
    def _check_tags(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else normalise_tags(value)

    @field_validator("due_date", check_fields=False)
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else value.astimezone(UTC)


class TaskCreate(_Body):
    """A new task. Only ``title`` is required."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Feed the cats",
                    "description": "Wet food for Misu, dry for Tom.",
                    "priority": "high",
                    "due_date": "2026-11-28T09:00:00+01:00",
                    "tags": ["home", "Cats"],
                }
            ]
        }
    )

    title: Title
    description: Description | None = None
    status: Status = "pending"
    priority: Priority = "medium"
    due_date: Timestamp | None = Field(default=None, description=DUE_DESCRIPTION)
    tags: Tags = Field(default_factory=list)
    recurrence: RecurrenceIn | None = Field(
        default=None,
        description="Makes the task recurring (it then needs a `due_date`: the due time of its "
        "first occurrence). Created `completed`, its first occurrence is completed.",
    )


class TaskPatch(_Body):
    """A JSON merge patch: the fields present are set; ``null`` clears ``description`` or
    ``due_date``; ``title``, ``status``, ``priority`` and ``tags`` cannot be null."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "completed"},
                {"due_date": None},
                {"recurrence": {"rule": "FREQ=DAILY", "tz": "Europe/Madrid"}},
            ]
        }
    )

    # Absent fields keep their default (None, never validated); an explicit null is refused
    # for the non-nullable ones because their type does not admit it.
    title: Title = Field(default=None)  # type: ignore[assignment]
    description: Description | None = None
    status: Status = Field(default=None)  # type: ignore[arg-type]
    priority: Priority = Field(default=None)  # type: ignore[arg-type]
    due_date: Timestamp | None = Field(default=None, description=DUE_DESCRIPTION)
    tags: Tags = Field(default=None)  # type: ignore[arg-type]
    recurrence: RecurrenceIn | None = Field(
        default=None,
        description="Replaced as a whole; `null` makes the task a one-off task (its completions "
        "stay on record). Setting it (or `due_date`) restarts the series at the due date.",
    )


class Task(BaseModel):
    """A task as the API answers it. Datetimes are UTC with ``Z``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f",
                    "user_id": "u-42",
                    "title": "Feed the cats",
                    "description": "Wet food for Misu, dry for Tom.",
                    "status": "pending",
                    "priority": "high",
                    "due_date": "2026-11-28T08:00:00Z",
                    "tags": ["home", "cats"],
                    "created_at": "2026-11-27T10:00:00Z",
                    "updated_at": "2026-11-27T10:00:00Z",
                    "completed_at": None,
                    "version": 1,
                    "recurrence": {
                        "rule": "FREQ=DAILY",
                        "tz": "Europe/Madrid",
                        "anchor": "schedule",
                        "starts_at": "2026-11-28T08:00:00Z",
                    },
                    "completion_count": 3,
                    "streak": 3,
                    "longest_streak": 5,
                }
            ]
        }
    )

    id: UUID
    user_id: str
    title: str
    description: str | None
    status: Status
    priority: Priority
    due_date: datetime | None
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    version: int = Field(ge=1, description='Starts at 1, +1 on every change; ETag `"<version>"`.')
    recurrence: Recurrence | None = Field(description="null: a one-off task.")
    completion_count: int = Field(
        ge=0, description="Read-only: the task's completions on record (0 or 1 for a one-off task)."
    )
    streak: int | None = Field(
        ge=0,
        description="Read-only, recurring tasks only: consecutive completions each made before "
        "the occurrence after the completed one fell due; 0 once the current occurrence's "
        "successor has fallen due without a completion.",
    )
    longest_streak: int | None = Field(
        ge=0, description="Read-only, recurring tasks only: the longest `streak` so far."
    )


class Completion(BaseModel):
    """One completion: a completed occurrence of a recurring task, or a one-off task's."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "9b2e4f1a-0c3d-4e5f-8a7b-6c5d4e3f2a1b",
                    "task_id": "3f0c8d2e-5b7a-4c1e-9f3a-2d6b8e1c4a7f",
                    "completed_at": "2026-11-27T07:40:00Z",
                    "due_date": "2026-11-27T08:00:00Z",
                    "on_time": True,
                    "next_due_date": "2026-11-28T08:00:00Z",
                    "streak": 4,
                }
            ]
        }
    )

    id: UUID
    task_id: UUID
    completed_at: datetime
    due_date: datetime | None = Field(
        description="The completed occurrence's due date (a one-off task's current due date)."
    )
    on_time: bool | None = Field(description="`completed_at` ≤ `due_date`; null without one.")
    next_due_date: datetime | None = Field(
        description="Where the completion moved the task; null for a one-off task or at the "
        "end of a series."
    )
    streak: int | None = Field(description="The task's streak after this completion.")


class CompletionPage(BaseModel):
    """A task's completions, newest first; pass ``next_cursor`` as ``cursor`` for the next."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [], "next_cursor": None}]})

    items: list[Completion]
    next_cursor: str | None


class TaskPage(BaseModel):
    """One page of a listing; pass ``next_cursor`` as ``cursor`` for the next (null: last)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [], "next_cursor": None}]})

    items: list[Task]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ListFilters:
    """The normalised filters and sort of a listing (the cursor is bound to them)."""

    statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    due_before: datetime | None = None
    due_after: datetime | None = None
    overdue: bool | None = None
    q: str | None = None
    updated_since: datetime | None = None
    sort: str = "-created_at"
    recurring: bool | None = None

    def fingerprint(self) -> list[Any]:
        """A canonical, order-independent form for hashing."""

        def micros(value: datetime | None) -> int | None:
            return None if value is None else to_micros(value)

        return [
            sorted(self.statuses),
            sorted(self.priorities),
            sorted(self.tags),
            micros(self.due_before),
            micros(self.due_after),
            self.overdue,
            self.q,
            micros(self.updated_since),
            self.sort,
            # appended only when used: cursors of earlier queries stay valid
            *([] if self.recurring is None else [{"recurring": self.recurring}]),
        ]


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_micros(value: datetime) -> int:
    if value.tzinfo is None:  # asyncpg reads 'infinity' (9999-12-31T23:59:59.999999Z) naive
        value = value.replace(tzinfo=UTC)
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
