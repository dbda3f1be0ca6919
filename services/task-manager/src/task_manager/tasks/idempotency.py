"""Idempotent creates: the ``Idempotency-Key`` header, the scope of a key, and the request
fingerprint that tells a retry from a different request.

A key is scoped to (API key id, user) and lives 24 hours (``service.IDEMPOTENCY_TTL``); the
first ``201`` is stored in PostgreSQL with the task, in the same statement, and replayed
byte for byte to retries. See docs/decisions.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Annotated

import orjson
from fastapi import Header

from task_manager.tasks.schemas import TaskCreate

KEY_MAX = 255

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=KEY_MAX,
        pattern=r"^[\x20-\x7E]+$",
        description="Makes the create safe to retry: the same key with the same body, for the "
        "same API key and user, within 24 hours, answers the first response again and creates "
        "nothing; with a different body → 422 `idempotency_key_mismatch`; while the first "
        "request is still running → 409 `idempotency_key_in_use`. 1-255 printable ASCII "
        "characters.",
        examples=["3c5e2a9e-6f0b-4d1e-8a57-1c2b3d4e5f60"],
    ),
]


@dataclass(frozen=True, slots=True)
class IdempotencyScope:
    """Who may replay a stored response: the calling API key (its id) and the key sent."""

    api_key_id: str
    key: str


def request_hash(data: TaskCreate) -> bytes:
    """SHA-256 of the normalised request (defaults filled in, tags normalised, due date in
    UTC), so retries that differ only in spelling count as the same request."""
    canonical = orjson.dumps(data.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).digest()
