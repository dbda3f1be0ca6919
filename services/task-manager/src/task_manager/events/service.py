"""The rules of the change feed: stamping, pages, the current end, retention."""

from __future__ import annotations

from datetime import datetime, timedelta

import orjson

from platform_db import Connection
from task_manager.errors import CursorExpiredError
from task_manager.events import cursor, repository

READER_STAMP_BATCH = 5000


async def stamp_committed(conn: Connection, *, batch: int = READER_STAMP_BATCH) -> int:
    """Give committed events their feed positions (cheap when there are none)."""
    if not await repository.has_unstamped(conn):
        return 0
    return await repository.stamp(conn, batch)


async def stamp_all_committed(conn: Connection) -> int:
    """Stamp every committed event, in batches, and queue its deliveries. Called in an
    endpoint change's transaction before the change (and before a worker disables an
    endpoint): the feed state's lock is then held until that transaction ends, so every event
    committed before the change is fanned out to the endpoints as they were, and every later
    one to the endpoints as changed (docs/events.md)."""
    total = 0
    while True:
        stamped = await repository.stamp(conn, READER_STAMP_BATCH)
        total += stamped
        if stamped < READER_STAMP_BATCH:
            return total


async def read_feed(
    conn: Connection,
    *,
    user_id: str | None,
    after: str | None,
    types: list[str] | None,
    limit: int,
) -> bytes:
    """One page of the feed as JSON bytes. ``conn`` must not be in a transaction: stamping
    commits its own, and the page is then read with a snapshot that sees it."""
    position = None if after is None else cursor.decode(after, user_id)
    await stamp_committed(conn)
    start = position
    if start is None:  # from the oldest retained event
        start = (await repository.feed_state(conn)).purged_through
    rows = await repository.read_page(conn, after=start, user_id=user_id, types=types, limit=limit)
    if position is not None:
        # Read after the page: a purge that removed events of this page is seen here.
        state = await repository.feed_state(conn)
        if position < state.purged_through:
            raise_expired()
    last = rows[-1]["position"] if rows else start
    items = b",".join(bytes(row["payload"]) for row in rows)
    next_cursor = orjson.dumps(cursor.encode(user_id, last))
    return b'{"items":[' + items + b'],"next_cursor":' + next_cursor + b"}"


async def current_cursor(conn: Connection, *, user_id: str | None) -> str:
    """The end of the feed: every change committed before this call is at or before it."""
    await stamp_committed(conn)
    state = await repository.feed_state(conn)
    return cursor.encode(user_id, state.last_position)


def raise_expired() -> None:
    raise CursorExpiredError(
        "The cursor is older than the retained events; start again from "
        "GET /v1/events/cursor after re-reading the tasks."
    )


def parse_cursor(text: str, user_id: str | None) -> int:
    return cursor.decode(text, user_id)


async def purge_expired(conn: Connection, *, now: datetime, retention_days: int) -> int:
    """Delete events older than the retention (in batches); how many were deleted."""
    total = 0
    while True:
        deleted = await repository.purge(
            conn, before=now - timedelta(days=retention_days), batch=5000
        )
        total += deleted
        if deleted < 5000:
            return total
