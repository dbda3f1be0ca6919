"""All SQL of the tasks domain. Every statement is scoped by ``user_id``, every value is a bound
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

import asyncpg
import orjson

from platform_db import Connection
from task_manager.tasks.schemas import ListFilters

COLUMNS = (
    "id, user_id, title, description, status, priority, due_date, tags, "
    "created_at, updated_at, completed_at, version"
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


@dataclass(frozen=True, slots=True)
class NewTask:
    id: UUID
    user_id: str
    title: str
    description: str | None
    status: str
    priority: str
    due_date: datetime | None
    tags: list[str]
    created_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredResponse:
    request_hash: bytes
    status_code: int
    body: bytes
    headers: dict[str, str]


_INSERT_TASK_VALUES = "$1::uuid, $2, $3, $4, $5, $6, $7::timestamptz, $8::text[], $9, $9, $10, 1"
_INSERT_COLUMNS = (
    "id, user_id, title, description, status, priority, due_date, tags, "
    "created_at, updated_at, completed_at, version"
)


def _task_args(task: NewTask) -> list[Any]:
    return [
        task.id,
        task.user_id,
        task.title,
        task.description,
        task.status,
        task.priority,
        task.due_date,
        task.tags,
        task.created_at,
        task.completed_at,
    ]


async def insert_task(conn: Connection, task: NewTask) -> None:
    await conn.execute(
        f"INSERT INTO tasks ({_INSERT_COLUMNS}) VALUES ({_INSERT_TASK_VALUES})",  # noqa: S608
        *_task_args(task),
    )


# One statement: claim the key (waiting at most lock_timeout for a concurrent first request to
# finish), insert the task only when the key was claimed, and drop a few expired keys of
# anyone. An expired row of the same key is taken over in place.
_CREATE_WITH_KEY = f"""
WITH cfg AS (
    SELECT set_config('lock_timeout', $17, true)
), claimed AS (
    INSERT INTO idempotency_keys AS k
        (api_key_id, user_id, key, request_hash, status_code, response_body, response_headers,
         created_at, expires_at)
    SELECT $11, $2, $12, $13, $14, $15, $16::jsonb, $9, $18 FROM cfg
    ON CONFLICT (api_key_id, user_id, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, status_code = EXCLUDED.status_code,
            response_body = EXCLUDED.response_body,
            response_headers = EXCLUDED.response_headers,
            created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
        WHERE k.expires_at <= $9
    RETURNING 1
), created AS (
    INSERT INTO tasks ({_INSERT_COLUMNS})
    SELECT {_INSERT_TASK_VALUES} FROM claimed
    RETURNING 1
), expired AS (
    DELETE FROM idempotency_keys WHERE ctid IN (
        SELECT ctid FROM idempotency_keys
        WHERE expires_at <= $9 AND (api_key_id, user_id, key) <> ($11, $2, $12)
        LIMIT 20 FOR UPDATE SKIP LOCKED
    )
)
SELECT count(*) FROM created
"""  # noqa: S608 (constant fragments only)


async def insert_task_with_key(
    conn: Connection,
    task: NewTask,
    *,
    api_key_id: str,
    key: str,
    request_hash: bytes,
    response: StoredResponse,
    expires_at: datetime,
    lock_timeout_ms: int,
) -> bool:
    """True when the key was claimed and the task created; False when a live entry for the
    key exists (read it with :func:`find_stored_response`). Raises
    asyncpg.LockNotAvailableError when a concurrent request holds the key too long."""
    created: int = await conn.fetchval(
        _CREATE_WITH_KEY,
        *_task_args(task),
        api_key_id,
        key,
        request_hash,
        response.status_code,
        response.body,
        orjson.dumps(response.headers).decode(),
        str(lock_timeout_ms),
        expires_at,
    )
    return created == 1


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


async def get_task(conn: Connection, user_id: str, task_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2",  # noqa: S608
        task_id,
        user_id,
    )


async def lock_task(conn: Connection, user_id: str, task_id: UUID) -> asyncpg.Record | None:
    """The task, its row locked until the transaction ends (the change feed's "before")."""
    return await conn.fetchrow(
        f"SELECT {COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2 FOR UPDATE",  # noqa: S608
        task_id,
        user_id,
    )


# A merge patch in one statement. Non-nullable fields come as NULL when absent; nullable ones
# carry a "present" flag. Nothing is written (and the version kept) when the patch changes no
# value; the row is locked first, so concurrent conditional writes serialise on it.
_PATCH = f"""
WITH cur AS (
    SELECT {COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2 FOR UPDATE
), next AS (
    SELECT id, version,
           COALESCE($3::text, title) AS title,
           CASE WHEN $4::bool THEN $5::text ELSE description END AS description,
           COALESCE($6::text, status) AS status,
           COALESCE($7::text, priority) AS priority,
           CASE WHEN $8::bool THEN $9::timestamptz ELSE due_date END AS due_date,
           COALESCE($10::text[], tags) AS tags,
           completed_at,
           (title, description, status, priority, due_date, tags) AS old
    FROM cur
    WHERE $11::int[] IS NULL OR version = ANY($11::int[])
), upd AS (
    UPDATE tasks t
    SET title = n.title, description = n.description, status = n.status,
        priority = n.priority, due_date = n.due_date, tags = n.tags,
        completed_at = CASE WHEN n.status = 'completed'
                            THEN COALESCE(n.completed_at, $12::timestamptz) END,
        updated_at = $12::timestamptz, version = t.version + 1
    FROM next n
    WHERE t.id = n.id
      AND (n.title, n.description, n.status, n.priority, n.due_date, n.tags)
          IS DISTINCT FROM n.old
    RETURNING {", ".join("t." + c.strip() for c in COLUMNS.split(","))}
)
SELECT true AS matched, * FROM upd
UNION ALL
SELECT EXISTS (SELECT 1 FROM next), * FROM cur WHERE NOT EXISTS (SELECT 1 FROM upd)
"""  # noqa: S608 (constant fragments only)


@dataclass(frozen=True, slots=True)
class PatchValues:
    title: str | None
    description_set: bool
    description: str | None
    status: str | None
    priority: str | None
    due_date_set: bool
    due_date: datetime | None
    tags: list[str] | None


async def patch_task(
    conn: Connection,
    user_id: str,
    task_id: UUID,
    values: PatchValues,
    *,
    if_match: list[int] | None,
    now: datetime,
) -> asyncpg.Record | None:
    """The task after the patch (column ``matched`` false: the precondition failed and the
    row is the current one), or None when the user has no such task."""
    return await conn.fetchrow(
        _PATCH,
        task_id,
        user_id,
        values.title,
        values.description_set,
        values.description,
        values.status,
        values.priority,
        values.due_date_set,
        values.due_date,
        values.tags,
        if_match,
        now,
    )


_DELETE = """
WITH cur AS (
    SELECT id, version FROM tasks WHERE id = $1 AND user_id = $2 FOR UPDATE
), del AS (
    DELETE FROM tasks t USING cur
    WHERE t.id = cur.id AND ($3::int[] IS NULL OR cur.version = ANY($3::int[]))
    RETURNING t.id
)
SELECT EXISTS (SELECT 1 FROM cur) AS found, EXISTS (SELECT 1 FROM del) AS deleted
"""


async def delete_task(
    conn: Connection, user_id: str, task_id: UUID, *, if_match: list[int] | None
) -> tuple[bool, bool]:
    """(found, deleted)."""
    row = await conn.fetchrow(_DELETE, task_id, user_id, if_match)
    assert row is not None
    return bool(row["found"]), bool(row["deleted"])


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


async def list_tasks(conn: Connection, sql: str, args: list[Any]) -> list[asyncpg.Record]:
    return await conn.fetch(sql, *args)
