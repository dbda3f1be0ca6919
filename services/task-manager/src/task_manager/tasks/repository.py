"""All SQL of the tasks domain's reads and idempotency keys (the writes, one statement per
change, are in :mod:`.writes`). Every statement is scoped by ``user_id``, every value is a bound
parameter, and every "now" comes from the caller (the injectable clock), never SQL ``now()``.

Listing uses keyset pagination over indexes that all lead with ``user_id`` (migration 0002):
the sort key expressions below are exactly the indexed expressions, so each sort is an index
scan in order, stopped by the LIMIT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson

from platform_db import Connection
from task_manager.tasks.model import Completion, Task, completion_from_row, task_from_row
from task_manager.tasks.schemas import ListFilters

COLUMNS = (
    "id, user_id, title, description, status, priority, due_date, tags, "
    "created_at, updated_at, completed_at, version, recurrence_rule, recurrence_tz, "
    "recurrence_anchor, recurrence_starts_at, occurrence, streak, longest_streak, "
    "streak_until, completion_count, completion_seq"
)

# Sort name -> the indexed key expression. Tasks without a due date sort last either way:
# they take +infinity ascending and -infinity descending (the two expression indexes).
SORT_KEYS: dict[str, str] = {
    "created_at": "created_at",
    "updated_at": "updated_at",
    "priority": "priority_rank",
    "due_date": "COALESCE(due_date, 'infinity'::timestamptz)",
    "-due_date": "COALESCE(due_date, '-infinity'::timestamptz)",
}
_KEY_CASTS: dict[str, str] = {
    "created_at": "timestamptz",
    "updated_at": "timestamptz",
    "priority": "smallint",
    "due_date": "timestamptz",
}


async def get_task_row(conn: Connection, user_id: str, task_id: UUID | str) -> Any:
    """The task's row (None: no such task for this user). ``task_id`` may be a canonical UUID's
    text: asyncpg encodes it as the same ``uuid``."""
    return await conn.fetchrow(
        f"SELECT {COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2",  # noqa: S608
        task_id,
        user_id,
    )


async def get_task(conn: Connection, user_id: str, task_id: UUID) -> Task | None:
    row = await get_task_row(conn, user_id, task_id)
    return None if row is None else task_from_row(row)


async def lock_task(conn: Connection, user_id: str, task_id: UUID) -> Task | None:
    """The task, locked until the transaction ends: the caller's write cannot miss (the
    fallback of a hot task, and the read inside an Idempotency-Key's transaction)."""
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2 FOR UPDATE",  # noqa: S608
        task_id,
        user_id,
    )
    return None if row is None else task_from_row(row)


# --- completions -----------------------------------------------------------------------------

COMPLETION_COLUMNS = ", ".join(Completion.__slots__)


async def latest_completion(conn: Connection, task: Task) -> Completion | None:
    row = await conn.fetchrow(
        f"SELECT {COMPLETION_COLUMNS} FROM task_completions "  # noqa: S608
        "WHERE task_id = $1 AND user_id = $2 ORDER BY number DESC LIMIT 1",
        task.id,
        task.user_id,
    )
    return None if row is None else completion_from_row(row)


async def get_completion(
    conn: Connection, user_id: str, task_id: UUID, completion_id: UUID
) -> Completion | None:
    row = await conn.fetchrow(
        f"SELECT {COMPLETION_COLUMNS} FROM task_completions "  # noqa: S608
        "WHERE id = $1 AND task_id = $2 AND user_id = $3",
        completion_id,
        task_id,
        user_id,
    )
    return None if row is None else completion_from_row(row)


async def list_completions(
    conn: Connection, user_id: str, task_id: UUID, *, before_number: int | None, limit: int
) -> list[Completion] | None:
    """Newest first (by number), after the keyset position; None when the task is unknown.
    One statement: the task's existence and the page."""
    rows = await conn.fetch(
        f"""
        SELECT c.* FROM tasks AS t
        LEFT JOIN LATERAL (
            SELECT {COMPLETION_COLUMNS} FROM task_completions
            WHERE task_id = t.id AND user_id = t.user_id
              AND ($3::int IS NULL OR number < $3::int)
            ORDER BY number DESC LIMIT $4
        ) AS c ON true
        WHERE t.id = $1 AND t.user_id = $2
        ORDER BY c.number DESC
        """,  # noqa: S608 (constant fragments only)
        task_id,
        user_id,
        before_number,
        limit,
    )
    if not rows:
        return None
    return [completion_from_row(r) for r in rows if r["id"] is not None]


# --- idempotency keys ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredResponse:
    request_hash: bytes
    status_code: int
    body: bytes
    headers: dict[str, str]


# Claim the key (waiting at most lock_timeout for a concurrent first request to finish): a new
# row, or an expired row of the same key taken over in place; a few expired keys of anyone
# are dropped on the way. The response is stored by store_response later in the transaction.
_CLAIM = """
WITH cfg AS (
    SELECT set_config('lock_timeout', $5, true)
), claimed AS (
    INSERT INTO idempotency_keys AS k
        (api_key_id, user_id, key, request_hash, status_code, response_body, response_headers,
         created_at, expires_at)
    SELECT $1, $2, $3, $4, 0, ''::bytea, '{}'::jsonb, $6, $7 FROM cfg
    ON CONFLICT (api_key_id, user_id, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, status_code = 0,
            response_body = EXCLUDED.response_body,
            response_headers = EXCLUDED.response_headers,
            created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
        WHERE k.expires_at <= $6
    RETURNING 1
), expired AS (
    DELETE FROM idempotency_keys WHERE ctid IN (
        SELECT ctid FROM idempotency_keys
        WHERE expires_at <= $6 AND (api_key_id, user_id, key) <> ($1, $2, $3)
        LIMIT 20 FOR UPDATE SKIP LOCKED
    )
)
SELECT count(*) FROM claimed
"""


