"""All SQL of the delivery worker: claiming due deliveries (any number of workers: FOR UPDATE
SKIP LOCKED and a lease), recording attempts, disabling endpoints, the backlog, purging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import orjson

from platform_db import Connection

FAILING_DISABLE_AFTER = timedelta(days=5)

# Due pending deliveries of enabled endpoints, oldest due first, skipping any delivery that has
# an older pending delivery of the same task to the same endpoint (per-task feed order), and
# rows another worker holds. The claim sets next_attempt_at to the lease's end: a worker that
# dies mid-attempt leaves the delivery to be claimed again once the lease has passed.
_CLAIM = """
WITH due AS (
    SELECT d.id FROM webhook_deliveries d
    JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled
    WHERE d.status = 'pending' AND d.next_attempt_at <= $1
      AND NOT EXISTS (
          SELECT 1 FROM webhook_deliveries o
          WHERE o.endpoint_id = d.endpoint_id AND o.task_id = d.task_id
            AND o.status = 'pending'
            AND (o.task_version, o.id) < (d.task_version, d.id)
      )
    ORDER BY d.next_attempt_at, d.id
    LIMIT $3
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE webhook_deliveries d SET next_attempt_at = $2
FROM due, webhook_endpoints w, events e
WHERE d.id = due.id AND w.id = d.endpoint_id AND e.id = d.event_id
RETURNING d.id, d.endpoint_id, d.event_id, d.attempt_count, w.url, w.secret,
          w.previous_secret, w.previous_expires_at, e.payload
"""


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    endpoint_id: UUID
    event_id: UUID
    attempt_count: int
    url: str
    secrets: list[str]
    payload: bytes


async def claim(
    conn: Connection, *, now: datetime, lease_until: datetime, limit: int
) -> list[Claimed]:
    rows = await conn.fetch(_CLAIM, now, lease_until, limit)
    claimed = []
    for r in rows:
        secrets = [r["secret"]]
        if r["previous_secret"] and r["previous_expires_at"] and r["previous_expires_at"] > now:
            secrets.append(r["previous_secret"])
        claimed.append(
            Claimed(
                id=r["id"],
                endpoint_id=r["endpoint_id"],
                event_id=r["event_id"],
                attempt_count=r["attempt_count"],
                url=r["url"],
                secrets=secrets,
                payload=bytes(r["payload"]),
            )
        )
    return claimed


_APPEND = "attempts = attempts || $2::jsonb, attempt_count = attempt_count + 1, updated_at = $3"


async def record_success(
    conn: Connection, delivery_id: int, attempt: dict[str, object], now: datetime
) -> None:
    async with conn.transaction():
        endpoint_id = await conn.fetchval(
            f"UPDATE webhook_deliveries SET status = 'succeeded', next_attempt_at = NULL, "  # noqa: S608
            f"{_APPEND} WHERE id = $1 RETURNING endpoint_id",
            delivery_id,
            orjson.dumps([attempt]).decode(),
            now,
        )
        if endpoint_id is not None:
            await conn.execute(
                "UPDATE webhook_endpoints SET failing_since = NULL "
                "WHERE id = $1 AND failing_since IS NOT NULL",
                endpoint_id,
            )


async def record_failure(
    conn: Connection,
    delivery_id: int,
    attempt: dict[str, object],
    *,
    now: datetime,
    retry_at: datetime | None,
    gone: bool,
    before_disabling: Callable[[Connection], Awaitable[object]],
) -> str | None:
    """Record a failed attempt: retried at ``retry_at``, or failed for good when None. A 410
    (``gone``) disables the endpoint at once; an endpoint whose every attempt has failed for
    5 days is disabled. Returns the reason when the endpoint was disabled.
    ``before_disabling`` runs first in the transaction when this attempt may disable the
    endpoint, before any row is locked (the feed's stamper: the lock order of every endpoint
    change is the feed state, then the endpoint)."""
    async with conn.transaction():
        failing_since = await conn.fetchval(
            "SELECT w.failing_since FROM webhook_deliveries d "
            "JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.id = $1",
            delivery_id,
        )
        if gone or (failing_since is not None and now - failing_since >= FAILING_DISABLE_AFTER):
            await before_disabling(conn)
        endpoint_id = await conn.fetchval(
            f"UPDATE webhook_deliveries SET status = CASE WHEN $4::timestamptz IS NULL "  # noqa: S608
            f"THEN 'failed' ELSE 'pending' END, next_attempt_at = $4, {_APPEND} "
            "WHERE id = $1 RETURNING endpoint_id",
            delivery_id,
            orjson.dumps([attempt]).decode(),
            now,
            retry_at,
        )
        if endpoint_id is None:
            return None
        failing_since = await conn.fetchval(
            "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2) "
            "WHERE id = $1 RETURNING failing_since",
            endpoint_id,
            now,
        )
        reason = None
        if gone:
            reason = "gone"
        elif failing_since is not None and now - failing_since >= FAILING_DISABLE_AFTER:
            reason = "failing"
        if reason is not None:
            await disable(conn, endpoint_id, reason, now)
        return reason


async def disable(conn: Connection, endpoint_id: UUID, reason: str, now: datetime) -> None:
    await conn.execute(
        "UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, updated_at = $3 "
        "WHERE id = $1 AND enabled",
        endpoint_id,
        reason,
        now,
    )
    await conn.execute(
        "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, "
        "updated_at = $2 WHERE endpoint_id = $1 AND status = 'pending'",
        endpoint_id,
        now,
    )


@dataclass(frozen=True, slots=True)
class Backlog:
    pending: int
    oldest_pending_age_seconds: float


async def backlog(conn: Connection, now: datetime) -> Backlog:
    row = await conn.fetchrow(
        "SELECT count(*) AS n, min(created_at) AS oldest FROM webhook_deliveries "
        "WHERE status = 'pending'"
    )
    assert row is not None
    oldest = row["oldest"]
    age = 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds())
    return Backlog(int(row["n"]), round(age, 3))


async def purge_deliveries(conn: Connection, *, before: datetime, batch: int = 5000) -> int:
    """Delete finished delivery records last touched before ``before``."""
    total = 0
    while True:
        result = await conn.execute(
            "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries "
            "WHERE status <> 'pending' AND updated_at < $1 LIMIT $2)",
            before,
            batch,
        )
        deleted = int(result.split()[-1])
        total += deleted
        if deleted < batch:
            return total
