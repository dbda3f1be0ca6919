"""The task's wire format: request bodies (validated and normalised here), responses, and the
listing query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, get_args
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from task_manager.tasks import fields

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


class TaskPatch(_Body):
    """A JSON merge patch: the fields present are set; ``null`` clears ``description`` or
    ``due_date``; ``title``, ``status``, ``priority`` and ``tags`` cannot be null."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "completed"}, {"due_date": None}]}
    )

    # Absent fields keep their default (None, never validated); an explicit null is refused
    # for the non-nullable ones because their type does not admit it.
    title: Title = Field(default=None)  # type: ignore[assignment]
    description: Description | None = None
    status: Status = Field(default=None)  # type: ignore[arg-type]
    priority: Priority = Field(default=None)  # type: ignore[arg-type]
    due_date: Timestamp | None = Field(default=None, description=DUE_DESCRIPTION)
    tags: Tags = Field(default=None)  # type: ignore[arg-type]


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
        ]


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_micros(value: datetime) -> int:
    if value.tzinfo is None:  # asyncpg reads 'infinity' (9999-12-31T23:59:59.999999Z) naive
        value = value.replace(tzinfo=UTC)
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