async def claim_key(
    conn: Connection,
    *,
    api_key_id: str,
    user_id: str,
    key: str,
    request_hash: bytes,
    now: datetime,
    expires_at: datetime,
    lock_timeout_ms: int,
) -> bool:
    """True when the key was claimed for this request; False when a live entry exists (read
    it with :func:`find_stored_response`). Raises asyncpg.LockNotAvailableError when a
    concurrent request holds the key too long."""
    claimed: int = await conn.fetchval(
        _CLAIM, api_key_id, user_id, key, request_hash, str(lock_timeout_ms), now, expires_at
    )
    # the statement's lock_timeout is local to the transaction: back to the default
    await conn.execute("SET LOCAL lock_timeout = DEFAULT")
    return claimed == 1


async def store_response(
    conn: Connection, *, api_key_id: str, user_id: str, key: str, response: StoredResponse
) -> None:
    await conn.execute(
        "UPDATE idempotency_keys SET status_code = $4, response_body = $5, "
        "response_headers = $6::jsonb WHERE api_key_id = $1 AND user_id = $2 AND key = $3",
        api_key_id,
        user_id,
        key,
        response.status_code,
        response.body,
        orjson.dumps(response.headers).decode(),
    )


async def find_stored_response(
    conn: Connection, *, api_key_id: str, user_id: str, key: str, now: datetime
) -> StoredResponse | None:
    row = await conn.fetchrow(
        "SELECT request_hash, status_code, response_body, response_headers "
        "FROM idempotency_keys "
        "WHERE api_key_id = $1 AND user_id = $2 AND key = $3 AND expires_at > $4",
        api_key_id,
        user_id,
        key,
        now,
    )
    if row is None:
        return None
    return StoredResponse(
        request_hash=row["request_hash"],
        status_code=row["status_code"],
        body=row["response_body"],
        headers=orjson.loads(row["response_headers"]),
    )


@dataclass(frozen=True, slots=True)
class After:
    """Keyset position: the sort value of the last row seen (None: no due date) and its id."""

    key: datetime | int | None
    id: UUID


def list_query(
    user_id: str,
    filters: ListFilters,
    *,
    after: After | None,
    limit: int,
    now: datetime,
) -> tuple[str, list[Any]]:
    """The SQL and arguments of one page (``limit`` rows). Only constant fragments are
    assembled; every value is a bound parameter."""
    args: list[Any] = [user_id]
    where = ["user_id = $1"]

    def bind(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    if filters.statuses:
        where.append(f"status = ANY({bind(list(filters.statuses))}::text[])")
    if filters.priorities:
        where.append(f"priority = ANY({bind(list(filters.priorities))}::text[])")
    if filters.tags:
        where.append(f"tags @> {bind(list(filters.tags))}::text[]")
    if filters.due_before is not None:
        where.append(f"due_date < {bind(filters.due_before)}::timestamptz")
    if filters.due_after is not None:
        where.append(f"due_date >= {bind(filters.due_after)}::timestamptz")
    if filters.overdue is not None:
        overdue = f"(status <> 'completed' AND due_date < {bind(now)}::timestamptz)"
        where.append(overdue if filters.overdue else f"NOT COALESCE({overdue}, false)")
    if filters.q is not None:
        # A literal substring (no LIKE wildcards to escape), compared lower-cased. Unlike
        # ILIKE, whose selectivity the planner guesses as tiny (then it prefers a Seq Scan and
        # a Sort), strpos() gets the default estimate, which keeps the ordered index scan.
        needle = f"lower({bind(filters.q)}::text)"
        where.append(
            f"(strpos(lower(title), {needle}) > 0 OR strpos(lower(description), {needle}) > 0)"
        )
    if filters.updated_since is not None:
        where.append(f"updated_at >= {bind(filters.updated_since)}::timestamptz")
    if filters.recurring is not None:
        where.append(f"recurrence_rule IS {'NOT ' if filters.recurring else ''}NULL")

    descending = filters.sort.startswith("-")
    name = filters.sort.lstrip("-")
    key = SORT_KEYS.get(filters.sort, SORT_KEYS[name])
    direction = "DESC" if descending else "ASC"
    if after is not None:
        cast = _KEY_CASTS[name]
        op = "<" if descending else ">"
        bound_key = bind(after.key)
        if name == "due_date":
            fill = "'-infinity'" if descending else "'infinity'"
            bound_key = f"COALESCE({bound_key}::timestamptz, {fill}::timestamptz)"
        else:
            bound_key = f"{bound_key}::{cast}"
        where.append(f"({key}, id) {op} ({bound_key}, {bind(after.id)}::uuid)")
    # Constant fragments and $n placeholders only: no value is ever formatted in.
    conditions = " AND ".join(where)
    order = f"ORDER BY {key} {direction}, id {direction} LIMIT {bind(limit)}"
    sql = f"SELECT {COLUMNS} FROM tasks WHERE {conditions} {order}"  # noqa: S608
    return sql, args


async def list_rows(conn: Connection, sql: str, args: list[Any]) -> list[Any]:
    """The rows of one page (``list_query``): the service renders them."""
    return await conn.fetch(sql, *args)
