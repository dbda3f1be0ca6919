"""All SQL of the webhooks routes: endpoints, the delivery log, replays. Endpoints belong to
the service's clients as a whole (no user scope); every value is a bound parameter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from platform_db import Connection

ENDPOINT_COLUMNS = (
    "id, url, event_types, description, enabled, disabled_reason, created_at, updated_at"
)
_LIMIT_LOCK = 7_214_300_514  # advisory lock: one endpoint count-and-insert at a time


@dataclass(frozen=True, slots=True)
class NewEndpoint:
    id: UUID
    url: str
    event_types: list[str]
    description: str | None
    enabled: bool
    secret: str
    now: datetime


async def insert_endpoint(conn: Connection, endpoint: NewEndpoint, *, limit: int) -> bool:
    """False (nothing written) when ``limit`` endpoints exist already."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", _LIMIT_LOCK)
    if await conn.fetchval("SELECT count(*) FROM webhook_endpoints") >= limit:
        return False
    await conn.execute(
        "INSERT INTO webhook_endpoints (id, url, event_types, description, enabled, "
        "disabled_reason, secret, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 THEN NULL ELSE 'disabled' END, $6, $7, $7)",
        endpoint.id,
        endpoint.url,
        endpoint.event_types,
        endpoint.description,
        endpoint.enabled,
        endpoint.secret,
        endpoint.now,
    )
    return True


async def get_endpoint(conn: Connection, endpoint_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1",  # noqa: S608
        endpoint_id,
    )


async def list_endpoints(conn: Connection) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY created_at, id"  # noqa: S608
    )


async def update_endpoint(
    conn: Connection, endpoint_id: UUID, changes: dict[str, Any], now: datetime
) -> asyncpg.Record | None:
    """Apply a merge patch (only known column names reach here). Disabling by request marks
    the endpoint's pending deliveries failed; enabling clears the disabled reason and the
    failure clock. Resends nothing."""
    current = await conn.fetchrow(
        "SELECT enabled FROM webhook_endpoints WHERE id = $1 FOR UPDATE", endpoint_id
    )
    if current is None:
        return None
    if not changes:
        return await get_endpoint(conn, endpoint_id)
    row = await conn.fetchrow(
        f"""
        UPDATE webhook_endpoints SET
            url = CASE WHEN $2 THEN $3 ELSE url END,
            event_types = CASE WHEN $4 THEN $5::text[] ELSE event_types END,
            description = CASE WHEN $6 THEN $7 ELSE description END,
            enabled = COALESCE($8, enabled),
            disabled_reason = CASE
                WHEN $8 IS TRUE THEN NULL
                WHEN $8 IS FALSE AND enabled THEN 'disabled'
                ELSE disabled_reason END,
            failing_since = CASE WHEN $8 IS TRUE AND NOT enabled THEN NULL
                                 ELSE failing_since END,
            updated_at = $9
        WHERE id = $1
        RETURNING {ENDPOINT_COLUMNS}
        """,  # noqa: S608
        endpoint_id,
        "url" in changes,
        changes.get("url"),
        "event_types" in changes,
        changes.get("event_types"),
        "description" in changes,
        changes.get("description"),
        changes.get("enabled"),
        now,
    )
    if changes.get("enabled") is False:
        await fail_pending(conn, endpoint_id, now)
    return row


async def fail_pending(conn: Connection, endpoint_id: UUID, now: datetime) -> None:
    await conn.execute(
        "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, "
        "updated_at = $2 WHERE endpoint_id = $1 AND status = 'pending'",
        endpoint_id,
        now,
    )


async def delete_endpoint(conn: Connection, endpoint_id: UUID) -> bool:
    result = await conn.execute("DELETE FROM webhook_endpoints WHERE id = $1", endpoint_id)
    return result.endswith(" 1")


async def rotate_secret(
    conn: Connection, endpoint_id: UUID, secret: str, now: datetime, keep_until: datetime
) -> bool:
    result = await conn.execute(
        "UPDATE webhook_endpoints SET previous_secret = secret, previous_expires_at = $3, "
        "secret = $2, updated_at = $4 WHERE id = $1",
        endpoint_id,
        secret,
        keep_until,
        now,
    )
    return result.endswith(" 1")


async def list_deliveries(
    conn: Connection,
    endpoint_id: UUID,
    *,
    status: str | None,
    before_id: int | None,
    limit: int,
) -> list[asyncpg.Record]:
    """Newest first (keyset on the delivery id)."""
    return await conn.fetch(
        """
        SELECT id, event_id, event_type, status, attempts::text AS attempts, next_attempt_at,
               created_at
        FROM webhook_deliveries
        WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2)
          AND ($3::bigint IS NULL OR id < $3)
        ORDER BY id DESC LIMIT $4
        """,
        endpoint_id,
        status,
        before_id,
        limit,
    )


_REPLAY_SELECT = """
INSERT INTO webhook_deliveries
    (endpoint_id, event_id, event_type, task_id, task_version, status, next_attempt_at,
     created_at, updated_at)
SELECT w.id, e.id, e.type, e.task_id, e.task_version, 'pending', $2, $2, $2
FROM webhook_endpoints w, events e
WHERE w.id = $1 AND (e.type = ANY (w.event_types) OR '*' = ANY (w.event_types))
"""


async def replay_after(conn: Connection, endpoint_id: UUID, position: int, now: datetime) -> int:
    """Queue every stamped event after ``position`` again, in feed order."""
    result = await conn.execute(
        _REPLAY_SELECT + " AND e.position > $3 ORDER BY e.position", endpoint_id, now, position
    )
    return int(result.split()[-1])


async def replay_ids(conn: Connection, endpoint_id: UUID, ids: list[UUID], now: datetime) -> int:
    result = await conn.execute(
        _REPLAY_SELECT + " AND e.id = ANY($3::uuid[]) ORDER BY e.seq", endpoint_id, now, ids
    )
    return int(result.split()[-1])
