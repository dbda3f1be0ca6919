"""Pydantic models of the webhooks routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from task_manager.webhooks.targets import URL_MAX

EventTypeFilter = Literal[
    "*", "task.created", "task.updated", "task.completed", "task.reopened", "task.deleted"
]
EventTypes = Annotated[
    list[EventTypeFilter],
    Field(
        min_length=1,
        max_length=6,
        description="The event types to deliver: any of the feed's types, or `*` for all.",
        examples=[["task.completed", "task.reopened"]],
    ),
]
Url = Annotated[
    str,
    Field(
        min_length=1,
        max_length=URL_MAX,
        description="Absolute https URL (http only with WEBHOOKS_ALLOW_HTTP). Hosts resolving "
        "to non-public addresses are refused.",
        examples=["https://cathouse.example/hooks/tasks"],
    ),
]
Description = Annotated[str, Field(max_length=500, description="At most 500 characters.")]
DeliveryStatus = Literal["pending", "succeeded", "failed"]


def _all_types() -> list[EventTypeFilter]:
    return ["*"]


def _dedupe(value: list[str] | None) -> list[str] | None:
    return None if value is None else list(dict.fromkeys(value))


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url
    event_types: EventTypes = Field(default_factory=_all_types)
    description: Description | None = None
    enabled: bool = True

    _types = field_validator("event_types")(_dedupe)


class WebhookPatch(BaseModel):
    """JSON merge patch: fields present are set; `description: null` clears it."""

    model_config = ConfigDict(extra="forbid")

    url: Url | None = None
    event_types: EventTypes | None = None
    description: Description | None = None
    enabled: bool | None = None

    _types = field_validator("event_types")(_dedupe)

    @model_validator(mode="after")
    def _no_nulls(self) -> WebhookPatch:
        for name in ("url", "event_types", "enabled"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class Webhook(BaseModel):
    id: UUID
    url: str
    event_types: list[str]
    description: str | None
    enabled: bool
    disabled_reason: str | None = Field(
        description="Why the service disabled it: `gone` (the receiver answered 410), "
        "`failing` (every attempt failed for 5 days), `disabled` (by a request); null when "
        "enabled."
    )
    created_at: datetime
    updated_at: datetime


class WebhookWithSecret(Webhook):
    secret: str = Field(
        description="`whsec_` + base64 of 32 random bytes; shown only here and on rotation."
    )


class WebhookList(BaseModel):
    items: list[Webhook]


class SecretAnswer(BaseModel):
    secret: str


class Attempt(BaseModel):
    at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None = Field(
        description="Why the attempt failed without an HTTP answer (`timeout`, "
        "`connection_error`, `forbidden_target`, …), or null."
    )


class Delivery(BaseModel):
    id: int
    event_id: UUID
    event_type: str
    status: DeliveryStatus
    attempts: list[Attempt]
    next_attempt_at: datetime | None
    created_at: datetime


class DeliveryPage(BaseModel):
    items: list[Delivery]
    next_cursor: str | None


class ReplayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    after: str | None = Field(
        default=None, min_length=1, max_length=256, description="A cursor of the unscoped feed."
    )
    event_ids: list[UUID] | None = Field(default=None, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _one_of(self) -> ReplayRequest:
        if (self.after is None) == (self.event_ids is None):
            raise ValueError("give exactly one of after and event_ids")
        return self


class ReplayAnswer(BaseModel):
    queued: int
