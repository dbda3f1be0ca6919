"""Idempotent writes: the ``Idempotency-Key`` header, the scope of a key, the request
fingerprint that tells a retry from a different request, and the claim / replay / store
steps around a write (POST and PATCH).

A key is scoped to (API key id, user) and lives 24 hours; the first request claims it in its
transaction, does its write, and stores its response in the same transaction, so a retry
(even one that raced the first) either replays that response byte for byte or, while the
first is still running, waits briefly and then gets 409 ``idempotency_key_in_use``. A
request that fails (4xx/5xx) rolls back with its claim: nothing is stored. See
docs/decisions.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

import asyncpg
import orjson
from fastapi import Header

from platform_db import Connection
from task_manager.errors import IdempotencyKeyInUseError, IdempotencyKeyMismatchError
from task_manager.tasks import repository
from task_manager.tasks.repository import StoredResponse
from task_manager.tasks.schemas import TaskCreate, TaskPatch

KEY_MAX = 255
IDEMPOTENCY_TTL = timedelta(hours=24)
IDEMPOTENCY_LOCK_TIMEOUT_MS = 2000

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=KEY_MAX,
        pattern=r"^[\x20-\x7E]+$",
        description="Makes the write safe to retry: the same key with the same request, for "
        "the same API key and user, within 24 hours, answers the first response again and "
        "changes nothing (a retried completion completes once); with a different request → "
        "422 `idempotency_key_mismatch`; while the first request is still running → 409 "
        "`idempotency_key_in_use`. 1-255 printable ASCII characters.",
        examples=["3c5e2a9e-6f0b-4d1e-8a57-1c2b3d4e5f60"],
    ),
]


@dataclass(frozen=True, slots=True)
class IdempotencyScope:
    """Who may replay a stored response: the calling API key (its id) and the key sent."""

    api_key_id: str
    key: str


def request_hash(data: TaskCreate) -> bytes:
    """SHA-256 of the normalised create request (defaults filled in, tags normalised, due
    date in UTC), so retries that differ only in spelling count as the same request."""
    canonical = orjson.dumps(data.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).digest()


def patch_hash(task_id: str, data: TaskPatch, if_match: str | None) -> bytes:
    """SHA-256 of a normalised PATCH: the task, the fields present (a merge patch: absent and
    null differ) and the precondition."""
    fields: dict[str, Any] = {
        name: value
        for name, value in data.model_dump(mode="json").items()
        if name in data.model_fields_set  # a nested recurrence with its defaults filled in
    }
    canonical = orjson.dumps(
        {"method": "PATCH", "task": task_id.lower(), "body": fields, "if_match": if_match},
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(canonical).digest()


def _in_use() -> IdempotencyKeyInUseError:
    return IdempotencyKeyInUseError(
        "A request with this Idempotency-Key is still being processed; retry shortly.",
        headers={"Retry-After": "1"},
    )


async def begin(
    conn: Connection, scope: IdempotencyScope, user_id: str, digest: bytes, now: datetime
) -> StoredResponse | None:
    """Claim the key for this request (None: go ahead, then :func:`finish`), or the stored
    response to replay. Raises 409 while the first request runs, 422 for another request."""
    try:
        claimed = await repository.claim_key(
            conn,
            api_key_id=scope.api_key_id,
            user_id=user_id,
            key=scope.key,
            request_hash=digest,
            now=now,
            expires_at=now + IDEMPOTENCY_TTL,
            lock_timeout_ms=IDEMPOTENCY_LOCK_TIMEOUT_MS,
        )
    except asyncpg.LockNotAvailableError:
        raise _in_use() from None
    if claimed:
        return None
    stored = await repository.find_stored_response(
        conn, api_key_id=scope.api_key_id, user_id=user_id, key=scope.key, now=now
    )
    if stored is None:  # expired between the two statements: let the client retry
        raise _in_use()
    if stored.request_hash != digest:
        raise IdempotencyKeyMismatchError(
            "This Idempotency-Key was already used with a different request."
        )
    return stored


async def finish(
    conn: Connection, scope: IdempotencyScope, user_id: str, response: StoredResponse
) -> None:
    """Store the response of the request that claimed the key (same transaction)."""
    await repository.store_response(
        conn, api_key_id=scope.api_key_id, user_id=user_id, key=scope.key, response=response
    )
