"""All SQL of the change feed: the outbox's part of a write statement (the event and the
workers' wake-up), the stamper (positions and the webhook fan-out), the feed pages, retention.

The feed is scoped by ``user_id`` when the caller names a user; the unscoped feed is the
service clients' view of every change (the contract's ``X-User-ID``-less feed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from uuid import UUID

import asyncpg

from platform_db import Connection

WAKE_CHANNEL = "task_manager_webhooks"


@dataclass(frozen=True, slots=True)
class NewEvent:
    id: UUID
    type: str
    user_id: str
    task_id: UUID
    task_version: int
    occurred_at: datetime
    payload: bytes


Bind = Callable[[Callable[[NewEvent], object]], str]


def outbox_ctes(bind: Bind, guard: str, *, notify: bool) -> str:
    """The outbox's part of a write statement (the tasks repository builds the statement):
    the event, and ``wake``, a row when an enabled endpoint's types match it. With ``notify``
    (a write inside a transaction) ``wake`` also sends the NOTIFY, a hint for the workers that
    PostgreSQL delivers at the commit; without, the caller sends it after the commit when
    ``wake`` returned a row (:class:`task_manager.events.wakeup.FeedWakeup`). The deliveries
    are fanned out when the event is stamped (:data:`_STAMP`), not here: the write adds one
    row. ``guard`` names a CTE of the same statement: the event is written only when it
    returned a row (the change happened). The CTEs are ``ev`` and ``wake``; the statement must
    read ``wake`` (``SELECT (SELECT count(*) FROM wake)``), for the NOTIFY to run and to tell
    whether an endpoint matched. ``bind`` takes how to read a value from the :class:`NewEvent`
    and returns its placeholder: every value is a bound parameter, and the text is the same
    for every event (built once)."""
    kind = bind(attrgetter("type"))
    occurred_at = bind(attrgetter("occurred_at"))
    task_id, version = bind(attrgetter("task_id")), bind(attrgetter("task_version"))
    event_id, user_id, payload = (
        bind(attrgetter("id")),
        bind(attrgetter("user_id")),
        bind(attrgetter("payload")),
    )
    hint = f"pg_notify('{WAKE_CHANNEL}', '')" if notify else "1"
    return f"""ev AS (
    INSERT INTO events (id, type, user_id, task_id, task_version, occurred_at, payload)
    SELECT {event_id}::uuid, {kind}::text, {user_id}::text, {task_id}::uuid,
           {version}::int, {occurred_at}::timestamptz, {payload}::bytea
    FROM (SELECT 1 FROM {guard} LIMIT 1) AS happened
    RETURNING 1
), wake AS (
    SELECT {hint} FROM (SELECT 1 FROM ev) AS written
    WHERE EXISTS (
        SELECT 1 FROM webhook_endpoints w
        WHERE w.enabled AND ({kind}::text = ANY (w.event_types) OR '*' = ANY (w.event_types))
    )
)"""  # noqa: S608 (constant fragments and placeholders only)


# --- The stamper -------------------------------------------------------------------------------
# Two statements in one READ COMMITTED transaction. The first takes the row lock of the feed
# state (waiting for a stamper in progress to commit); the second, with a snapshot taken after
# the lock was granted, numbers the committed unstamped events in insertion order and queues
# one pending delivery per (event, enabled endpoint whose types match), in feed order. Every
# change to which endpoints match (a registration, a patch, a disabling) stamps first under
# the same lock (:func:`stamp`), so an event is fanned out to the endpoints that matched when
# it committed: the stamper sees exactly the endpoint changes committed before it.
_LOCK = "SELECT last_position FROM event_feed_state WHERE id = 1 FOR UPDATE"
_ENSURE_STATE = "INSERT INTO event_feed_state (id) VALUES (1) ON CONFLICT (id) DO NOTHING"
_STAMP = """
WITH todo AS (
    SELECT id, row_number() OVER (ORDER BY seq) AS n
    FROM (SELECT id, seq FROM events WHERE position IS NULL ORDER BY seq LIMIT $1) AS batch
), total AS (
    SELECT count(*) AS n FROM todo
), st AS (
    UPDATE event_feed_state SET last_position = last_position + total.n
    FROM total WHERE id = 1 AND total.n > 0
    RETURNING last_position - total.n AS base
), stamped AS (
    UPDATE events e SET position = st.base + todo.n
    FROM todo, st WHERE e.id = todo.id
    RETURNING e.id, e.type, e.task_id, e.task_version, e.occurred_at, e.position
), fanned AS (
    INSERT INTO webhook_deliveries
        (endpoint_id, event_id, event_type, task_id, task_version, status, next_attempt_at,
         created_at, updated_at)
    SELECT w.id, s.id, s.type, s.task_id, s.task_version, 'pending',
           s.occurred_at, s.occurred_at, s.occurred_at
    FROM stamped s JOIN webhook_endpoints w
      ON w.enabled AND (s.type = ANY (w.event_types) OR '*' = ANY (w.event_types))
    ORDER BY s.position, w.id
    RETURNING 1
)
SELECT (SELECT count(*) FROM stamped) AS stamped, (SELECT count(*) FROM fanned) AS queued
"""
_HAS_UNSTAMPED = "SELECT EXISTS (SELECT 1 FROM events WHERE position IS NULL)"


async def has_unstamped(conn: Connection) -> bool:
    return bool(await conn.fetchval(_HAS_UNSTAMPED))


async def stamp(conn: Connection, batch: int) -> int:
    """Give up to ``batch`` committed events their positions and queue their deliveries; the
    number stamped. Runs in its own transaction on ``conn``, or, when ``conn`` is in one, in
    that transaction (a savepoint): the feed state's lock is then held until it ends — what an
    endpoint change does to be ordered with every stamping."""
    async with conn.transaction():
        if await conn.fetchval(_LOCK) is None:
            await conn.execute(_ENSURE_STATE)
            await conn.fetchval(_LOCK)
        row = await conn.fetchrow(_STAMP, batch)
    assert row is not None
    count: int = row["stamped"]
    return count


@dataclass(frozen=True, slots=True)
class FeedState:
    last_position: int
    purged_through: int


async def feed_state(conn: Connection) -> FeedState:
    row = await conn.fetchrow(
        "SELECT last_position, purged_through FROM event_feed_state WHERE id = 1"
    )
    if row is None:
        return FeedState(0, 0)
    return FeedState(int(row["last_position"]), int(row["purged_through"]))


async def read_page(
    conn: Connection,
    *,
    after: int,
    user_id: str | None,
    types: list[str] | None,
    limit: int,
) -> list[asyncpg.Record]:
    """Stamped events after a position, in feed order: (position, payload)."""
    args: list[object] = [after, limit]
    where = ["position > $1"]
    if user_id is not None:
        args.append(user_id)
        where.append(f"user_id = ${len(args)}")
    if types:
        args.append(types)
        where.append(f"type = ANY(${len(args)}::text[])")
    sql = (
        f"SELECT position, payload FROM events WHERE {' AND '.join(where)} "  # noqa: S608
        "ORDER BY position LIMIT $2"
    )
    return await conn.fetch(sql, *args)


async def purge(conn: Connection, *, before: datetime, batch: int) -> int:
    """Delete the oldest stamped events older than ``before`` — only a leading run of the
    feed, so that what is retained is always a suffix — and their deliveries with them;
    advance ``purged_through``. The number of events deleted."""
    async with conn.transaction():
        head = await conn.fetch(
            "SELECT position, occurred_at FROM events WHERE position IS NOT NULL "
            "ORDER BY position LIMIT $1",
            batch,
        )
        last = None
        for row in head:
            if row["occurred_at"] >= before:
                break
            last = row["position"]
        if last is None:
            return 0
        deleted = await conn.execute(
            "DELETE FROM events WHERE position IS NOT NULL AND position <= $1", last
        )
        await conn.execute(
            "UPDATE event_feed_state SET purged_through = greatest(purged_through, $1) "
            "WHERE id = 1",
            last,
        )
    return int(deleted.split()[-1])
